"""The gettext catalogues: which languages there are, and each one's compiled translations.

English is the source language: `en.py` maps each key to its English template,
and that template is the gettext msgid. Every other language is a catalogue
`locale/<lang>/LC_MESSAGES/messages.po` (compiled beside it to `messages.mo`),
whose entries carry the key as their message context (msgctxt), so two keys
with the same English words are translated apart. A pair of keys
`X.one` / `X.other` is one plural entry (msgctxt `X`, msgid and msgid_plural),
so each language gets as many plural forms as its grammar has (Ukrainian: three).

A language is there when its compiled catalogue is: adding a language is adding
a catalogue (README, "Languages"); no code changes.
"""

from __future__ import annotations

import gettext
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

__all__ = [
    "DOMAIN",
    "LOCALE_DIR",
    "SOURCE_LANG",
    "available_languages",
    "is_plural_key",
    "plural_bases",
    "translations",
]

#: The language of `en.py`, the source catalogue; it has no gettext catalogue of its own.
SOURCE_LANG = "en"
#: gettext's domain: the catalogues are `messages.po` / `messages.mo`.
DOMAIN = "messages"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
#: The two keys of a plural entry end in these.
PLURAL_FORMS = ("one", "other")


def plural_bases(catalogue: Mapping[str, str]) -> frozenset[str]:
    """Keys `X` for which the catalogue has both `X.one` and `X.other`: one plural entry each."""
    return frozenset(
        key[: -len(".one")] for key in catalogue if key.endswith(".one") and key[: -len(".one")] + ".other" in catalogue
    )


def is_plural_key(key: str, bases: frozenset[str]) -> tuple[str, str] | None:
    """(base, form) when `key` is `base.one` or `base.other` of a plural entry, else None."""
    base, _, form = key.rpartition(".")
    return (base, form) if form in PLURAL_FORMS and base in bases else None


@lru_cache(maxsize=1)
def available_languages() -> tuple[str, ...]:
    """English, then every language with a compiled catalogue under `locale/`, sorted."""
    found = sorted(path.parent.parent.name for path in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.mo"))
    return (SOURCE_LANG, *(lang for lang in found if lang != SOURCE_LANG))


@lru_cache(maxsize=16)
def translations(lang: str) -> gettext.NullTranslations:
    """The compiled catalogue of `lang`, read once; for English, the identity (msgid as written)."""
    if lang == SOURCE_LANG:
        return gettext.NullTranslations()
    if lang not in available_languages():
        raise ValueError(f"no catalogue for language {lang!r}; known: {', '.join(available_languages())}")
    with (LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.mo").open("rb") as compiled:
        return gettext.GNUTranslations(compiled)
