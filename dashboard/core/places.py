"""The gazetteer: Ukraine's populated places and a name index over them.

Pure domain: the table is read by ``dashboard.sources.places`` from the bundled
``geodata/places_ua.parquet`` (GeoNames.org cities500, CC BY 4.0; built by
``geodata/build_places.py``).

Names are matched through the project's search normalisation
(``dashboard.core.search.normalise``: case and accents folded), with
apostrophes dropped and hyphens read as spaces, so "Artemivs'k", "artemivsk",
"Артемівськ" and "бахмут" all find Bakhmut. Each place is found by its name,
its ASCII name and every alternate name (former names, Ukrainian and Russian
spellings). Ranking: an exact name first, then a name that starts with the
query, then one that contains it; within each tier the larger population first.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from dashboard.core.search import clean_query, normalise

__all__ = [
    "MAX_OPTIONS",
    "MIN_MENTION_LENGTH",
    "PLACE_COLUMNS",
    "Gazetteer",
    "Place",
    "mention_text",
    "mentions",
    "name_key",
]

#: Columns of the gazetteer table.
PLACE_COLUMNS: tuple[str, ...] = (
    "geonameid",
    "name",
    "asciiname",
    "alternatenames",
    "lat",
    "lon",
    "feature_code",
    "population",
    "admin1",
)
#: The most places a search returns (the page's dropdown shows no more).
MAX_OPTIONS = 20
#: Shorter names (after `name_key`) are not looked for in record text: too many false hits.
MIN_MENTION_LENGTH = 4

_APOSTROPHES = re.compile("['\u2019\u02bc\u02b9\u2018`\u00b4]")
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015]+")


def name_key(text: str) -> str:
    """A name as the index compares it: `search.normalise`, apostrophes dropped, hyphens as spaces."""
    return _SEPARATORS.sub(" ", _APOSTROPHES.sub("", normalise(text))).strip()


def mention_text(parts: Iterable[str | None], ignore: Iterable[str | None] = ()) -> str:
    """A record's text (quote, summary) as `mentions` searches it: each part through `name_key`, with
    the names in `ignore` (the record's publisher: "The Kyiv Independent reports...") taken out."""
    text = "\n".join(name_key(part) for part in parts if part)
    for name in ignore:
        key = name_key(name) if name else ""
        if key:
            text = text.replace(key, " ")
    return text


def mentions(texts: Mapping[str, str], place: Place) -> list[str]:
    """The keys of `texts` (each a `mention_text`) that name `place` by any of its names (at least
    MIN_MENTION_LENGTH long), as whole words."""
    keys = {name_key(n) for n in (place.name, place.asciiname, *place.alternatenames)}
    names = sorted((n for n in keys if len(n) >= MIN_MENTION_LENGTH), key=len, reverse=True)
    if not names:
        return []
    # An optional "s" after the name: "Bakhmut's" reads "bakhmuts" once its apostrophe is dropped.
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(n) for n in names) + r")s?(?!\w)")
    return [key for key, text in texts.items() if pattern.search(text)]


@dataclass(frozen=True)
class Place:
    """One populated place (a GeoNames row); `admin1` is the project's ISO 3166-2 unit code."""

    geonameid: int
    name: str
    asciiname: str
    alternatenames: tuple[str, ...]
    lat: float
    lon: float
    feature_code: str
    population: int
    admin1: str


