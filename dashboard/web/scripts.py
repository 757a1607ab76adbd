"""The page's scripts: Dash's @babel/polyfill left out, regenerator-runtime (assets/regenerator/) in its place.

Dash puts @babel/polyfill 7.12 (core-js 2, 99 KB) before React on every page for browsers without
ES2015+. Every browser React 18 runs in has those natively. Of what the polyfill adds, Dash's
bundles use only the global `regeneratorRuntime` (the async functions of dcc's lazy components),
which assets/regenerator/regenerator-runtime.js defines. Without the polyfill a load compiles and
runs 99 KB less, and core-js no longer replaces native methods it judges incomplete (String's
trim among them, which showed in profiles of the first paint): the map's first region comes
about 0.04 s sooner, cold and warm, on the benchmark machine (`python -m benchmarks.first_paint`).

If a later Dash names the polyfill otherwise, nothing is left out and the page loads both.
"""

from __future__ import annotations

import re

__all__ = ["without_babel_polyfill"]

#: Dash's script tag for the polyfill, served locally (`deps/polyfill@<version>[.min].js`, fingerprinted).
_POLYFILL_TAG = re.compile(r'<script src="[^"]*/deps/polyfill@[^"]*"></script>\n?')


def without_babel_polyfill(scripts: str) -> str:
    """Dash's `{%scripts%}` HTML without its @babel/polyfill tag (unchanged if it has none)."""
    return _POLYFILL_TAG.sub("", scripts, count=1)
