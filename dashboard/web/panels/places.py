"""The "Find a place" panel: a place search over the gazetteer, its marker on the map, its control history.

`place-search` is a dropdown searched on the server as the user types (the
gazetteer's name index: any spelling, Latin or Cyrillic, former names; at most
MAX_OPTIONS options). Its value is the place's geonameid, held in the URL as
`place=` (a name there is resolved to the best match). Choosing a place
patches the map: the marker trace (`place-marker`) and the geo's center and
scale; clearing the dropdown takes both back. `place-history` says in words,
in the page's language, when the place's point lay inside the area held by
Russian forces per the control source (`dashboard.core.place_history`, the
function the CLI's `place` command uses), and lists the statements that
mention the place, each linking to `?statement=ID`.
"""

from __future__ import annotations

import functools
from typing import Any
from urllib.parse import quote

from dash import Dash, Input, Output, Patch, State, dcc, html, no_update

from dashboard.core.control import ControlData
from dashboard.core.filters import parse_query
from dashboard.core.place_history import place_history
from dashboard.core.places import MAX_OPTIONS, Place, mention_text, mentions
from dashboard.core.search import clean_query
from dashboard.render.map_figure import trace_index
from dashboard.render.place_marker import PLACE_UID, place_props, place_zoom
from dashboard.text.places import history_lines, history_summary
from dashboard.web.context import PageContext
from dashboard.web.dropdowns import dropdown_labels
from dashboard.web.ids import Ids
from dashboard.web.map_figures import initial_figure

IDS = (Ids.PLACE_SEARCH, Ids.PLACE_HISTORY)


def _control(page: PageContext) -> ControlData | None:
    """The control data the history is read from (the one place a callback reaches for it)."""
    return page.data.control


def place_option(page: PageContext, place: Place, typed: str = "") -> dict[str, str]:
    """A dropdown option: "Bakhmut (Donetsk)"; `search` holds every name (and what was typed), so
    the dropdown's own filter keeps what the server found."""
    names = [typed, place.name, place.asciiname, *place.alternatenames]
    return {
        "label": page.text("places.option", name=place.name, region=page.region_name(place.admin1)),
        "value": str(place.geonameid),
        "search": " | ".join(dict.fromkeys(n for n in names if n)),
    }


def picked_place(page: PageContext, value: Any) -> Place | None:
    """The place a dropdown value names (a geonameid as text), or None for anything else."""
    gazetteer = page.data.places
    if gazetteer is None or not isinstance(value, (str, int)) or isinstance(value, bool):
        return None
    text = str(value).strip()
    return gazetteer.get(int(text)) if text.isascii() and text.isdigit() and len(text) < 12 else None


@functools.lru_cache(maxsize=4)
def mention_texts(page: PageContext) -> dict[str, str]:
    """Each record's quote and summary, normalised once per context for the mentions look-up."""
    return {
        claim.id: mention_text([claim.quote, claim.summary], [claim.source.publisher]) for claim in page.data.claims
    }


def url_place(page: PageContext, place_id: int | None) -> Place | None:
    """The place a URL's `place=` names (already resolved by parse_query), or None."""
    return page.data.places.get(place_id) if page.data.places is not None and place_id is not None else None


def layout(page: PageContext) -> html.Div:
    text = page.text
    place = url_place(page, page.initial_state().place)
    base = page.for_lang(page.lang)  # the context of this language without a state (cached look-ups)
    return html.Div(
        className="place-panel",
        children=[
            html.Label(text("places.label"), htmlFor=Ids.PLACE_SEARCH),
            dcc.Dropdown(
                id=Ids.PLACE_SEARCH,
                labels=dropdown_labels(page.text),
                options=[place_option(page, place)] if place is not None else [],
                value=str(place.geonameid) if place is not None else None,
                searchable=True,
                clearable=True,
                placeholder=text("places.placeholder"),
                disabled=page.data.places is None,
            ),
            html.Div(
                history_panel(page, place, mention_texts(base)) if place is not None else None,
                id=Ids.PLACE_HISTORY,
                className="place-history",
                role="status",
                **{"aria-live": "polite"},
            ),
        ],
    )


