"""Region look-up by code, name and common spellings."""

from __future__ import annotations

import pytest

from dashboard.core.errors import UnknownRegionError
from dashboard.core.region_names import as_code, normalise
from dashboard.sources.geodata import load_layers


@pytest.fixture(scope="module")
def layers():
    return load_layers()


@pytest.mark.parametrize(
    "name, code",
    [
        ("UA-14", "UA-14"),
        ("ua-14", "UA-14"),
        ("UA14", "UA-14"),
        ("Donetsk", "UA-14"),
        ("Donets'k", "UA-14"),
        ("Donetsk Oblast", "UA-14"),
        ("Донецька область", "UA-14"),
        ("Донецкая область", "UA-14"),
        ("zaporozhye", "UA-23"),
        ("Zaporizhzhya", "UA-23"),
        ("ZAPORIZHZHIA", "UA-23"),
        ("Lugansk", "UA-09"),
        ("Luhansk", "UA-09"),
        ("Herson", "UA-65"),
        ("kherson", "UA-65"),
        ("Krym", "UA-43"),
        ("Crimea", "UA-43"),
        ("Autonomous Republic of Crimea", "UA-43"),
        ("Автономна Республіка Крим", "UA-43"),
        ("Sevastopol", "UA-40"),
        ("Севастополь", "UA-40"),
        ("Kiev", "UA-30"),
        ("Kyiv", "UA-30"),
        ("Kyiv Oblast", "UA-32"),
        ("Odessa", "UA-51"),
        ("  lviv ", "UA-46"),
    ],
)
def test_lookup_accepts_codes_names_and_spellings(layers, name, code):
    assert layers.lookup(name) == code


@pytest.mark.parametrize("name", ["Atlantis", "", "UA-99", "Donbas-land", "<script>"])
def test_unknown_name_lists_valid_names(layers, name):
    with pytest.raises(UnknownRegionError) as error:
        layers.lookup(name)
    message = str(error.value)
    assert repr(name) in message
    for valid in ("Donetsk", "Luhansk", "Kherson", "Zaporizhzhia", "Sevastopol", "Autonomous Republic of Crimea"):
        assert valid in message


def test_names_in_three_languages(layers):
    crimea = layers.ukraine.loc["UA-43"]
    assert crimea["name_en"] == "Autonomous Republic of Crimea"
    assert crimea["name_uk"] == "Автономна Республіка Крим"
    assert crimea["name_ru"] == "Автономная Республика Крым"
    # Natural Earth names Kyiv city and Kyiv Oblast alike; the build tells them apart.
    assert layers.name_en("UA-30") != layers.name_en("UA-32")


@pytest.mark.parametrize(
    "text, key", [("Zaporiz'ka", "zaporizka"), ("Dnipro-petrovsk", "dnipropetrovsk"), ("ÉLÈVE", "eleve")]
)
def test_normalise(text, key):
    assert normalise(text) == key


@pytest.mark.parametrize("text, code", [("UA-05", "UA-05"), ("ua 05", "UA-05"), ("UA-5", None), ("X", None)])
def test_as_code(text, code):
    assert as_code(text) == code
