"""Plotly's own words on the page in the page's language: the charts' toolbar tooltips
and notices, and the month and day names and number separators of the timeline's axis.

plotly.js looks its strings up by their English text in `config.locales[lang].dictionary`; the
English texts are catalogue entries (`plotly.*` in `dashboard/text/en.py`), so a language's
catalogue translates them like any other string. Month and day names and separators come from
CLDR through Babel, for any language.
"""

from __future__ import annotations

from babel import Locale
from babel.numbers import get_decimal_symbol, get_group_symbol

from dashboard.text import DEFAULT_LANG, Text, text_for

#: The catalogue keys of the plotly.js strings the page's charts can show.
PLOTLY_KEYS = (
    "plotly.zoom_in",
    "plotly.zoom_out",
    "plotly.reset",
    "plotly.reset_view",
    "plotly.pan",
    "plotly.box_select",
    "plotly.closest",
    "plotly.download_png",
    "plotly.preparing_image",
    "plotly.image_done",
    "plotly.image_failed",
    "plotly.legend_isolate",
    "plotly.zoom",
    "plotly.autoscale",
    "plotly.reset_axes",
)


def _calendar(lang: str) -> dict:
    """plotly.js's `format` for `lang`: month and day names (plotly's weeks start on Sunday)."""
    locale = Locale.parse(lang)
    months, days = locale.months["stand-alone"], locale.days["stand-alone"]
    sunday_first = [6, 0, 1, 2, 3, 4, 5]
    return {
        "months": [months["wide"][m] for m in range(1, 13)],
        "shortMonths": [months["abbreviated"][m] for m in range(1, 13)],
        "days": [days["wide"][d] for d in sunday_first],
        "shortDays": [days["abbreviated"][d] for d in sunday_first],
        "decimal": get_decimal_symbol(lang),
        "thousands": get_group_symbol(lang),
    }


def plotly_locale(text: Text) -> dict:
    """The dcc.Graph config keys that put plotly.js's words in `text`'s language ({} for English)."""
    if text.lang == DEFAULT_LANG:
        return {}
    english = text_for()
    dictionary = {english(key): text(key) for key in PLOTLY_KEYS}
    return {"locale": text.lang, "locales": {text.lang: {"dictionary": dictionary, "format": _calendar(text.lang)}}}
