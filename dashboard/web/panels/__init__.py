"""The page's panels. Each module exposes `IDS` (the element ids it owns),
`layout(page)` and `register(app, page)`; the app factory registers them from
`PANELS`, in this order (it is also the order in which the browser sends a change's callbacks: the ledger first, so
its table is the first answer drawn), and the shell (`dashboard.web.shell`) places them.

A new panel is a new module here and one entry in `PANELS`.
"""

from dashboard.web.panels import dates, export, filters, language, ledger, map, places, play, statements, timeline

PANELS = (language, ledger, filters, dates, play, map, places, statements, export, timeline)

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