@dataclass(frozen=True, eq=False)
class Gazetteer:
    """The places, indexed by id and by every name; built once at load, then read-only."""

    frame: pd.DataFrame
    provenance: Mapping[str, Any] = field(default_factory=dict)
    _rows: dict[int, int] = field(init=False, repr=False)
    _exact: dict[str, tuple[int, ...]] = field(init=False, repr=False)
    _keys: pd.Series = field(init=False, repr=False)  # one name key per (place, name)
    _key_rows: np.ndarray = field(init=False, repr=False)  # its row in frame
    _rank: np.ndarray = field(init=False, repr=False)  # row -> rank by population (0: largest)

    def __post_init__(self) -> None:
        missing = [c for c in PLACE_COLUMNS if c not in self.frame.columns]
        if missing:
            raise ValueError(f"gazetteer: missing column(s) {', '.join(missing)}")
        frame = self.frame[list(PLACE_COLUMNS)].reset_index(drop=True)
        if frame["geonameid"].duplicated().any():
            raise ValueError("gazetteer: a geonameid appears twice")
        keys: list[str] = []
        rows: list[int] = []
        exact: dict[str, list[int]] = {}
        for row, names in enumerate(zip(frame["name"], frame["asciiname"], frame["alternatenames"], strict=True)):
            seen: set[str] = set()
            for name in (names[0], names[1], *list(names[2] if names[2] is not None else ())):
                key = name_key(str(name))
                if key and key not in seen:
                    seen.add(key)
                    keys.append(key)
                    rows.append(row)
                    exact.setdefault(key, []).append(row)
        order = np.lexsort((frame["geonameid"].to_numpy(), -frame["population"].to_numpy()))
        rank = np.empty(len(frame), dtype=np.int64)
        rank[order] = np.arange(len(frame))
        object.__setattr__(self, "frame", frame)
        object.__setattr__(self, "_rows", {int(g): i for i, g in enumerate(frame["geonameid"])})
        object.__setattr__(self, "_exact", {k: tuple(sorted(v, key=rank.__getitem__)) for k, v in exact.items()})
        object.__setattr__(self, "_keys", pd.Series(keys, dtype=object))
        object.__setattr__(self, "_key_rows", np.asarray(rows, dtype=np.int64))
        object.__setattr__(self, "_rank", rank)

    def __len__(self) -> int:
        return len(self.frame)

    @property
    def signature(self) -> str:
        """Names this gazetteer's points (ids and coordinates): a held-places table computed against
        another gazetteer is recomputed."""
        digest = hashlib.sha256(self.ids.tobytes() + self.lons.tobytes() + self.lats.tobytes())
        return f"{len(self)}:{digest.hexdigest()[:16]}"

    @property
    def ids(self) -> np.ndarray:
        column: np.ndarray = self.frame["geonameid"].to_numpy(dtype=np.int64)
        return column

    @property
    def lons(self) -> np.ndarray:
        column: np.ndarray = self.frame["lon"].to_numpy(dtype=float)
        return column

    @property
    def lats(self) -> np.ndarray:
        column: np.ndarray = self.frame["lat"].to_numpy(dtype=float)
        return column

    def _place(self, row: int) -> Place:
        r = self.frame.iloc[row]
        alts = r["alternatenames"]
        return Place(
            int(r["geonameid"]),
            str(r["name"]),
            str(r["asciiname"]),
            tuple(str(a) for a in (alts if alts is not None else ())),
            float(r["lat"]),
            float(r["lon"]),
            str(r["feature_code"]),
            int(r["population"]),
            str(r["admin1"]),
        )

    def get(self, geonameid: int) -> Place | None:
        row = self._rows.get(int(geonameid))
        return None if row is None else self._place(row)

    def search(self, query: str, limit: int = MAX_OPTIONS) -> list[Place]:
        """Places whose name (any of them) matches `query`: exact, then prefix, then substring;
        each tier by population, largest first. An empty query finds nothing."""
        key = name_key(clean_query(query))
        if not key or limit <= 0:
            return []
        ranked: list[int] = list(self._exact.get(key, ()))
        if len(ranked) < limit:
            # One pass for "contains"; "starts with" is then tested on those few only.
            inside = np.flatnonzero(self._keys.str.contains(key, regex=False).to_numpy(dtype=bool))
            starts = np.asarray([k.startswith(key) for k in self._keys.iloc[inside]], dtype=bool)
            for hits in (inside[starts], inside[~starts]):
                rows = np.unique(self._key_rows[hits])
                rows = rows[np.argsort(self._rank[rows], kind="stable")]
                ranked.extend(int(r) for r in rows)
        out: list[int] = []
        for row in ranked:
            if row not in out:
                out.append(row)
                if len(out) == limit:
                    break
        return [self._place(r) for r in out]

    def best(self, query: str) -> Place | None:
        """The first match of `search`, or None."""
        found = self.search(query, limit=1)
        return found[0] if found else None

    def same_name(self, place: Place, query: str = "") -> list[Place]:
        """Other places called exactly like `place` (its name) or like `query` (any of their names),
        largest first: so "Mykolaivka" is never silently one of many."""
        rows = set(self._exact.get(name_key(place.name), ()))
        if query:
            rows |= set(self._exact.get(name_key(clean_query(query)), ()))
        rows.discard(self._rows[place.geonameid])
        return [self._place(r) for r in sorted(rows, key=self._rank.__getitem__)]

    def resolve(self, value: str) -> Place | None:
        """A place by geonameid (digits) or by name (the best match); None when neither finds one."""
        text = clean_query(value)
        if text.isascii() and text.isdigit():
            return self.get(int(text))
        return self.best(text)

    def suggest(self, query: str, n: int = 3) -> list[str]:
        """Names close to `query` in spelling (for an error message), the larger place first."""
        key = name_key(clean_query(query))
        if not key:
            return []
        close = difflib.get_close_matches(key, list(self._exact), n=n * 3, cutoff=0.75)
        out: list[str] = []
        for k in close:
            name = str(self.frame["name"].iat[self._exact[k][0]])
            if name not in out:
                out.append(name)
        return out[:n]

    def largest_in(self, bbox: tuple[float, float, float, float], n: int) -> list[Place]:
        """The `n` most populous places inside `bbox` = (west, south, east, north), in degrees."""
        west, south, east, north = bbox
        lon, lat = self.lons, self.lats
        rows = np.flatnonzero((lon >= west) & (lon <= east) & (lat >= south) & (lat <= north))
        rows = rows[np.argsort(self._rank[rows], kind="stable")][: max(n, 0)]
        return [self._place(int(r)) for r in rows]
