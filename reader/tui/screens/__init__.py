"""Screens of the reader app: article list (default), reader, diff, help, export dialogs."""
