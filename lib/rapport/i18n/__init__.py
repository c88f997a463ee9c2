"""Every word the reports show, per language: message catalogues en.json (the reference),
sv.json, fr.json and bg.json beside this file. Numbers, dates, months and weekdays come
from Babel in the client's locale.

A words entry is a string, or for words that follow a number, its plural forms: {"plural":
the placeholder holding the number, then one string per CLDR plural category the language
has (Babel's plural rules: en, sv and bg "one" and "other"; fr "one", "many", "other",
with 0 and 1 both "one")}, so that "1 day late" and "1 jour de retard" read right.

A key missing from a catalogue is a bug that a test catches (every catalogue has exactly
the reference's keys and placeholders, and the plural forms its language needs); `text`
never shows a key.
"""

from __future__ import annotations

import json
from decimal import Decimal
from functools import cache
from pathlib import Path

from babel import Locale

from rapport.jsonable import scalar

LANGUAGES = ("en", "sv", "fr", "bg")
CATALOGUES = {
    language: json.loads((Path(__file__).parent / f"{language}.json").read_text(encoding="utf-8"))
    for language in LANGUAGES
}
EN = CATALOGUES["en"]


def text(key: str, language: str = "en", *, n=None, **values) -> str:
    """The words for `key` in `language`, with {placeholders} filled from `values`. Words with
    plural forms take the form for the number `n`, or by default for the value of their number's
    placeholder (a whole float counts as the integer it is shown as)."""
    words = CATALOGUES[language][key]
    if isinstance(words, dict):
        words = words.get(plural(language, values.get(words["plural"]) if n is None else n), words["other"])
    return words.format(**values) if values else words


def counted(key: str) -> str | None:
    """The placeholder whose number chooses the plural form of `key`; None for plain words."""
    words = EN[key]
    return words["plural"] if isinstance(words, dict) else None


def plural(language: str, number) -> str:
    """The CLDR plural category of `number` in `language` ("one", "few", "many", "other")."""
    if isinstance(number, float) and number.is_integer():
        number = int(number)
    if not isinstance(number, (int, float, Decimal)) or number != number:
        return "other"
    return _rules(language)(abs(Decimal(str(number))))


@cache
def _rules(language: str):
    return Locale.parse(language).plural_form


def phrase(key: str, **values) -> dict:
    """A sentence a report generates, kept as data: the catalogue key and its raw values
    (numbers as plain Python, NaN as None). display.point words it in a language; the
    JSON keeps it as it is."""
    return {"key": key, "values": {name: scalar(value) for name, value in values.items()}}
