"""The page's language: which one a request gets, the `lang` store, the switch.

The language is `?lang=` when it names a catalogue, else the browser's `Accept-Language`, else English
(`dashboard.text.negotiate.choose_lang`). The app's layout is a function of the request (Dash calls it
per page load): the page is laid out from that language's PageContext, and the `lang` store (public)
tells every callback that produces words which language to use. Dash's renderer fetches the layout
without the page's query, so `dashboardLayoutLang` (assets/dashboard.js) adds the page's `lang` to that
one request. The switch is a link per language, each in its own name ("English | Українська"),
reloading the page with `lang` set and the other parameters kept (`langLinks` keeps the hrefs in step
with the address bar). A third language is a third catalogue: the links come from LANGUAGES.
"""

from __future__ import annotations

import flask
from dash import ALL, ClientsideFunction, Dash, Input, Output, State, dcc, html

from dashboard.text import LANGUAGES, text_for
from dashboard.text.negotiate import choose_lang
from dashboard.web.context import PageContext
from dashboard.web.ids import LANG_LINK, Ids

IDS = (Ids.LANG, Ids.LANG_SWITCH)


def asked_lang() -> str | None:
    """The current request's `lang=` as sent (None outside a request, or when it cannot be read)."""
    if not flask.has_request_context():
        return None
    try:
        return flask.request.args.get("lang")
    except (UnicodeDecodeError, ValueError):  # a hostile query string: the browser's choice then
        return None


def request_lang() -> str:
    """The language of the current request (English outside one, e.g. when Dash checks the layout)."""
    if not flask.has_request_context():
        return text_for().lang
    return choose_lang(asked_lang(), flask.request.headers.get("Accept-Language"))


def store(page: PageContext) -> dcc.Store:
    return dcc.Store(id=Ids.LANG, data=page.lang)


def switch(page: PageContext) -> html.Nav:
    """ "English | Українська": each language named in itself, the current one marked, not a link away."""
    links: list = []
    for index, lang in enumerate(LANGUAGES):
        if index:
            links.append(html.Span(" | ", className="lang-sep", **{"aria-hidden": "true"}))
        current = {"aria-current": "true"} if lang == page.lang else {}
        links.append(
            html.A(
                text_for(lang)("lang.name"),
                id={"type": LANG_LINK, "lang": lang},
                href=f"?lang={lang}",
                lang=lang,
                hrefLang=lang,
                className="lang-link",
                **current,
            )
        )
    return html.Nav(
        id=Ids.LANG_SWITCH, className="lang-switch", children=links, **{"aria-label": page.text("lang.switch")}
    )


def register(app: Dash, page: PageContext) -> None:
    app.clientside_callback(
        ClientsideFunction(namespace="contested", function_name="langLinks"),
        Output({"type": LANG_LINK, "lang": ALL}, "href"),
        Input(Ids.URL_WRITTEN, "data"),
        State({"type": LANG_LINK, "lang": ALL}, "id"),
    )
