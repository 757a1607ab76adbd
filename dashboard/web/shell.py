"""The page: filters on top, the map and the statements side by side, attribution below."""

from __future__ import annotations

from typing import TYPE_CHECKING

from dash import Dash, dcc, html

from dashboard.core.claims import PARTIES
from dashboard.render.export import FORMATS, PRESETS
from dashboard.render.map_figure import ATTRIBUTION, build_map
from dashboard.web.ids import Ids
from dashboard.core.region_names import ALIASES
from dashboard.web.panels.statements import legend
from dashboard.core.regions import CONTESTED_CODES
from dashboard.core.views import contested_view, status_steps

if TYPE_CHECKING:
    from dashboard.web.app import AppData


#: Toolbar buttons that could send the chart off the machine (issue 10, item 9): Dash's
#: "Share chart..." uploads it to Plotly Cloud, "Edit in Chart Studio" posts it to plotly.com.
OUTBOUND_BUTTONS = ["sendDataToCloud", "editInChartStudio"]


def graph_config(app: Dash) -> dict:
    """dcc.Graph config: the basemap topojson comes from our own assets, not a CDN, and no
    toolbar button or link can send the chart anywhere (nothing leaves the machine)."""
    return {
        "topojsonURL": app.get_asset_url("topojson/"),
        "displaylogo": False,
        "scrollZoom": False,
        "modeBarButtonsToRemove": ["select2d", "lasso2d", *OUTBOUND_BUTTONS],
        "showSendToCloud": False,
        "showEditInChartStudio": False,
        "showLink": False,
        "sendData": False,
        "plotlyServerURL": "",
    }


def _region_options(data: "AppData") -> list[dict[str, str]]:
    """Contested regions first, then the rest of Ukraine, each labelled by name."""
    codes = list(CONTESTED_CODES) + sorted(
        (c for c in data.layers.ukraine.index if c not in CONTESTED_CODES), key=data.region_name
    )
    return [{"label": f"{data.region_name(c)} ({c})", "value": c, "search": _search_terms(data, c)}
            for c in codes]


def _search_terms(data: "AppData", code: str) -> str:
    """What the region search matches: every name the URL's look-up knows ("Krym", "Lugansk",
    "Донецьк" included), so the filter finds what the address bar accepts (issue 10, item 14)."""
    row = data.layers.ukraine.loc[code]
    names = [data.region_name(code), code, row["name_uk"], row["name_ru"], row["name_ne"],
             *str(row["name_alt"] or "").split("|"), *ALIASES.get(code, ())]
    return " | ".join(dict.fromkeys(str(n) for n in names if n and str(n) != "nan"))


def _sources(data: "AppData") -> str:
    publishers = sorted({s.get("publisher") for s in data.claims["source"] if s and s.get("publisher")})
    return "Claims: " + (", ".join(publishers) or "none loaded") + " (quoted with attribution)."


def _filters(data: "AppData") -> html.Div:
    axis = data.axis
    return html.Div(className="filters", children=[
        html.Div(className="filter dates", children=[
            html.Label("Dates", htmlFor=Ids.DATES),
            dcc.RangeSlider(
                id=Ids.DATES, min=0, max=axis.days, step=1, value=[0, axis.days],
                marks={k: {"label": v} for k, v in axis.event_marks(data.claims).items()},
                allowCross=False, updatemode="mouseup", allow_direct_input=False,
            ),
            html.P(id=Ids.DATE_READOUT, className="readout"),
        ]),
        html.Div(className="filter regions", children=[
            html.Label("Regions", htmlFor=Ids.REGIONS),
            dcc.Dropdown(id=Ids.REGIONS, options=_region_options(data), value=[], multi=True,
                         placeholder="All regions (click the map to pick)"),
        ]),
        html.Div(className="filter parties", children=[
            html.Label("Parties"),
            dcc.Checklist(
                id=Ids.PARTIES, value=[], inline=True,
                options=[{"label": slug.capitalize() if slug != "un" else "UN", "value": slug,
                          "title": text} for slug, text in PARTIES.items()],
            ),
            html.P("None ticked: all parties.", className="hint"),
        ]),
    ])


