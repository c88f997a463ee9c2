"""Bytes to text, read right or refused: a file's encoding from its byte order mark, else
UTF-8, else the code page whose reading looks like language (a detector's word counts, and
so do ours: Windows code pages and Mac Roman are where Excel's CSVs come from).

A reading "looks like language" when no letter sits beside a stray symbol (`Inl‰gg`), no
word mixes Latin and Cyrillic letters, no Latin word is mostly accents (`Åñåííà`: Bulgarian
read as Western European) and no control character appears. The cleanest reading wins, the
more common code page on a tie; a file that no encoding reads cleanly is refused.
"""

from __future__ import annotations

import re
import unicodedata

import charset_normalizer

# Excel's Windows code pages (Western, Cyrillic, Central European), ISO Latin-2, old Mac: in this order on a tie
CODE_PAGES = ("cp1252", "cp1251", "cp1250", "iso8859_2", "mac_roman")
BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))
_PUNCTUATION = "’‘“”„–—…€•·°©®™×"  # non-ASCII signs that do sit beside letters in real text
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_MIXED = re.compile(r"\b(?=\w*[a-zA-Z\u00c0-\u024f])(?=\w*[\u0400-\u04ff])\w+\b")
_LATIN_WORD = re.compile(r"\b[a-zA-Z\u00c0-\u024f]{2,}\b")
SAMPLE = 1 << 18  # characters judged: a file's encoding is the same all through
ACCENTS_AT_MOST = 0.6  # of the letters of accented Latin words: Polish, Czech, French stay well under


class UnknownEncoding(ValueError):
    """No encoding reads the bytes as text cleanly."""


def decode(raw: bytes) -> str | None:
    """The text of a CSV's bytes; None when they are not text (binary); UnknownEncoding
    when they are text in an encoding that cannot be told."""
    for bom, codec in BOMS:
        if raw.startswith(bom):
            return _strict(raw[len(bom) :], codec)
    utf16 = _utf16_without_bom(raw[:2048])
    if utf16:
        return _strict(raw, utf16)
    if b"\x00" in raw[:1024]:
        return None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return _detect(raw)


def _utf16_without_bom(head: bytes) -> str | None:
    """UTF-16 without a byte order mark: the digits, commas and line ends of a CSV have a
    zero high byte, on the odd bytes (little-endian) or on the even ones (big-endian)."""
    if len(head) < 4:
        return None
    odd, even = head[1::2].count(0), head[0::2].count(0)
    half = len(head) // 2
    if odd > half // 5 and even == 0:
        return "utf-16-le"
    if even > half // 5 and odd == 0:
        return "utf-16-be"
    return None


def _strict(raw: bytes, codec: str) -> str:
    try:
        return raw.decode(codec)
    except UnicodeDecodeError as error:
        raise UnknownEncoding(f"it says it is {codec.upper()} but byte {error.start} is not") from None


def _detect(raw: bytes) -> str:
    guess = charset_normalizer.from_bytes(raw).best()
    candidates = list(CODE_PAGES) + ([guess.encoding] if guess is not None else [])
    readings = []
    for order, codec in enumerate(dict.fromkeys(candidates)):
        try:
            text = raw.decode(codec)
        except (UnicodeDecodeError, LookupError):
            continue
        readings.append((mess(text), order, text))
    if not readings:
        raise UnknownEncoding("no encoding reads it")
    score, _, text = min(readings)
    if score > max(2, len(re.findall(r"[^\x00-\x7f]", text)) // 50):
        raise UnknownEncoding("its letters do not read as any language's")
    return text


def mess(text: str) -> int:
    """How many places in `text` do not look like language (module docstring)."""
    text = text[:SAMPLE]
    score = len(_MIXED.findall(text))
    for match in _NON_ASCII.finditer(text):
        char = match.group()
        kind = unicodedata.category(char)
        if kind[0] == "C":
            score += 5
        elif kind[0] not in "LMZ" and char not in _PUNCTUATION:
            beside = text[max(match.start() - 1, 0) : match.start()] + text[match.end() : match.end() + 1]
            score += any(c.isalpha() for c in beside)
    words = [w for w in _LATIN_WORD.findall(text) if not w.isascii()]
    letters, accents = sum(map(len, words)), sum(not c.isascii() for w in words for c in w)
    if letters and accents > ACCENTS_AT_MOST * letters:
        score += len(words)
    return score
