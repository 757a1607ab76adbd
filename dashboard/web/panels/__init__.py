"""The page's panels. Each module exposes `IDS` (the element ids it owns),
`layout(page)` and `register(app, page)`; the app factory registers them from
`PANELS`, in this order, and the shell (`dashboard.web.shell`) places them.

A new panel is a new module here and one entry in `PANELS`.
"""

from dashboard.web.panels import dates, export, filters, language, ledger, map, places, play, statements, timeline

PANELS = (language, filters, dates, play, map, places, statements, export, ledger, timeline)

__all__ = [
    "PANELS",
    "dates",
    "export",
    "filters",
    "language",
    "ledger",
    "map",
    "places",
    "play",
    "statements",
    "timeline",
]
