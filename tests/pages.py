"""Reading the stakeholder HTML as a reader sees it (a parser, not regular expressions):
tile values, KPI table cells, and the visible text without styles."""

import re
from html.parser import HTMLParser

# a catalogue key where words should be (the test of "never shows a key")
KEY = re.compile(
    r"\b(?:metric|section|col|label|status|format|state|smart|exception|res|sched|budget|severity|formula|"
    r"report|platform|achievability|swot|chart|summary|decision|deviation|post|goaltype|look)\.[a-z_]+\b"
)


class _Reader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[dict] = []  # open elements' attributes
        self.tiles: dict[str, str] = {}
        self.cells: dict[str, dict[str, str]] = {}
        self.text: list[str] = []
        self._tile = self._platform = None
        self._capture: tuple | None = None  # (where, key) while inside a value element
        self._skip = 0
        self._aside = 0  # inside a .rapport-yoy: text, but not the cell's figure

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        classes = (a.get("class") or "").split()
        if tag in ("style", "script"):
            self._skip += 1
        if "rapport-tile" in classes:
            self._tile = a.get("data-metric")
        if "rapport-tile-value" in classes and self._tile:
            self._capture = ("tile", self._tile, len(self.stack))
        if tag == "tr":
            self._platform = a.get("data-platform")
        if tag == "td" and self._platform and a.get("data-metric"):
            self._capture = ("cell", a["data-metric"], len(self.stack))
        if "rapport-yoy" in classes:  # a cell's change against a year before, below its figure
            self._aside = len(self.stack) + 1
        if tag not in ("br", "img", "meta", "link", "input", "hr"):
            self.stack.append(a)

    def handle_endtag(self, tag):
        if tag in ("style", "script"):
            self._skip -= 1
        if tag in ("br", "img", "meta", "link", "input", "hr"):
            return
        self.stack.pop()
        if self._aside and len(self.stack) < self._aside:
            self._aside = 0
        if self._capture and len(self.stack) == self._capture[2]:
            self._capture = None

    def handle_data(self, data):
        if self._skip:
            return
        self.text.append(data)
        if self._capture and not self._aside:
            where, key, _ = self._capture
            if where == "tile":
                self.tiles[key] = self.tiles.get(key, "") + data
            else:
                row = self.cells.setdefault(self._platform, {})
                row[key] = row.get(key, "") + data


def read(html: str) -> _Reader:
    reader = _Reader()
    reader.feed(html)
    return reader


def visible_text(html: str) -> str:
    return " ".join(read(html).text)
