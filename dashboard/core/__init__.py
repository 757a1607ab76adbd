"""Pure domain: no file I/O, no web, CLI or rendering imports."""
