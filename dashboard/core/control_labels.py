"""Classify DeepStateMap polygon labels into occupied, grey zone and other.

Pure functions, no I/O. The raw snapshots changed their label scheme three
times (see ../shared/data/README.md):

==========  ===========================================================  =====================
scheme      example label                                                class
==========  ===========================================================  =====================
2022-04     ``Окуповано``, ``ОРДЛО``, ``Крим``, ``Ізюм. Окуповано``      occupied
            ``Під питанням``, ``Невідомо точно ...``, ``Начебто ...``    grey
            ``Звільнено 25.03``, ``Орки відсутні``                       other (liberated)
2022-06     ``Окуповано /// Occupied``, ``Окупований Крим /// ...``      occupied
            ``Під питанням /// Contested``                               grey
            ``Звільнено /// Taken back``, ``... /// Recaptured ...``     other
2022-09     ``Статус невідомий /// Unknown status``                      grey
            ``ОРДЛО /// CADR and CALR``, ``Острів Тузла /// Occupied``   occupied
            ``Звільнено /// Liberated``                                  other
2024-04     ``... /// geoJSON.status.occupied`` / ``territories.crimea``  occupied
            ``... /// geoJSON.status.unknown``                           grey
            ``... /// geoJSON.status.dismissed[_at ...]``                other
==========  ===========================================================  =====================

Order of the rules: a translation key (third part, from 2024) decides first;
then places outside Ukraine (Transnistria, whose polygon touches Odesa's
border); then words of doubt (grey), of liberation (other), of occupation
(occupied). A label with no status word at all ("Багатокутник 11", "24.03",
"Зміїний /// Snake Island") is classified by DeepStateMap's own fill colour
(:func:`classify_style`), which the importer reports. Anything left is an
unknown label: reported with its count, never guessed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from enum import StrEnum

__all__ = ["ControlClass", "classify_label", "classify_style", "label_parts", "normalise_label", "parse_class"]


class ControlClass(StrEnum):
    """What a polygon of a control source means."""

    OCCUPIED = "occupied"  # held by Russian forces: occupied, ORDLO / CADR and CALR, occupied Crimea
    GREY = "grey"  # grey zone: unknown status, contested, "Під питанням"
    OTHER = "other"  # liberated, or anything outside Ukraine: dropped


_SPACES = re.compile(r"\s+")


def normalise_label(label: object) -> str:
    """Casefolded, NFKC (non-breaking spaces become spaces), whitespace collapsed, stripped."""
    text = unicodedata.normalize("NFKC", str(label or ""))
    text = text.replace("\u2019", "'").replace("\u02bc", "'")
    return _SPACES.sub(" ", text).strip().casefold()


def label_parts(label: object) -> tuple[str, ...]:
    """The ``///``-separated parts (Ukrainian, English, translation key), each normalised."""
    return tuple(p for p in (normalise_label(part) for part in str(label or "").split("///")) if p)


_KEY_CLASSES: tuple[tuple[str, ControlClass], ...] = (
    ("geojson.status.occupied", ControlClass.OCCUPIED),
    ("geojson.status.unknown", ControlClass.GREY),
    ("geojson.status.contested", ControlClass.GREY),
    ("geojson.status.dismissed", ControlClass.OTHER),  # also dismissed_at {{at:25.03}}
    ("geojson.status.liberated", ControlClass.OTHER),
    ("geojson.territories.crimea", ControlClass.OCCUPIED),
    ("geojson.territories.ordlo", ControlClass.OCCUPIED),
    ("geojson.territories.tuzla", ControlClass.OCCUPIED),
)
#: Any other territory key names a place outside Ukraine (Transnistria, Abkhazia, Karelia ...).
_OUTSIDE_KEY = "geojson.territories."
_OUTSIDE_WORDS = ("придністров", "transnistria")
_GREY_WORDS = (
    "під питанням",
    "статус невідомий",
    "невідомо",
    "начебто",
    "contested",
    "unknown status",
    "grey zone",
    "сіра зона",
)
_OTHER_WORDS = ("звільн", "liberated", "taken back", "відбит", "recaptured", "ворога відкинуто", "орки відсутні")
_OCCUPIED_WORDS = ("окуп", "occupied", "ордло", "cadr", "calr", "зайняті ворогом", "under occupation")
_CRIMEA = re.compile(r"(^|[^\w])крим($|[^\w])")


def classify_label(label: object, mapping: Mapping[str, ControlClass] | None = None) -> ControlClass | None:
    """The class a label names, or None when it names none.

    `mapping` (normalised label -> class, see :func:`parse_class`) is the
    user's own and wins over every built-in rule.
    """
    whole = normalise_label(label)
    if mapping and whole in mapping:
        return mapping[whole]
    parts = label_parts(label)
    for part in parts:
        if part.startswith("geojson."):
            for key, cls in _KEY_CLASSES:
                if part.startswith(key):
                    return cls
            if part.startswith(_OUTSIDE_KEY):
                return ControlClass.OTHER
    text = " ".join(parts)
    for words, cls in (
        (_OUTSIDE_WORDS, ControlClass.OTHER),
        (_GREY_WORDS, ControlClass.GREY),
        (_OTHER_WORDS, ControlClass.OTHER),
        (_OCCUPIED_WORDS, ControlClass.OCCUPIED),
    ):
        if any(word in text for word in words):
            return cls
    if _CRIMEA.search(text):
        return ControlClass.OCCUPIED
    return None


#: DeepStateMap's fill colours (KML style ids ``#poly-A52714-1200-77``), all six snapshots.
_STYLE_CLASSES: dict[str, ControlClass] = {
    "a52714": ControlClass.OCCUPIED,  # occupied
    "880e4f": ControlClass.OCCUPIED,  # ORDLO, occupied Crimea (2022-06 on)
    "000000": ControlClass.OCCUPIED,  # ORDLO, Crimea (2022-04)
    "bcaaa4": ControlClass.GREY,  # unknown status / contested
    "bdbdbd": ControlClass.GREY,
    "0f9d58": ControlClass.OTHER,  # liberated
    "0288d1": ControlClass.OTHER,
    "01579b": ControlClass.OTHER,
    "ff5252": ControlClass.OTHER,  # outside Ukraine
}
_HEX = re.compile(r"#?(?:poly-)?([0-9a-fA-F]{6})")


def classify_style(fill: object) -> ControlClass | None:
    """Class from a fill colour (``#a52714``) or style id (``#poly-A52714-1200-77``), else None."""
    match = _HEX.match(str(fill or "").strip())
    return _STYLE_CLASSES.get(match.group(1).lower()) if match else None


_CLASS_WORDS: dict[str, ControlClass] = {
    "occupied": ControlClass.OCCUPIED,
    "held": ControlClass.OCCUPIED,
    "grey": ControlClass.GREY,
    "gray": ControlClass.GREY,
    "contested": ControlClass.GREY,
    "unknown": ControlClass.GREY,
    "other": ControlClass.OTHER,
    "liberated": ControlClass.OTHER,
    "ignore": ControlClass.OTHER,
}


def parse_class(value: object) -> ControlClass:
    """A class from a mapping file's value; ValueError names the accepted words."""
    cls = _CLASS_WORDS.get(str(value).strip().lower())
    if cls is None:
        raise ValueError(f"unknown class {value!r}; expected occupied, grey or other")
    return cls
