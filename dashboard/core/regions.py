"""Fixed facts about Ukraine's first-level units, independent of any data file.

ISO 3166-2:UA codes are stable identifiers; the contested set and the
grouping of Crimea follow the README's "Data sources and licences".
"""

from __future__ import annotations

from collections.abc import Iterable

#: Lambert azimuthal equal-area centred on Ukraine: areas in m², never in degrees.
EQUAL_AREA_CRS = "+proj=laea +lat_0=48.5 +lon_0=31.5 +x_0=0 +y_0=0 +ellps=WGS84 +units=m +no_defs"

#: All 27 first-level units of Ukraine (24 oblasts, Crimea, Kyiv, Sevastopol).
UA_CODES: frozenset[str] = frozenset(
    {
        "UA-05",
        "UA-07",
        "UA-09",
        "UA-12",
        "UA-14",
        "UA-18",
        "UA-21",
        "UA-23",
        "UA-26",
        "UA-30",
        "UA-32",
        "UA-35",
        "UA-40",
        "UA-43",
        "UA-46",
        "UA-48",
        "UA-51",
        "UA-53",
        "UA-56",
        "UA-59",
        "UA-61",
        "UA-63",
        "UA-65",
        "UA-68",
        "UA-71",
        "UA-74",
        "UA-77",
    }
)

#: "Crimea" in the sources means the peninsula: the Autonomous Republic and Sevastopol.
CRIMEA_CODES: tuple[str, ...] = ("UA-43", "UA-40")

#: "The four regions" Russia declared annexed in September 2022.
FOUR_REGIONS: tuple[str, ...] = ("UA-14", "UA-09", "UA-65", "UA-23")

#: The six contested features, in display order.
CONTESTED_CODES: tuple[str, ...] = CRIMEA_CODES + FOUR_REGIONS

#: Map/legend group of each contested code: Crimea and Sevastopol form one group.
GROUP_OF: dict[str, str] = {
    "UA-43": "crimea",
    "UA-40": "crimea",
    "UA-14": "donetsk",
    "UA-09": "luhansk",
    "UA-65": "kherson",
    "UA-23": "zaporizhzhia",
}


def widen_to_groups(codes: Iterable[str]) -> tuple[str, ...]:
    """Codes with each one's group completed, groups in their own order: UA-40 -> UA-43, UA-40.

    The one rule for "Crimea means the peninsula": a map click, the URL and the
    region filter all select Crimea and Sevastopol together.
    """
    result: list[str] = []
    for code in codes:
        group = GROUP_OF.get(code)
        for member in [c for c, g in GROUP_OF.items() if g == group] if group else [code]:
            if member not in result:
                result.append(member)
    return tuple(result)
