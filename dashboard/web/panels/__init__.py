"""The page's panels. Each module exposes `IDS` (the element ids it owns),
`layout(page)` and `register(app, page)`; the app factory registers them from
`PANELS`, in this order, and the shell (`dashboard.web.shell`) places them.

A new panel is a new module here and one entry in `PANELS`.
"""

from dashboard.web.panels import export, filters, map, statements

PANELS = (filters, map, statements, export)

__all__ = ["PANELS", "export", "filters", "map", "statements"]
