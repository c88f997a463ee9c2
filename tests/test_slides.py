"""`rapport slides`: each deck read back with python-pptx and compared with what it comes from,
computed independently: the KPI tiles with the report's JSON formatted by Babel in the
client's locale, the goals and exceptions tables row by row, the chart pictures with the
charts the HTML page shows (byte-equal); the title slide in the brand colour with the logo;
text that stays text, in the client's language."""

import base64
import json
import os
import re
import shutil
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest
from babel.core import Locale
from babel.numbers import format_decimal, format_percent
from PIL import Image
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE

from rapport.catalog import METRICS
from rapport.i18n import CATALOGUES

from conftest import PROJECT

LOCALE = {"en": "en_GB", "sv": "sv_SE", "bg": "bg_BG"}
REPORTS = ["audit", "goals", "monthly", "exceptions"]


def rapport(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "rapport.cli", *args],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        env=dict(os.environ, RAPPORT_ROOT=str(root)),
        timeout=300,
    )


@pytest.fixture(scope="module")
def decks(tmp_path_factory, translated):
    """The demo's decks in en and bg, and in sv with a PNG logo instead of the demo's SVG."""
    source, month = translated
    root = tmp_path_factory.mktemp("slides")
    shutil.copytree(source, root, dirs_exist_ok=True)
    Image.new("RGB", (90, 30), (200, 30, 60)).save(root / "params" / "logo.png")
    params = root / "params" / "demo-sv.yaml"
    params.write_text(params.read_text().replace("logo: params/demo-logo.svg", "logo: params/logo.png"))
    for client in ("demo", "demo-sv", "demo-bg"):
        made = rapport(root, "slides", client, "--period", month)
        assert made.returncode == 0, made.stderr
        assert len(made.stdout.split()) == 5 and "Traceback" not in made.stderr
    return root, month


def folder_of(root: Path, month: str, client: str, report: str) -> Path:
    out = root / "outputs" / client
    return out / month if report != "activity" else next(out.glob(f"{month}-*"))


def texts(slide) -> list[str]:
    return [shape.text_frame.text for shape in slide.shapes if shape.has_text_frame]


def named(deck, prefix: str) -> list:
    return [shape for slide in deck.slides for shape in slide.shapes if shape.name.startswith(prefix)]


def percent(value, locale: str, sign: bool = False) -> str:
    """A share with one decimal, in the locale's own percent pattern (the oracle)."""
    pattern = Locale.parse(locale).percent_formats[None].pattern.replace("#,##0", "#,##0.0")
    shown = format_percent(value, pattern, locale=locale)
    return "+" + shown if sign and value > 0 else shown


def expected_value(value, metric: str, locale: str) -> str:
    kind = METRICS[metric].kind
    if value is None:
        return "–"
    if kind == "rate":
        return percent(value, locale)
    return format_decimal(value, {"money": "#,##0.00", "average": "#,##0.0"}.get(kind, "#,##0"), locale=locale)


def expected_change(value, before, metric: str, language: str) -> str:
    if value is None or before is None or before == 0:
        return "–"
    locale = LOCALE[language]
    if METRICS[metric].kind == "rate":
        points = (Fraction(value) - Fraction(before)) * 100
        return (
            format_decimal(float(points), "+#,##0.0;-#,##0.0", locale=locale)
            + "\u00a0"
            + CATALOGUES[language]["label.pp"]
        )
    return percent(float((Fraction(value) - Fraction(before)) / abs(Fraction(before))), locale, sign=True)


@pytest.mark.parametrize("language", ["en", "bg"])
@pytest.mark.parametrize("report", REPORTS)
def test_the_tiles_show_the_reports_figures(decks, language, report):
    root, month = decks
    client = "demo" if language == "en" else f"demo-{language}"
    folder = folder_of(root, month, client, report)
    data = json.loads((folder / f"{report}.json").read_text())
    deck = Presentation(folder / f"{report}.pptx")
    figures = data.get("kpis") or data.get("baseline") or {}
    current, previous = figures.get("all", {}), (data.get("previous") or {}).get("all", {})
    tiles = {shape.name.split(":", 1)[1]: shape.text_frame.text.split("\n") for shape in named(deck, "tile:")}
    assert list(tiles) == data.get("metrics", [])
    words = CATALOGUES[language]
    for metric, (label, value, trend, versus) in tiles.items():
        assert label == words[f"metric.{metric}"]
        assert value == expected_value(current.get(metric), metric, LOCALE[language]), metric
        assert trend[2:] == expected_change(current.get(metric), previous.get(metric), metric, language), metric
        assert versus == words["label.vs_previous"]


