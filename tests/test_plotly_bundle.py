"""The partial plotly.js bundle: what it holds, and that the app uses nothing else.

Every figure the app can produce is collected generically (every dcc.Graph in
the layout, whatever panel adds it; every server callback that writes a
`figure`, whole or as a Patch; the export figures) and its trace types are
compared with bundle.json, the list the build script writes next to the bundle.
A new panel with a trace type the bundle lacks fails here until the bundle is
rebuilt with it (tools/plotly_bundle/build.py, TRACES).
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
from collections.abc import Iterable, Iterator
from typing import Any

import pytest
from plotly.offline import get_plotlyjs_version

from dashboard.core.filters import FilterState
from dashboard.render.export_figure import image_figure
from dashboard.render.export_options import ImageOptions
from dashboard.sources.paths import plotlyjs_bundle, plotlyjs_manifest
from dashboard.testing import REPO
from dashboard.text import text_for
from dashboard.web.app import Settings, create_app
from dashboard.web.first_paint import components, graph_figures


@pytest.fixture(scope="module")
def manifest() -> dict:
    return json.loads(plotlyjs_manifest().read_text())


@pytest.fixture(scope="module")
def app():
    return create_app()


def _build_module():
    spec = importlib.util.spec_from_file_location("build_plotly_bundle", REPO / "tools" / "plotly_bundle" / "build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# ---------------------------------------------------------------------------------------------
# The bundle and its manifest


def test_bundle_is_the_plotly_py_version_and_matches_its_manifest(manifest):
    content = plotlyjs_bundle().read_bytes()
    assert manifest["plotly.js"] == get_plotlyjs_version()  # exports draw what the full bundle draws
    assert manifest["bytes"] == len(content)
    assert manifest["sha256"] == hashlib.sha256(content).hexdigest()  # rebuilt and committed together
    assert content.startswith(b"/**\n* plotly.js (contested-map partial: ")
    assert f"v{manifest['plotly.js']}\n".encode() in content[:200]
    assert len(content) < 2_000_000  # the full bundle is 4.8 MB
    licence = (plotlyjs_bundle().parent / "LICENSE-plotly.js.txt").read_text()
    assert "MIT" in licence or "Permission is hereby granted" in licence


def test_build_script_pins_the_bundles_version_and_traces(manifest):
    build = _build_module()
    package = json.loads((REPO / "tools" / "plotly_bundle" / "package.json").read_text())
    assert package["dependencies"]["plotly.js"] == manifest["plotly.js"]
    assert package["dependencies"]["esbuild"] == manifest["esbuild"]
    assert manifest["traces"] == sorted({*build.TRACES, *build.CORE_TRACES})
    lock = json.loads((REPO / "tools" / "plotly_bundle" / "package-lock.json").read_text())
    assert lock["packages"]["node_modules/plotly.js"]["version"] == manifest["plotly.js"]
    entry = build._entry(build.TRACES)
    assert "require('plotly.js/lib/core')" in entry
    assert all(f"require('plotly.js/lib/{name}')" in entry for name in build.TRACES)


# ---------------------------------------------------------------------------------------------
# Every figure the app makes


def trace_types(figure: dict) -> set[str]:
    """The trace types a figure (dict) draws; plotly.js draws a trace without `type` as scatter."""
    return {trace.get("type", "scatter") for trace in figure.get("data", [])}


def _patch_trace_types(patch: dict) -> set[str]:
    """Trace types a Dash Patch adds or sets: a `type` assigned, or traces appended or inserted."""
    found = set()
    for operation in patch.get("operations", []):
        location, params = operation.get("location", []), operation.get("params", {})
        if location[-1:] == ["type"] and isinstance(params.get("value"), str):
            found.add(params["value"])
        if location == ["data"]:
            values = params.get("value")
            for trace in values if isinstance(values, list) else [values]:
                if isinstance(trace, dict):
                    found.add(trace.get("type", "scatter"))
    return found


def _initial_value(by_id: dict[str, Any], spec: dict) -> Any:
    component = by_id.get(str(spec["id"]))
    return getattr(component, spec["property"], None) if component is not None else None


def callback_figures(app) -> Iterator[tuple[str, dict]]:
    """Every `figure` a server callback writes, called with the layout's initial values."""
    client = app.server.test_client()
    by_id = {str(c.id): c for c in components(app.layout()) if getattr(c, "id", None) is not None}
    for callback in client.get("/_dash-dependencies").json:
        key = callback["output"]
        parts = key[2:-2].split("...") if key.startswith("..") else [key]
        outputs = [dict(zip(("id", "property"), part.rsplit(".", 1), strict=False)) for part in parts]
        if not any(o["property"].split("@")[0] == "figure" for o in outputs) or callback.get("clientside_function"):
            continue
        inputs = [{**i, "value": _initial_value(by_id, i)} for i in callback["inputs"]]
        state = [{**s, "value": _initial_value(by_id, s)} for s in callback["state"]]
        response = client.post(
            "/_dash-update-component",
            json={
                "output": key,
                "outputs": outputs if len(outputs) > 1 else outputs[0],
                "inputs": inputs,
                "state": state,
                "changedPropIds": [f"{i['id']}.{i['property']}" for i in inputs],
            },
        )
        assert response.status_code in (200, 204), (key, response.status_code)
        if response.status_code == 204:
            continue
        for component, props in response.json["response"].items():
            for prop, value in props.items():
                if prop.split("@")[0] == "figure" and isinstance(value, dict):
                    yield f"{component}.{prop}", value


