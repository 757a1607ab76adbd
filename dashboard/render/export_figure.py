"""What an exported image shows: its options, its figure, its title and its file name.

The figure is the dashboard's own map for a filter state (the same traces and
view), with the title, the legend in words and the attribution drawn inside,
so an export shows exactly what the page shows. Rendering it is `exporter.py`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from collections.abc import Sequence
from typing import Any

import shapely

from dashboard.core.dataset import Dataset
from dashboard.core.filters import FilterState
from dashboard.core.layers import RegionLayers
from dashboard.core.ledger import source_label
from dashboard.core.views import ContestedView, contested_view
from dashboard.render.change_layer import LOST_KEY_NAME, TAKEN_KEY_NAME, change_keys, change_layer
from dashboard.render.control_layer import ControlLayer, control_layer
from dashboard.render.export_frame import (
    GREY_KEY,
    HATCH_KEY,
    LOST_KEY,
    PICKED_KEY,
    TAKEN_KEY,
    attribution_note,
    legend,
    picked_traces,
    seam_trace,
    subtitle,
    title,
)
from dashboard.render.export_layout import LegendEntry, Plan, plan_layout
from dashboard.render.export_options import CITY_UNITS, ImageOptions, image_title
from dashboard.render.geo_fit import (
    MIN_SPAN_DEG,
    REGION_MARGIN,
    UKRAINE_MARGIN,
    Bounds,
    GeoFrame,
    fill_bounds,
    mercator_aspect,
    with_margin,
)
from dashboard.render.map_figure import (
    CONTESTED_UID,
    CONTROL_KEY_NAME,
    NEIGHBOURS_UID,
    OTHERS_UID,
    build_export_map,
    contested_props,
    other_props,
    trace_index,
)
from dashboard.render.map_labels import (
    HALO_PX,
    Place,
    RegionToLabel,
    city_items,
    pick_cities,
    place_regions,
    text_traces,
)
from dashboard.render.markup import plotly_text
from dashboard.render.theme import FONT_FAMILY, STATUS_FILLS
from dashboard.text import Text
from dashboard.text.control_words import coverage_sentence, needs_coverage, snapshot_words
from dashboard.text.source_words import publisher_words, source_words


@functools.lru_cache(maxsize=8)
def _export_template(layers: RegionLayers, text: Text) -> dict[str, Any]:
    """The export's map traces as a plain dict, built once per language: geometry never changes.

    Building and validating a go.Figure with the geometry costs about 100 ms;
    copying this dict and setting what a state changes costs well under 1 ms.
    Treat the result as read-only.
    """
    return build_export_map(layers, ContestedView(), text).to_dict()


def attribution(
    data: Dataset, state: FilterState, text: Text, control_day: dt.date | None = None, control_on: bool = True
) -> str:
    """Boundaries, the publishers whose records decide the statuses shown, the control layer's
    source and snapshot when it is drawn (with the layer on but no snapshot yet, what the loaded
    data covers), and what a status means."""
    deciding = {i for s in data.status_at(state.date_to, state.enrichment).values() for i in s.decided_by}
    claims = (data.claims.get(i) for i in deciding)
    # Plotly reads a subset of HTML in text: data and user text are escaped so they print as written.
    publishers = sorted({plotly_text(publisher_words(text, c.source.publisher)) for c in claims if c is not None})
    claims_note = (
        text("export.claims_from", publishers=", ".join(publishers)) if publishers else text("export.no_declaration")
    )
    # A date past the data shows the last known state; say so on the (short) first line.
    end = data.axis.records_end
    data_end = text("export.records_end", end=text.day(end)) if state.date_to > end else ""
    lines = [f"{plotly_text(text('footer.boundaries'))}{data_end}", claims_note.strip()]
    control = data.control
    if control_day is not None and control is not None:
        lines.append(
            plotly_text(
                text(
                    "control.export_note",
                    source=source_words(text, control.source.credit),
                    licence=control.licence,
                    snapshot=snapshot_words(text, control_day, state.date_to),
                ).strip()
            )
        )
    sources = data.control_sources or ((control,) if control is not None else ())
    if control_on and control_day is None and sources and needs_coverage(sources, state.date_to):
        lines.append(plotly_text(coverage_sentence(text, sources)))
    lines.append(text("export.attribution", claims="").strip())
    # One fact a line: a long single line runs off narrow images.
    return "<br>".join(lines)


@functools.lru_cache(maxsize=8)
def _seam(layers: RegionLayers) -> dict[str, Any]:
    return seam_trace(shapely.union_all(layers.neighbours.geometry.values))


def map_fit(state: FilterState, options: ImageOptions) -> str:
    """What the view fits: `options.fit`, else the regions when some are picked, else Ukraine
    (fitting regions with none picked is fitting Ukraine)."""
    fit = options.fit or ("regions" if state.regions else "ukraine")
    return fit if state.regions else "ukraine"


def view_bounds(layers: RegionLayers, state: FilterState, fit: str) -> Bounds:
    """The box the view must show (before it is widened to the frame's shape)."""
    picked = layers.ukraine[layers.ukraine["code"].isin(state.regions)]
    if fit == "regions" and not picked.empty:  # codes the layers do not know draw nothing
        return with_margin(tuple(picked.total_bounds), REGION_MARGIN, MIN_SPAN_DEG)
    return with_margin(tuple(layers.ukraine.total_bounds), UKRAINE_MARGIN)


def subtitle_text(data: Dataset, state: FilterState, options: ImageOptions, text: Text) -> str:
    """With a custom title, a line that keeps the date and the regions; the default title has both."""
    if not options.title:
        return ""
    where = ", ".join(data.region_name(c, text.lang) for c in state.regions) or text("export.default_where")
    return plotly_text(text("export.subtitle", day=text.day(state.date_to), where=where))


def _control_entries(
    data: Dataset, state: FilterState, layer: ControlLayer, control: bool, text: Text
) -> list[LegendEntry]:
    """The control layer's legend rows: its key (and the grey zone's), or why nothing is drawn."""
    if not control:
        return []
    if data.control is None:
        return [LegendEntry("", text("map.control.not_loaded"), CONTROL_KEY_NAME)]
    if layer.snapshot is None:
        return [
            LegendEntry(
                "",
                text(
                    "export.control_none",
                    day=text.day(state.date_to),
                    first=text.day(data.control.shares.first_day),
                    last=text.day(data.control.last_day),
                ),
                CONTROL_KEY_NAME,
            )
        ]
    # Whose data it is, and how old the snapshot is against the map's date (stale ones are flagged).
    snapshot = snapshot_words(text, layer.snapshot, state.date_to)
    # The short name in the legend ("DeepStateMap"); the attribution gives the full one and its licence.
    rows = [
        LegendEntry(
            HATCH_KEY,
            plotly_text(text("control.legend", source=source_label(data.control.source_name), snapshot=snapshot)),
            CONTROL_KEY_NAME,
        )
    ]
    if layer.has_grey:
        rows.append(
            LegendEntry(
                GREY_KEY,
                text(
                    "map.control.legend_grey",
                    source=source_label(data.control.source_name),
                    day=text.day(layer.snapshot),
                ),
            )
        )
    return rows


def _change_entries(
    data: Dataset, state: FilterState, geometry: Any, traces: list[dict[str, Any]], text: Text
) -> list[LegendEntry]:
    """The change over the range (`state.change`: URL change=yes, `--change-layer`): its traces set in
    `traces`, and its two legend rows (or one row saying why nothing is drawn)."""
    changed = change_layer(geometry, state.date_from, state.date_to, state.change, for_export=True)
    for uid, props in changed.props.items():  # by uid in `traces`: traces were inserted since the template
        index = next(i for i, trace in enumerate(traces) if trace.get("uid") == uid)
        traces[index] = {**traces[index], **props}
    words = change_keys(data.control, changed, text, state.date_from, state.date_to) if state.change else {}
    swatches = {TAKEN_KEY_NAME: TAKEN_KEY, LOST_KEY_NAME: LOST_KEY}
    return [
        LegendEntry(swatches[name] if changed.drawn else "", words[name], name)
        for name in (TAKEN_KEY_NAME, LOST_KEY_NAME)
        if name in words
    ]


def layer_places(layers: RegionLayers, lang: str) -> list[Place]:
    """Cities the region layers know of (the units that are cities), until a gazetteer is plugged in:
    (name, lon, lat, population); the layers hold no population, so 0."""
    names = layers.names(lang)
    rows = layers.ukraine[layers.ukraine["code"].isin(CITY_UNITS)]
    points = [g.representative_point() for g in rows.geometry]
    return [(names[c], p.x, p.y, 0) for c, p in zip(rows["code"], points, strict=True)]


def _labels(
    data: Dataset,
    state: FilterState,
    view: ContestedView,
    frame: GeoFrame,
    plan: Plan,
    fit: str,
    show_shares: bool,
    places: Sequence[Place] | None,
    text: Text,
) -> list[dict[str, Any]]:
    """Region names (subjects first, then, when zoomed, the regions around them), held shares under
    the contested ones when the control layer is drawn, and the main cities when zoomed."""
    units = data.layers.ukraine
    names = data.layers.names(text.lang)
    area = shapely.area(units.geometry.values)  # degrees²: only to order them by size
    subjects = set(state.regions) | set(data.layers.contested["code"])
    order = sorted(
        units.index,
        key=lambda i: (
            units.at[i, "code"] not in state.regions,
            units.at[i, "code"] not in subjects,
            -area[units.index.get_loc(i)],
        ),
    )
    regions = []
    for i in order:
        code = units.at[i, "code"]
        if code not in subjects and fit != "regions":
            continue
        held = (view.held or {}).get(code) if show_shares else None
        share = short = None
        if held is not None:
            share = text("export.label.held", share=text.share(held.occupied_share))
            short = text("export.label.held_short", share=text.share(held.occupied_share))
        regions.append(
            RegionToLabel(names.get(code, code), units.at[i, "geometry"], share, short, context=code not in subjects)
        )
    taken: list = []
    # Over the whole of Ukraine the six regions are small: their names no larger than a 60th of the
    # map's width, so the six fit side by side.
    size = 1.0 if fit == "regions" else min(0.9, (frame.box[2] - frame.box[0]) / 60 / plan.fonts.label)
    items = place_regions(frame, regions, plan.fonts, taken, size=size, halo=HALO_PX * plan.fonts.line)
    traces = []
    if fit == "regions":
        labelled = {r.name for r in regions}
        if places is None and data.places is not None:  # the gazetteer's largest places in view
            places = [(p.name, p.lon, p.lat, p.population) for p in data.places.largest_in(tuple(frame.bounds), 60)]
        candidates = [
            p for p in (places if places is not None else layer_places(data.layers, text.lang)) if p[0] not in labelled
        ]
        chosen = pick_cities(candidates, frame, plan.fonts.city, taken=taken)
        if chosen:
            city_text, dots = city_items(chosen, frame, plan.fonts.city)
            items += city_text
            traces.append(dots)
    return traces + text_traces(items, frame, FONT_FAMILY, halo=HALO_PX * plan.fonts.line)


def _thicker(trace: dict[str, Any], factor: float) -> dict[str, Any]:
    """`trace` with its line widths (lines, or a choropleth's outlines) times `factor`, so lines keep
    their weight on large frames (A4 at 300 dpi draws them about three times as wide)."""

    def scaled(line: dict[str, Any]) -> dict[str, Any]:
        width = line.get("width")
        if width is None or factor == 1:
            return line
        return {**line, "width": [w * factor for w in width] if isinstance(width, list) else width * factor}

    if "line" in trace:
        trace = {**trace, "line": scaled(trace["line"])}
    if "line" in trace.get("marker", {}):
        trace = {**trace, "marker": {**trace["marker"], "line": scaled(trace["marker"]["line"])}}
    return trace


def image_figure(
    data: Dataset,
    state: FilterState,
    options: ImageOptions,
    text: Text,
    control: bool = True,
    places: Sequence[Place] | None = None,
) -> dict[str, Any]:
    """The figure (as a dict) an export renders for a filter state: the dashboard's view of it,
    with the control layer when `control` is on and a snapshot exists on or before the day,
    fitted to the image's frame (export_layout.py) and labelled (map_labels.py).

    `places`: (name, lon, lat, population) of the cities that may be labelled when the view is
    zoomed to regions (default: the cities among the region layers' units)."""
    view = contested_view(data, state)
    template = _export_template(data.layers, text)
    traces = list(template["data"])
    contested, others = trace_index(template, CONTESTED_UID), trace_index(template, OTHERS_UID)
    # The picked regions get their own double outline (below), unlike any other line on the map.
    plain = dataclasses.replace(view, selected=())
    traces[contested] = {**traces[contested], **contested_props(data.layers, plain, text)}
    traces[others] = {**traces[others], **other_props(data.layers, plain)}
    geometry = data.control.geometry if data.control is not None else None
    layer = control_layer(geometry, state.date_to, control, for_export=True)
    for uid, props in layer.props.items():
        index = trace_index(template, uid)
        traces[index] = {**traces[index], **props}
    neighbours = trace_index(template, NEIGHBOURS_UID)
    traces.insert(neighbours + 1, _seam(data.layers))
    picked = data.layers.ukraine[data.layers.ukraine["code"].isin(state.regions)]
    traces += picked_traces(list(picked.geometry))

    entries = [LegendEntry(key, text.status(key)) for key in STATUS_FILLS]
    if state.regions:
        entries.append(
            LegendEntry(
                PICKED_KEY,
                text("export.legend.picked", regions=", ".join(data.region_name(c, text.lang) for c in state.regions)),
            )
        )
    entries += _control_entries(data, state, layer, control, text)
    entries += _change_entries(data, state, geometry, traces, text)
    fit = map_fit(state, options)
    bounds = view_bounds(data.layers, state, fit)
    plan = plan_layout(
        options.width,
        options.height,
        plotly_text(image_title(data, state, options, text)),
        subtitle_text(data, state, options, text),
        entries,
        attribution(data, state, text, layer.snapshot if control else None, control).split("<br>"),
        mercator_aspect(bounds),
    )
    x0, y0, x1, y1 = plan.map_box
    frame = GeoFrame(fill_bounds(bounds, x1 - x0, y1 - y0), plan.map_box, options.width, options.height)
    traces += _labels(data, state, view, frame, plan, fit, control and layer.snapshot is not None, places, text)

    traces = [_thicker(trace, plan.fonts.line) for trace in traces]
    shapes, notes = legend(plan)
    layout = dict(template["layout"])
    layout["geo"] = {**layout["geo"], **frame.geo()}
    layout["title"] = title(plan)
    layout["shapes"] = shapes
    if not any(note["name"] == CONTROL_KEY_NAME for note in notes):  # findable, saying nothing
        notes.append({"name": CONTROL_KEY_NAME, "text": "", "visible": False, "showarrow": False})
    # The attribution stays the last annotation.
    layout["annotations"] = [subtitle(plan), *notes, attribution_note(plan)]
    return {"data": traces, "layout": layout}
