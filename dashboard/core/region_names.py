"""Name matching for region look-up: codes, official names and common spellings."""

from __future__ import annotations

import re
import unicodedata

# Spellings users type that Natural Earth does not carry (transliterations,
# Russian-derived and older English forms). Natural Earth's own names are
# added from the data at load time.
ALIASES: dict[str, tuple[str, ...]] = {
    "UA-43": ("Crimea", "Krym", "Krim", "Crimean Autonomous Republic", "Republic of Crimea", "Крим", "Крым"),
    "UA-40": ("Sevastopol", "Sebastopol", "Sewastopol", "Sevastopol City", "Севастополь"),
    "UA-14": ("Donetsk", "Donets'k", "Donezk", "Donetsk Oblast", "Донецьк", "Донецк", "Donechchyna", "Донеччина"),
    "UA-09": ("Luhansk", "Lugansk", "Luhans'k", "Luhansk Oblast", "Луганськ", "Луганск", "Luhanshchyna", "Луганщина"),
    "UA-65": ("Kherson", "Herson", "Cherson", "Kherson Oblast", "Херсон", "Khersonshchyna", "Херсонщина"),
    "UA-23": (
        "Zaporizhzhia",
        "Zaporizhzhya",
        "Zaporozhye",
        "Zaporozhe",
        "Zaporizhia",
        "Zaporizhzhia Oblast",
        "Запоріжжя",
        "Запорожье",
        "Zaporizhchyna",
        "Запоріжчина",
    ),
    "UA-30": ("Kyiv", "Kiev", "Kyiv City", "Kiev City"),
    "UA-32": ("Kyiv Oblast", "Kiev Oblast", "Kyivska oblast"),
    "UA-51": ("Odesa", "Odessa"),
    "UA-46": ("Lviv", "Lvov", "Lwow", "L'viv"),
    "UA-63": ("Kharkiv", "Kharkov"),
    "UA-12": ("Dnipropetrovsk", "Dnipro", "Dnepropetrovsk"),
    "UA-48": ("Mykolaiv", "Mykolayiv", "Nikolaev", "Nikolayev"),
    "UA-35": ("Kirovohrad", "Kirovograd", "Kropyvnytskyi"),
    "UA-21": ("Zakarpattia", "Transcarpathia"),
    "UA-05": ("Vinnytsia", "Vinnytsya", "Vinnitsa"),
    "UA-77": ("Chernivtsi", "Chernovtsy"),
    "UA-74": ("Chernihiv", "Chernigov"),
    "UA-71": ("Cherkasy", "Cherkassy"),
    "UA-56": ("Rivne", "Rovno"),
    "UA-61": ("Ternopil", "Ternopol"),
    "UA-68": ("Khmelnytskyi", "Khmelnitsky", "Khmelnytskyy"),
    "UA-18": ("Zhytomyr", "Zhitomir"),
    "UA-07": ("Volyn", "Volhynia"),
    "UA-26": ("Ivano-Frankivsk", "Ivano-Frankovsk"),
    "UA-59": ("Sumy",),
    "UA-53": ("Poltava",),
}

# Words that say "region" in the three languages; "Donetsk Oblast" and
# "Донецька область" should find Donetsk too.
_REGION_WORDS = re.compile(r"\b(oblast|oblast'|region|province|область|oblasti)\b", re.IGNORECASE)
_CODE = re.compile(r"^\s*ua\s*-?\s*(\d{2})\s*$", re.IGNORECASE)


def normalise(text: str) -> str:
    """Case-, accent-, space- and punctuation-insensitive key ("Zaporiz'ka" -> "zaporizka")."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return "".join(ch for ch in stripped.casefold() if ch.isalnum())


def without_region_word(text: str) -> str:
    return _REGION_WORDS.sub(" ", text)


def as_code(text: str) -> str | None:
    """'ua-14', 'UA14', ' UA-14 ' -> 'UA-14'; anything else -> None."""
    match = _CODE.match(text)
    return f"UA-{match.group(1)}" if match else None
