"""The Textual app on top of the pure core: `reader PATH` opens it.

Only this package (and `reader.cli.app_cmd`, which starts it) may import Textual;
everything it shows is computed by the core (`reader.articles`, `reader.align`,
`reader.layout`) or by the Textual-free helpers in `reader.tui.analysis`.
"""
