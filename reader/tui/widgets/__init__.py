"""Widgets of the reader app: the article table, aligned diff rows, reading rows."""
