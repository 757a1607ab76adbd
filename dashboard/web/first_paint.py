"""What the page asks for before the map can draw, asked for at once.

Dash loads the page in steps: its scripts, then the layout, then each lazy
component's chunk (dcc's `async-graph.js` once a Graph renders), then plotly.js
fetches the basemap topojson. Each step waited for the one before. The page's
<head> now names these with `<link rel="preload">`, so the browser fetches them
while it still compiles the scripts:

- `/_dash-layout` and `/_dash-dependencies` (as the renderer fetches them: same origin);
- the dcc chunks of the component types the layout uses, where this Dash ships them;
- the topojson file each geo subplot of the layout's figures needs (scope and resolution).

`components(layout)` walks every component in a layout, whatever prop holds it;
the tests use it to find every dcc.Graph.
"""

from __future__ import annotations

import html
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from dash import Dash, dcc
from dash.development.base_component import Component

__all__ = ["add_preloads", "components", "graph_figures"]

#: dcc component type -> the lazy chunk it loads (dash/dcc/async-<name>.js).
CHUNKS = {
    "Graph": "graph",
    "Slider": "slider",
    "RangeSlider": "slider",
    "Dropdown": "dropdown",
    "DatePickerRange": "datepicker",
    "DatePickerSingle": "datepicker",
    "Markdown": "markdown",
    "Upload": "upload",
}


def components(node: Any) -> Iterator[Component]:
    """Every component in `node` (a component, a list of them, or anything else), depth first."""
    if isinstance(node, Component):
        yield node
        for name in node._prop_names:
            value = getattr(node, name, None)
            if isinstance(value, (Component, list, tuple)):
                yield from components(value)
    elif isinstance(node, (list, tuple)):
        for item in node:
            yield from components(item)


def graph_figures(layout: Any) -> Iterator[tuple[dcc.Graph, dict]]:
    """Every dcc.Graph in the layout with its figure as a plain dict."""
    for component in components(layout):
        if isinstance(component, dcc.Graph):
            figure = getattr(component, "figure", None)
            if figure is not None:
                yield component, figure if isinstance(figure, dict) else figure.to_plotly_json()


def _basemap_names(layout: Any) -> list[str]:
    """The topojson files plotly.js fetches for the layout's geo subplots (`<scope>_<resolution>m`)."""
    names = set()
    for _, figure in graph_figures(layout):
        figure_layout = figure.get("layout", {})
        for key, geo in figure_layout.items():
            if key.startswith("geo") and isinstance(geo, dict):
                scope = geo.get("scope", "world")
                resolution = geo.get("resolution", 110)
                names.add(f"{scope}_{int(resolution)}m.json")
    return sorted(names)


def _link(href: str, kind: str) -> str:
    crossorigin = ' crossorigin="anonymous"' if kind == "fetch" else ""
    return f'<link rel="preload" href="{html.escape(href)}" as="{kind}"{crossorigin}>'


def add_preloads(app: Dash, layout: Any, topojson_url: str) -> list[str]:
    """Preload links for the layout, its lazy chunks and its basemap in the page's <head>; returns them."""
    prefix = app.config.requests_pathname_prefix
    links = [_link(f"{prefix}_dash-layout", "fetch"), _link(f"{prefix}_dash-dependencies", "fetch")]
    dcc_dir = Path(dcc.__file__).parent
    used = sorted(
        {
            CHUNKS[type(c).__name__]
            for c in components(layout)
            if type(c).__name__ in CHUNKS and type(c).__module__.startswith("dash.dcc")
        }
    )
    links += [
        _link(f"{prefix}_dash-component-suites/dash/dcc/async-{name}.js", "script")
        for name in used
        if (dcc_dir / f"async-{name}.js").is_file()
    ]
    links += [_link(topojson_url + name, "fetch") for name in _basemap_names(layout)]
    app.index_string = app.index_string.replace("{%css%}", "{%css%}\n        " + "\n        ".join(links), 1)
    return links