def history_panel(page: PageContext, place: Place, texts: dict[str, str]) -> list:
    """The place's name and region, its history in words (source named), and the statements naming it."""
    text = page.text
    history = place_history(_control(page), place)
    gazetteer = page.data.places
    children: list[Any] = [
        html.H3(text("places.heading", name=place.name, region=page.region_name(place.admin1))),
        html.P(text("places.history.heading"), className="place-history-label"),
        html.P(history_summary(history, text), className="place-summary"),
    ]
    lines = history_lines(history, text)
    if len(lines) > 1 or history.note:
        children.append(html.Ul([html.Li(line) for line in lines], className="place-runs"))
    children.append(html.P(text("places.point_note"), className="hint"))
    others = gazetteer.same_name(place) if gazetteer is not None else []
    if others:
        children.append(
            html.P(
                text(
                    "places.matches.other" if len(others) > 1 else "places.matches.one",
                    count=len(others),
                    name=place.name,
                ),
                className="hint",
            )
        )
    ids = mentions(texts, place)
    claims = [page.data.claims.get(i) for i in ids]
    claims = sorted((c for c in claims if c is not None), key=lambda c: (c.start, c.id), reverse=True)
    children.append(html.H4(text("places.statements.heading", name=place.name)))
    if claims:
        children.append(
            html.Ul(
                [
                    html.Li(
                        html.A(
                            f"{c.speaker or text('statements.reported_event')}, {text.partial(c.date)}: {c.summary}",
                            href="?statement=" + quote(c.id, safe=""),
                            **{"data-statement-id": c.id},
                        )
                    )
                    for c in claims
                ],
                className="place-statements",
            )
        )
    else:
        children.append(html.P(text("places.statements.none", name=place.name), className="muted"))
    children.append(html.P(text("places.attribution"), className="hint attribution"))
    return children


def register(app: Dash, page: PageContext) -> None:
    data = page.data
    marker = trace_index(initial_figure(page), PLACE_UID)
    texts = mention_texts(page)

    @app.callback(
        Output(Ids.PLACE_SEARCH, "options"),
        Input(Ids.PLACE_SEARCH, "search_value"),
        State(Ids.PLACE_SEARCH, "value"),
        State(Ids.LANG, "data"),
        prevent_initial_call=True,
    )
    def search_places(typed, value, lang=None):
        """At most MAX_OPTIONS places for what is typed; the picked one stays among them."""
        query = clean_query(typed)
        if not query or data.places is None:
            return no_update
        here = page.for_lang(lang)
        found = data.places.search(query, MAX_OPTIONS)
        picked = picked_place(here, value)
        if picked is not None and all(p.geonameid != picked.geonameid for p in found):
            found = [*found[: MAX_OPTIONS - 1], picked]
        return [place_option(here, p, query) for p in found]

    @app.callback(
        Output(Ids.PLACE_SEARCH, "value"),
        Output(Ids.PLACE_SEARCH, "options", allow_duplicate=True),
        Input(Ids.URL, "search"),
        State(Ids.LANG, "data"),
        State(Ids.PLACE_SEARCH, "value"),
        # On load the layout shows the URL's place; the address bar still reaches here once as the
        # page mounts (dcc.Location), then on Back / Forward.
        prevent_initial_call=True,
    )
    def url_to_place(search, lang=None, shown=None):
        """`place=` (an id or a name, already resolved by parse_query) -> the dropdown's value."""
        state, _ = parse_query(search, data.query_context)
        place = url_place(page, state.place)
        if (str(place.geonameid) if place is not None else None) == (str(shown) if shown is not None else None):
            return no_update, no_update  # the dropdown already shows it
        if place is None:
            return None, []
        return str(place.geonameid), [place_option(page.for_lang(lang), place)]

    @app.callback(
        Output(Ids.MAP, "figure", allow_duplicate=True),
        Output(Ids.PLACE_HISTORY, "children"),
        Input(Ids.PLACE_CHOSEN, "data"),  # the place dropdown's value, as after_map.py passes it on
        State(Ids.LANG, "data"),
        prevent_initial_call=True,
    )
    def show_place(value, lang=None):
        """The marker and the zoom (one Patch) and the history panel; nothing picked: both cleared."""
        here = page.for_lang(lang)
        place = picked_place(here, value)
        patch = Patch()
        for key, prop in place_props(place).items():
            patch["data"][marker][key] = prop
        zoom = place_zoom(place)
        patch["layout"]["geo"]["center"] = zoom["center"]
        patch["layout"]["geo"]["projection"]["scale"] = zoom["scale"]
        return patch, (history_panel(here, place, texts) if place is not None else None)
