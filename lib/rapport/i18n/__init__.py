"""Every word the reports show, per language: message catalogues en.json (the reference),
sv.json, fr.json and bg.json beside this file. Numbers, dates, months and weekdays come
from Babel in the client's locale.

A key missing from a catalogue is a bug that a test catches (every catalogue has exactly
the reference's keys and placeholders); `text` never shows a key.
"""

from __future__ import annotations

import json
from pathlib import Path

from rapport.jsonable import scalar

LANGUAGES = ("en", "sv", "fr", "bg")
CATALOGUES = {
    language: json.loads((Path(__file__).parent / f"{language}.json").read_text(encoding="utf-8"))
    for language in LANGUAGES
}
EN = CATALOGUES["en"]


def text(key: str, language: str = "en", **values) -> str:
    """The words for `key` in `language`, with {placeholders} filled from `values`."""
    words = CATALOGUES[language][key]
    return words.format(**values) if values else words


def phrase(key: str, **values) -> dict:
    """A sentence a report generates, kept as data: the catalogue key and its raw values
    (numbers as plain Python, NaN as None). display.point words it in a language; the
    JSON keeps it as it is."""
    return {"key": key, "values": {name: scalar(value) for name, value in values.items()}}
