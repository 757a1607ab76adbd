"""What every panel is built from: the Dataset, the words, and the app's services.

One immutable object per language, made once by the app factory (`page_contexts`) and handed to
each panel's `layout(page)` and `register(app, page)`: callbacks read it and nothing else (no file
I/O, no mutable globals). A callback that produces words takes the page's language (the `lang`
store) and reads `page.for_lang(lang)`: the same data and services, that language's Text.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType

from dashboard.core.dataset import Dataset
from dashboard.core.filters import FilterState, Notice
from dashboard.render.export_job import EmbedAssets
from dashboard.render.export_queue import ExportQueue
from dashboard.render.exporter import Exporter
from dashboard.text import DEFAULT_LANG, LANGUAGES, Text, text_for


@dataclass(frozen=True, eq=False)
class PageContext:
    data: Dataset
    text: Text
    exporter: Exporter
    #: Where the page's plotly.js finds the basemap topojson (served from assets/, never a CDN).
    topojson_url: str
    #: The context of each language (this one included), shared by all of them; filled at start-up.
    languages: Mapping[str, PageContext] = field(default_factory=dict, repr=False)
    #: What an HTML map export carries inline (plotly.js, the basemap), read once at start-up.
    embed_assets: EmbedAssets | None = field(default=None, repr=False)
    #: The page's exports: one renders, a few wait, the rest are refused at once (shared by all languages).
    export_queue: ExportQueue = field(default_factory=ExportQueue, repr=False)
    #: The filter state the page is laid out for: the URL's, read when the layout is asked for
    #: (`with_state`), so the first paint already shows it and no start-up callback has to; None: the default.
    state: FilterState | None = field(default=None, repr=False)
    #: What the URL asked for that was ignored or changed (shown in the notice on first paint).
    notices: tuple[Notice, ...] = field(default=(), repr=False)

    @property
    def lang(self) -> str:
        return self.text.lang

    def initial_state(self) -> FilterState:
        """The state the page is laid out for (the URL's, or the default)."""
        return self.state if self.state is not None else self.data.query_context.default_state()

    def with_state(self, state: FilterState, notices: tuple[Notice, ...] = ()) -> PageContext:
        """This context laid out for `state` (a URL's): same data, words and services."""
        return replace(self, state=state, notices=tuple(notices))

    def for_lang(self, lang: object) -> PageContext:
        """The context in `lang` (as the browser sent it: anything); this one when it names none there is."""
        return self.languages.get(lang, self) if isinstance(lang, str) else self

    def region_name(self, code: str) -> str:
        """A unit's name in this context's language."""
        return self.data.region_name(code, self.lang)


def page_contexts(
    data: Dataset,
    exporter: Exporter,
    topojson_url: str,
    languages: tuple[str, ...] = LANGUAGES,
    embed_assets: EmbedAssets | None = None,
) -> Mapping[str, PageContext]:
    """One context per language, all over the same data and services (nothing is loaded twice)."""
    contexts: dict[str, PageContext] = {}
    shared = MappingProxyType(contexts)
    queue = ExportQueue()
    for lang in dict.fromkeys((DEFAULT_LANG, *languages)):
        contexts[lang] = PageContext(
            data=data,
            text=text_for(lang),
            exporter=exporter,
            topojson_url=topojson_url,
            languages=shared,
            embed_assets=embed_assets,
            export_queue=queue,
        )
    return shared