def _export_controls() -> html.Div:
    """Download the map as filtered, with title, legend and attribution drawn in."""
    return html.Div(className="export", children=[
        html.Span("Export the map:", className="export-label"),
        dcc.Dropdown(id=Ids.EXPORT_FORMAT, options=[{"label": f.upper(), "value": f} for f in FORMATS],
                     value="png", clearable=False, searchable=False, className="export-format"),
        dcc.Dropdown(id=Ids.EXPORT_SIZE, value="1200x800", clearable=False, searchable=False,
                     options=[{"label": k.replace("x", " × ") + " px", "value": k} for k in PRESETS],
                     className="export-size"),
        # A text field, checked on the server: a number field with min/max sends None for
        # an out-of-range value, which used to export at scale 1 without a word.
        html.Label(["Scale ", dcc.Input(id=Ids.EXPORT_SCALE, type="text", inputMode="decimal", value="1",
                                        placeholder="1", debounce=True, className="export-scale")]),
        dcc.Input(id=Ids.EXPORT_TITLE, type="text", placeholder="Title (default: regions and date)",
                  maxLength=300, debounce=True, className="export-title"),
        html.Button("Download image", id=Ids.EXPORT_BUTTON, className="export-button", n_clicks=0),
        dcc.Loading(html.Div(id=Ids.EXPORT_NOTICE, className="export-notice", role="status"),
                    type="dot", delay_show=200),
        dcc.Download(id=Ids.DOWNLOAD),
    ])


def build_layout(app: Dash, data: "AppData") -> html.Div:
    figure = build_map(data.layers, contested_view(data, data.query_context.default_state()))
    return html.Div(className="page", children=[
        dcc.Location(id=Ids.URL, refresh=False),
        # What the clientside URL writer needs to turn slider offsets into dates.
        dcc.Store(id=Ids.AXIS, data={"first_day": data.axis.first_day.isoformat(), "days": data.axis.days}),
        dcc.Store(id=Ids.URL_WRITTEN, data=None),
        # Status of each region by day, so the browser recolours the map at once (views.status_steps).
        dcc.Store(id=Ids.STATUS_STEPS, data=status_steps(data)),
        dcc.Store(id=Ids.SELECTED, data=None),
        # The query a URL notice was about (cleared with the notice once the filters change).
        dcc.Store(id=Ids.NOTICE_FOR, data=None),
        # The region filter's last value, so removing Crimea or Sevastopol removes both.
        dcc.Store(id=Ids.REGIONS_SHOWN, data=[]),
        html.Header([
            html.H1("Contested Regions Dashboard"),
            html.P(
                "Who claims what about Crimea (with Sevastopol), Donetsk, Luhansk, Kherson and "
                "Zaporizhzhia, and when. The map's base is Ukraine's internationally recognised "
                "borders; statuses are derived from dated, sourced records and report claims, "
                "not facts on the ground.",
                className="subtitle",
            ),
        ]),
        html.Div(id=Ids.NOTICE, className="notice", role="status", **{"aria-live": "polite"}),
        _filters(data),
        html.Main(className="panels", children=[
            html.Section(className="map-panel", children=[
                html.Div(id=Ids.LEGEND, children=legend(data.status_labels)),
                html.Button("Clear the record's outline", id=Ids.CLEAR_SELECTION, n_clicks=0,
                            hidden=True, className="clear-selection"),
                dcc.Loading(dcc.Graph(id=Ids.MAP, figure=figure, config=graph_config(app),
                                      className="map-graph"), type="dot", delay_show=300),
                _export_controls(),
            ]),
            html.Section(className="statements-panel", children=[
                html.H2("Statements"),
                html.P(id=Ids.STATEMENT_COUNT, className="count"),
                dcc.Loading(html.Div(id=Ids.STATEMENTS, className="statements"),
                            type="dot", delay_show=300),
            ]),
        ]),
        html.Footer(className="attribution", children=[
            html.P(ATTRIBUTION),
            html.P(_sources(data)),
        ]),
    ])