@pytest.mark.parametrize("report", REPORTS + ["activity"])
def test_the_deck_holds_the_pages_charts_tables_and_sentences(decks, report):
    root, month = decks
    folder = folder_of(root, month, "demo", report)
    data = json.loads((folder / f"{report}.json").read_text())
    deck = Presentation(folder / f"{report}.pptx")
    page = (folder / f"{report}.html").read_text()
    shown = [base64.b64decode(b) for b in re.findall(r'<img[^>]+src="data:image/png;base64,([^"]+)"', page)]
    charts = [shape.image.blob for shape in named(deck, "chart:")]
    assert charts == shown and charts or report == "exceptions" and not shown
    goal_rows = [row for shape in named(deck, "table:goals") for row in list(shape.table.rows)[1:]]
    assert [row.cells[0].text for row in goal_rows] == [str(goal["id"]) for goal in data.get("goals") or []]
    for row, goal in zip(goal_rows, data.get("goals") or []):
        metric = goal["metric"]
        assert row.cells[5].text == expected_value(goal.get("current"), metric, "en_GB"), goal["id"]
        assert row.cells[4].text == expected_value(goal.get("target"), metric, "en_GB"), goal["id"]
    found_rows = [row for shape in named(deck, "table:exceptions") for row in list(shape.table.rows)[1:]]
    assert len(found_rows) == len(data.get("findings") or [])
    sentences = [p for shape in named(deck, "sentences:summary") for p in shape.text_frame.text.split("\n")]
    assert len(sentences) == len((data.get("summary") or {}).get("sentences") or [])
    for slide in deck.slides:  # text stays text: the only pictures are the charts and the logo
        assert slide.shapes.title is not None and slide.shapes.title.text
        for shape in slide.shapes:
            if shape.shape_type == MSO_SHAPE_TYPE.PICTURE:
                assert shape.name.startswith("chart:") or shape.name == "logo"


def test_the_title_slide_has_the_brand_colour_the_logo_and_the_period(decks):
    root, month = decks
    for client, logo in (("demo", None), ("demo-sv", root / "params" / "logo.png")):
        deck = Presentation(folder_of(root, month, client, "monthly") / "monthly.pptx")
        title = deck.slides[0]
        shapes = {shape.name: shape for shape in title.shapes}
        assert str(shapes["brand"].fill.fore_color.rgb) == "7A4B2A"
        assert shapes["client"].text_frame.text == "Nordkaffe"
        picture = shapes["logo"].image
        if logo is not None:
            assert picture.blob == logo.read_bytes()
        else:  # the demo's SVG, drawn as a PNG
            assert picture.content_type == "image/png" and picture.size[1] >= 200
    bg = Presentation(folder_of(root, month, "demo-bg", "monthly") / "monthly.pptx")
    words = CATALOGUES["bg"]
    assert bg.slides[0].shapes.title.text == words["report.monthly"]
    assert bg.core_properties.language == "bg-BG"
    assert words["section.kpis"] in [slide.shapes.title.text for slide in bg.slides]
    runs = [r for p in bg.slides[1].shapes.title.text_frame.paragraphs for r in p.runs]
    assert runs and all(r.font.language_id is not None and "BULGARIAN" in str(r.font.language_id) for r in runs)


def test_slides_without_reports_or_with_a_missing_file_are_one_line(decks):
    root, month = decks
    none = rapport(root, "slides", "demo", "--period", "2001-01")
    assert none.returncode == 1 and none.stderr.count("\n") == 1
    assert none.stderr.startswith("rapport: no reports to put on slides in outputs/demo/2001-01")
    folder = folder_of(root, month, "demo", "goals")
    (folder / "goals.json").rename(folder / "goals.json.away")
    try:
        missing = rapport(root, "slides", "demo", "--period", month)
    finally:
        (folder / "goals.json.away").rename(folder / "goals.json")
    assert missing.returncode == 1 and "Traceback" not in missing.stderr
    assert (
        missing.stderr
        == f"rapport: outputs/demo/{month}/goals.json is missing: build the report again with make report\n"
    )
