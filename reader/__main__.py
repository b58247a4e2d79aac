"""`python -m reader` is the same as the `reader` command."""
from .cli import entry

entry()
