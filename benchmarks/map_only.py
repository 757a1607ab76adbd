"""The floor under the first-paint targets: the dashboard served with nothing on its page but the map.

    python -m benchmarks.map_only --port 8050 [serve's other options]

The same app as `contested-map serve` (the partial plotly.js bundle, the layouts laid out at
start-up, compression, caching, the figures in the layout for the URL's state), with one change:
the page is the map panel (the map and its keys) alone. No header, filter bar, statements column,
later panels or footer, so none of their components is mounted before the map draws.

benchmarks/first_paint.py runs it as the variant `map-only`. What the real page can reach is at
best what this page reaches: the figure shows how much of the time to the first region is the
stack's own (Dash's renderer and plotly.js loading and drawing one map) and how much is the rest
of the first screen. The dashboard never serves this page.
"""

from __future__ import annotations

import sys

from dash import html

from dashboard.cli import cli
from dashboard.web import app as web_app
from dashboard.web.context import PageContext
from dashboard.web.panels import language
from dashboard.web.shell import map_section


def map_only_layout(page: PageContext) -> html.Div:
    """The page's outer elements (so its stylesheet applies) around the map panel alone."""
    return html.Div(
        className="page",
        lang=page.lang,
        children=[
            language.store(page),
            html.Main(className="panels", children=[map_section(page)]),
        ],
    )


def main(argv: list[str] | None = None) -> None:
    # The app lays its pages out through this name (dashboard/web/app.py); this process serves only
    # the benchmark's page, so it is rebound once, before the app is made.
    web_app.build_layout = map_only_layout  # type: ignore[assignment]
    cli(["serve", *(sys.argv[1:] if argv is None else argv)], prog_name="python -m benchmarks.map_only")


if __name__ == "__main__":
    main()
