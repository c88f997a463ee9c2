"""Text read right, or refused: the same CSV saved in each encoding Excel and the platforms
write (Windows code pages, ISO Latin-2, Mac Roman, UTF-16 with and without BOM, UTF-8) is
read back character for character."""

import pytest

from rapport.data.sources.encoding import UnknownEncoding, decode

TEXTS = {
    "sv": 'Datum,Inlägg,Visningar\n2026-10-01,"Höstens kaffe på Söder, Åsa’s favorit – “fika” för 25 €",1200\n',
    "fr": 'Date,Publication,Vues\n2026-10-01,"Café très apprécié à Montréal, déjà « culte » : où êtes-vous ?",1200\n',
    "bg": 'Дата,Публикация,Преглеждания\n2026-10-01,"Есенна промоция: кафе и бисквити, само тази седмица!",1200\n',
    "pl": 'Data,Post,Wyświetlenia\n2026-10-01,"Jesienna promocja kawy: żółć, źdźbło, łąka i gęś",1200\n',
    "cs": 'Datum,Příspěvek,Zobrazení\n2026-10-01,"Podzimní káva: čerstvě pražená, žluťoučký kůň",1200\n',
    "de": 'Datum,Beitrag,Aufrufe\n2026-10-01,"Herbstkaffee: Größe, Bäckerei, süß und heiß",1200\n',
}
ENCODINGS = [
    "utf-8",
    "utf-8-sig",
    "utf-16",
    "utf-16-le",
    "utf-16-be",
    "cp1252",
    "cp1251",
    "cp1250",
    "iso8859_2",
    "mac_roman",
]


def cases():
    for language, text in TEXTS.items():
        for encoding in ENCODINGS:
            try:
                data = text.encode(encoding)
            except UnicodeEncodeError:
                continue  # that code page cannot write the language
            yield pytest.param(data, text, id=f"{language}-{encoding}")


@pytest.mark.parametrize("data, text", list(cases()))
def test_text_is_read_back_exactly_in_every_encoding_that_can_write_it(data, text):
    assert decode(data) == text


def test_bytes_no_encoding_reads_as_language_are_refused():
    with pytest.raises(UnknownEncoding):
        decode(b"Date,Text\n2026-10-01," + bytes(range(0x80, 0x100)) * 3 + b"\n")


def test_a_utf16_file_that_is_not_is_refused_and_binary_is_not_text():
    with pytest.raises(UnknownEncoding):
        decode(b"\xff\xfe" + b"\x00\xd8")  # a BOM, then half a surrogate pair
    assert decode(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR") is None
