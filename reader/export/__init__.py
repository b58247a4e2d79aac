"""Exports of a comparison for people outside the app: a self-contained HTML page.

Core code: nothing here imports Textual, so the CLI (`reader diff --format html`)
and the app's export key share one implementation.
"""
from .html import render_html, save_html, write_html

__all__ = ["render_html", "save_html", "write_html"]
