"""Ukraine's 27 units and the neighbouring countries as data, and region look-up by name.

Every UA-* unit belongs to Ukraine's layer: the base is Ukraine's
internationally recognised borders; claims and control are dated data drawn on
top (README, "Data sources and licences"). Reading the files is `dashboard.sources.geodata`.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
import pandas as pd

from dashboard.core.errors import UnknownRegionError
from dashboard.core.region_names import ALIASES, as_code, normalise, without_region_word
from dashboard.core.regions import UA_CODES

__all__ = ["NAME_LANGS", "RegionLayers", "build_index"]

#: The languages the layers name each unit in: a `name_<lang>` column each (`name_uk`: "Донецька область").
NAME_LANGS: tuple[str, ...] = ("en", "uk", "ru")


@dataclass(frozen=True, eq=False)  # eq=False: hashed by identity, so figure caches can key on it
class RegionLayers:
    """Ukraine's 27 units and the neighbouring countries, ready for figures and look-ups."""

    ukraine: gpd.GeoDataFrame
    neighbours: gpd.GeoDataFrame
    _index: dict[str, str] = field(repr=False, compare=False)

    @property
    def contested(self) -> gpd.GeoDataFrame:
        return self.ukraine[self.ukraine["contested"]]

    @property
    def others(self) -> gpd.GeoDataFrame:
        """Ukraine's other oblasts and Kyiv city (context layer)."""
        return self.ukraine[~self.ukraine["contested"]]

    @functools.cached_property
    def names_en(self) -> dict[str, str]:
        """Code -> English name, for hot paths (a dict look-up, not a DataFrame one)."""
        return dict(zip(self.ukraine["code"], self.ukraine["name_en"], strict=True))

    def name_en(self, code: str) -> str:
        return self.names_en[code]

    @functools.cached_property
    def _names(self) -> dict[str, dict[str, str]]:
        return {lang: dict(zip(self.ukraine["code"], self.ukraine[f"name_{lang}"], strict=True)) for lang in NAME_LANGS}

    def names(self, lang: str) -> dict[str, str]:
        """Code -> name in `lang` (from `name_<lang>`); English for a language the layers do not name in."""
        return self._names.get(lang) or self.names_en

    def lookup(self, name: str) -> str:
        """ISO 3166-2 code for a code or any known name/spelling, case and accents ignored."""
        code = as_code(name)
        if code in UA_CODES:
            return code
        for key in (normalise(name), normalise(without_region_word(name))):
            if key and key in self._index:
                return self._index[key]
        valid = ", ".join(sorted(self.ukraine["name_en"]))
        raise UnknownRegionError(
            f"unknown region {name!r}; expected an ISO 3166-2 code such as UA-14 or one of: {valid}"
        )

    def region_rows(self) -> list[dict[str, Any]]:
        """One flat record per unit, in code order (the `regions` command's rows)."""
        columns = ["code", "name_en", "name_uk", "name_ru", "area_km2", "contested", "group"]
        frame = self.ukraine.reset_index(drop=True)[columns]
        rows: list[dict[str, Any]] = frame.to_dict(orient="records")
        for row in rows:
            row["contested"] = bool(row["contested"])
            row["area_km2"] = float(row["area_km2"])
            row["group"] = row["group"] or None
        return rows


def build_index(ukraine: pd.DataFrame) -> dict[str, str]:
    """Normalised name -> code. Explicit names win over derived variants."""
    index: dict[str, str] = {}
    explicit: list[tuple[str, str]] = []
    for row in ukraine.itertuples():
        names = [row.code, row.name_en, row.name_uk, row.name_ru, row.name_ne]
        names += [n for n in str(row.name_alt).split("|") if n]
        names += list(ALIASES.get(row.code, ()))
        explicit += [(str(n), row.code) for n in names]
    for name, code in explicit:
        index.setdefault(normalise(name), code)
    for name, code in explicit:  # "Донецька область" -> also "донецька"
        index.setdefault(normalise(without_region_word(name)), code)
    index.pop("", None)
    return index
