"""Sources' names in the reader's language: the words around a name are translated, the name never.

A control source is often named for the map it shows and the channel it came through
("DeepStateMap via cyterat/deepstate-map-data"); a publisher often carries a note on which edition
was read ("NPR (member-station copy, WHQR)"). The name and the channel are proper names and stay as
written; "via" and the notes this project itself wrote are words, and follow the page's language.
A note nobody translated is shown as the record has it.
"""

from __future__ import annotations

import re

from dashboard.text import Text

__all__ = ["PUBLISHER_NOTES", "publisher_words", "source_words"]

#: " via " between a source's name and the channel it was taken from (a comma before it stays with the
#: name, so an attribution reads as entered).
_VIA = re.compile(r" via ")
#: A publisher's note in brackets at the end of its name.
_NOTE = re.compile(r"^(?P<name>.+?) \((?P<note>[^()]+)\)$")
#: The publisher notes written in the bundled claims -> their catalogue keys.
PUBLISHER_NOTES: dict[str, str] = {
    "Russian state news agency": "publisher.note.russian_state_agency",
    "English edition": "publisher.note.english_edition",
    "Meetings Coverage and Press Releases": "publisher.note.un_press",
}
#: A note naming a copy and where it was published ("member-station copy, WHQR").
_COPY = re.compile(r"^member-station copy, (?P<station>[A-Z0-9-]+)$")


def source_words(text: Text, name: str) -> str:
    """A control source's name or credit with "via" in the page's language:
    "DeepStateMap via cyterat/deepstate-map-data" -> "DeepStateMap через cyterat/deepstate-map-data"."""
    parts = _VIA.split(name, maxsplit=1)
    if len(parts) != 2 or not parts[0].strip() or not parts[1].strip():
        return name
    return text("source.via", source=parts[0].strip(), channel=parts[1].strip())


def publisher_words(text: Text, publisher: str) -> str:
    """A publisher with its note in the page's language: "TASS (Russian state news agency)" ->
    "TASS (російська державна інформагенція)"; an unknown note stays as written."""
    match = _NOTE.match(publisher.strip())
    if match is None:
        return publisher
    note = match["note"].strip()
    copy = _COPY.match(note)
    if copy is not None:
        said = text("publisher.note.member_station_copy", station=copy["station"])
    elif note in PUBLISHER_NOTES:
        said = text(PUBLISHER_NOTES[note])
    else:
        return publisher
    return f"{match['name']} ({said})"
