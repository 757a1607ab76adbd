"""The gettext catalogues: complete, translated, compiled, extractable.

Every key of `dashboard/text/en.py` must be in every language's catalogue with
a non-empty, non-fuzzy translation that keeps the English template's
placeholders; the committed `.mo` must be the `.po` compiled; the committed
`.pot` must be what `pybabel extract` makes of en.py now. A third language is
a catalogue and nothing else: shown with a small Russian one made on the fly.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po

from dashboard.text import LANGUAGES, Text, en, locales, text_for
from dashboard.text.extract import extract_catalogue, placeholders
from dashboard.text.locales import DOMAIN, LOCALE_DIR, SOURCE_LANG

REPO = Path(__file__).resolve().parents[1]
TRANSLATED = [lang for lang in LANGUAGES if lang != SOURCE_LANG]
Entry = tuple[str, str | tuple[str, ...]]  # (context, msgid or (msgid, msgid_plural))


def po_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def read_catalogue(path: Path) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle)


def source_entries() -> dict[Entry, tuple[str, ...]]:
    """(context, msgid) -> placeholders, from en.py and its continuations (en_*.py, as babel.cfg maps
    them) through the extraction method pybabel uses."""
    entries: dict[Entry, tuple[str, ...]] = {}
    for path in sorted((REPO / "dashboard" / "text").glob("en*.py")):
        with path.open("rb") as handle:
            entries.update(
                {
                    (context, tuple(ids) if len(ids) > 1 else ids[0]): tuple(
                        sorted(set().union(*map(placeholders, ids)))
                    )
                    for _, _, (context, *ids), _ in extract_catalogue(handle, (), (), {})
                }
            )
    return entries


def catalogue_problems(catalogue: Catalog, source: dict[Entry, tuple[str, ...]]) -> list[str]:
    """Why a catalogue is not complete: missing, untranslated, fuzzy or placeholder-losing entries."""
    problems = []
    entries = {(m.context, m.id): m for m in catalogue if m.id}
    for key in source.keys() - entries.keys():
        problems.append(f"{key[0]}: missing (run pybabel update)")
    for key in entries.keys() - source.keys():
        problems.append(f"{key[0]}: not in en.py (run pybabel update)")
    for key in source.keys() & entries.keys():
        message = entries[key]
        forms = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy:
            problems.append(f"{key[0]}: fuzzy")
        if not all(forms):
            problems.append(f"{key[0]}: untranslated")
        for form in filter(None, forms):
            if sorted(placeholders(form)) != list(source[key]):
                problems.append(f"{key[0]}: placeholders {sorted(placeholders(form))}, expected {list(source[key])}")
    return sorted(problems)


def test_there_is_a_ukrainian_catalogue():
    assert "uk" in LANGUAGES and LANGUAGES[0] == "en"


@pytest.mark.parametrize("lang", TRANSLATED)
def test_catalogue_is_complete_and_translated(lang):
    assert catalogue_problems(read_catalogue(po_path(lang)), source_entries()) == []


def test_the_completeness_check_can_fail():
    source = source_entries()
    broken = read_catalogue(po_path("uk"))
    broken.delete("Contested Regions Dashboard", context="app.title")
    broken.get("Dates", context="filters.dates").string = ""
    broken.get("Regions", context="filters.regions").flags.add("fuzzy")
    broken.get("{value} km²", context="unit.km2").string = "км²"
    broken.get(("{count} record", "{count} records"), context="count.record").string = ("{count} запис", "", "x")
    assert catalogue_problems(broken, source) == [
        "app.title: missing (run pybabel update)",
        "count.record: placeholders [], expected ['count']",
        "count.record: untranslated",
        "filters.dates: untranslated",
        "filters.regions: fuzzy",
        "unit.km2: placeholders [], expected ['value']",
    ]


@pytest.mark.parametrize("lang", TRANSLATED)
def test_compiled_catalogue_is_the_po_compiled(lang):
    """The committed .mo says exactly what the .po says (run `pybabel compile` after editing a .po)."""

    def flat(value):
        return tuple(value) if isinstance(value, (list, tuple)) else value

    with (po_path(lang).with_suffix(".mo")).open("rb") as handle:
        # Babel's read_mo gives the context as bytes.
        compiled = {
            (m.context.decode() if isinstance(m.context, bytes) else m.context, flat(m.id)): flat(m.string)
            for m in read_mo(handle)
            if m.id
        }
    written = {(m.context, flat(m.id)): flat(m.string) for m in read_catalogue(po_path(lang)) if m.id and not m.fuzzy}
    assert len(compiled) == len(en.CATALOGUE) - len(locales.plural_bases(en.CATALOGUE))
    assert compiled == written


def test_plural_forms_follow_the_language():
    catalogue = read_catalogue(po_path("uk"))
    assert catalogue.num_plurals == 3
    plural = catalogue.get(("{count} record", "{count} records"), context="count.record")
    assert len(plural.string) == 3


@pytest.mark.slow
def test_pybabel_extract_gives_the_committed_template(tmp_path):
    """`pybabel extract` as the README documents it finds every key, and the committed .pot is current."""
    out = tmp_path / "messages.pot"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            "babel.cfg",
            "--no-location",
            "--no-wrap",
            "-o",
            str(out),
            ".",
        ],
        cwd=REPO,
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    extracted = {(m.context, m.id) for m in read_catalogue(out) if m.id}
    committed = {(m.context, m.id) for m in read_catalogue(LOCALE_DIR / f"{DOMAIN}.pot") if m.id}
    assert extracted == set(source_entries()) == committed
    assert len(extracted) == len(en.CATALOGUE) - sum(
        key.endswith(".one") for key in en.CATALOGUE if key[:-4] + ".other" in en.CATALOGUE
    )


def test_format_patterns_keep_what_text_needs():
    for lang in LANGUAGES:
        assert "#,##0" in text_for(lang)("format.percent") and "%" in text_for(lang)("format.percent")


# ---------------------------------------------------------------------------
# a third language: a catalogue, no code


RUSSIAN = {
    (
        "status.annexation_declared",
        "Annexation declared by Russia (rejected by Ukraine and most states)",
    ): "Аннексия объявлена Россией (Украина и большинство государств её не признают)",
    ("count.record", ("{count} record", "{count} records")): ("{count} запись", "{count} записи", "{count} записей"),
}


@pytest.fixture
def with_russian(tmp_path, monkeypatch):
    """A copy of the locale directory plus a Russian catalogue, as `pybabel init` + `compile` would make it."""
    import shutil

    locale_dir = tmp_path / "locale"
    shutil.copytree(LOCALE_DIR, locale_dir)
    catalogue = Catalog(locale="ru", domain=DOMAIN)
    for (context, msgid), string in RUSSIAN.items():
        catalogue.add(msgid, string, context=context)
    target = locale_dir / "ru" / "LC_MESSAGES"
    target.mkdir(parents=True)
    with (target / f"{DOMAIN}.mo").open("wb") as handle:
        write_mo(handle, catalogue)
    monkeypatch.setattr(locales, "LOCALE_DIR", locale_dir)
    caches = (locales.available_languages, locales.translations, text_for)
    for cache in caches:
        cache.cache_clear()
    yield
    monkeypatch.undo()
    for cache in caches:
        cache.cache_clear()


def test_a_third_language_is_a_catalogue_only(with_russian):
    assert locales.available_languages() == ("en", "ru", "uk")
    ru = Text("ru")
    assert ru.status("annexation_declared").startswith("Аннексия объявлена Россией")
    assert [ru.plural("count.record", n) for n in (1, 3, 5, 21)] == ["1 запись", "3 записи", "5 записей", "21 запись"]
    assert ru.day(dt.date(2022, 9, 30)) == "30 сент. 2022"  # CLDR's Russian month, the catalogue's pattern
    assert ru("kind.event") == "Event"  # not yet translated: English, until the catalogue has it


def test_unknown_language_is_refused():
    with pytest.raises(ValueError, match="no catalogue for language 'xx'; known: en, uk"):
        Text("xx")
