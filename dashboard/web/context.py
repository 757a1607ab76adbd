"""What every panel is built from: the Dataset, the words, and the app's services.

One immutable object, made once by the app factory and handed to each panel's
`layout(page)` and `register(app, page)`: callbacks read it and nothing else
(no file I/O, no mutable globals).
"""

from __future__ import annotations

from dataclasses import dataclass

from dashboard.core.dataset import Dataset
from dashboard.render.exporter import Exporter
from dashboard.text import Text


@dataclass(frozen=True, eq=False)
class PageContext:
    data: Dataset
    text: Text
    exporter: Exporter
    #: Where the page's plotly.js finds the basemap topojson (served from assets/, never a CDN).
    topojson_url: str