def export_figures(app_data) -> Iterator[tuple[str, dict]]:
    text = text_for()
    axis = app_data.axis
    for control in (True, False):
        for day in (axis.first_day, axis.last_day):
            state = FilterState(axis.first_day, day)
            yield f"export {day} control={control}", image_figure(app_data, state, ImageOptions(), text, control)


def used_trace_types(named_figures: Iterable[tuple[str, dict]]) -> dict[str, set[str]]:
    """Trace type -> where it is used."""
    used: dict[str, set[str]] = {}
    for where, figure in named_figures:
        types = _patch_trace_types(figure) if "operations" in figure else trace_types(figure)
        for kind in types:
            used.setdefault(kind, set()).add(where)
    return used


def unbundled(used: dict[str, set[str]], manifest: dict) -> dict[str, set[str]]:
    return {kind: where for kind, where in used.items() if kind not in manifest["traces"]}


@pytest.mark.slow
def test_every_figure_the_app_makes_uses_only_bundled_trace_types(app, manifest):
    from dashboard.sources.dataset import load_dataset

    layout_figures = [(f"dcc.Graph#{graph.id}", figure) for graph, figure in graph_figures(app.layout())]
    assert layout_figures, "no dcc.Graph found in the layout"
    callbacks = list(callback_figures(app))
    assert any(name.startswith("map.") for name, _ in callbacks)  # the map's patches are among them
    used = used_trace_types([*layout_figures, *callbacks, *export_figures(load_dataset())])
    assert {"choropleth"} <= set(used)
    missing = unbundled(used, manifest)
    assert not missing, (
        f"trace types not in the partial plotly.js bundle: {missing}; add them to TRACES "
        "in tools/plotly_bundle/build.py and rebuild (README, Performance)"
    )


def test_the_check_finds_a_trace_type_the_bundle_lacks(manifest):
    # A timeline panel drawing a heatmap, or a patch turning a trace into a sankey, must fail the test above.
    figures = [
        ("panel", {"data": [{"type": "heatmap", "z": [[1]]}, {"x": [1]}]}),
        (
            "patch",
            {
                "__dash_patch_update": "__dash_patch_update",
                "operations": [
                    {"operation": "Assign", "location": ["data", 0, "type"], "params": {"value": "sankey"}},
                    {"operation": "Append", "location": ["data"], "params": {"value": {"type": "bar"}}},
                ],
            },
        ),
    ]
    missing = unbundled(used_trace_types(figures), manifest)
    assert set(missing) == {"heatmap", "sankey"}


# ---------------------------------------------------------------------------------------------
# Which plotly.js the page loads


@pytest.mark.slow
def test_page_loads_the_partial_bundle_and_baseline_the_full_one():
    page = create_app().server.test_client().get("/").get_data(as_text=True)
    assert "/assets/plotly/plotly-partial.min.js?m=" in page
    assert "package_data/plotly.min.js" not in page  # dcc loads it only when window.Plotly is missing
    baseline = create_app(Settings(baseline_page=True)).server.test_client().get("/").get_data(as_text=True)
    assert "plotly-partial" not in baseline and 'rel="preload"' not in baseline
