"""The reports as slides for the meeting: one PowerPoint deck per report, beside its HTML
(`<report>.pptx`), built from the report's JSON (the figures shown) and the charts of its
executed notebook. Every word comes from the catalogue and every figure through the
Formatter, in the report's language. The text stays editable (text boxes and tables); only
the charts are pictures. Each deck is written through a temporary file."""

from __future__ import annotations

import base64
import io
import json
import math
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.lang import MSO_LANGUAGE_ID
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import PP_ALIGN
from pptx.oxml.ns import qn
from pptx.parts.image import Image
from pptx.util import Inches, Pt

from rapport import paths
from rapport.analysis.findings import Finding
from rapport.catalog import METRICS
from rapport.config import Client
from rapport.errors import UserError
from rapport.files import atomic_write
from rapport.i18n import EN
from rapport.periods import Period
from rapport.present.format import DASH, LOCALES, Formatter
from rapport.present.html import SWOT, Html, tile_values

from . import pdf
from .export import REMOVED_CELLS

WIDTH, HEIGHT = Inches(13.333), Inches(7.5)  # 16:9, as meeting-room screens are
MARGIN = Inches(0.5)
TITLE_TOP, BODY_TOP = Inches(0.35), Inches(1.4)  # a slide's title, and what is below it
GAP = Inches(0.25)
TITLE_ONLY = (
    5  # the default template's "Title Only" layout: every slide has a real title (outline view, screen readers)
)
PER_SLIDE = 8  # sentences or table rows on one slide; more go on the next, under the same title
TILES_PER_ROW = 4
LEFT_OUT = REMOVED_CELLS | {"remove-output"}  # cells whose outputs the page does not show
SECTION = re.compile(r'<h2 id="([a-z_]+)"')  # a section heading, as present/html writes it

# The page's colours (present/templates/fragments.css)
INK, MUTED, LINE = RGBColor(0x1D, 0x23, 0x29), RGBColor(0x5F, 0x6B, 0x76), RGBColor(0xDD, 0xE3, 0xE8)
UP, DOWN, AMBER = RGBColor(0x1A, 0x7F, 0x37), RGBColor(0xC6, 0x28, 0x28), RGBColor(0xB2, 0x6A, 0x00)
WHITE, BAND = RGBColor(0xFF, 0xFF, 0xFF), RGBColor(0xF4, 0xF6, 0xF8)
TRENDS = {"up": ("▲", UP), "down": ("▼", DOWN), "flat": ("■", MUTED)}
STATUS_COLOURS = {"achieved": UP, "on track": UP, "at risk": AMBER, "off track": DOWN}
SWOT_COLOURS = {"strengths": UP, "weaknesses": DOWN}
# PowerPoint's spelling checker reads the text in the report's language
LANGUAGE_IDS = {
    "en": MSO_LANGUAGE_ID.ENGLISH_UK,
    "sv": MSO_LANGUAGE_ID.SWEDISH,
    "fr": MSO_LANGUAGE_ID.FRENCH,
    "bg": MSO_LANGUAGE_ID.BULGARIAN,
}

Cell = tuple[str, RGBColor]  # a table cell's text and colour


def write_decks(client: Client, labels: list[str], period: str = "") -> list[Path]:
    """Write <report>.pptx beside each report's HTML in the output folders `labels`; return
    the decks written."""
    pages = pdf.report_pages(client.slug, labels, period, doing="put on slides")
    bitmap = pdf.logo_bitmap(client.logo_path)
    logo = bitmap[0] if bitmap else None
    written = []
    for page in pages:
        target = page.with_suffix(".pptx")
        atomic_write(target, deck(client, page, logo))
        written.append(target)
    return written


def deck(client: Client, page: Path, logo: bytes | None) -> bytes:
    """One report's deck, from the JSON and the executed notebook beside its page."""
    report = _load(page.with_suffix(".json"))
    slides = Slides(client, report, page.stem)
    slides.title_slide(logo)
    slides.tiles(report.get("metrics") or [])
    for section, items in sentences(report):
        slides.sentences(section, items)
    if "swot" in report:
        slides.swot(report["swot"])
    if report.get("goals"):
        slides.table("goals", GOAL_COLUMNS, [goal_row(slides.fmt, goal) for goal in report["goals"]])
    if report.get("findings"):
        html = Html(slides.fmt)
        # worded as the page words them: the JSON keeps each Finding's fields as they were
        rows = [finding_row(slides.fmt, html.finding(Finding(**item))) for item in report["findings"]]
        slides.table("exceptions", FINDING_COLUMNS, rows)
    for shown_in, png in charts(_load(page.with_suffix(".ipynb"))):
        slides.chart(shown_in, png)
    return slides.save()


def sentences(report: dict) -> list[tuple[str, list[dict]]]:
    """The generated sentences a report says, by section: the monthly summary and decisions,
    the activity report's deviations; a one-line note where the page shows one instead."""
    summary = report.get("summary") or {}
    found = [("summary", summary.get("sentences")), ("decisions", summary.get("decisions"))]
    if "deviations" in report:
        found.append(("deviations", report["deviations"] or [{"key": "deviation.none"}]))
    if report.get("findings") == []:
        found.append(("exceptions", [{"key": "exception.none"}]))
    return [(section, items) for section, items in found if items]


def charts(notebook: dict) -> Iterator[tuple[str | None, bytes]]:
    """The executed notebook's charts in order (PNG), each with the section it is shown in;
    cells the page leaves out are left out here too."""
    section: str | None = None
    for cell in notebook.get("cells", []):
        if LEFT_OUT & set(cell.get("metadata", {}).get("tags", [])):
            continue
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            headings = SECTION.findall(_joined(data.get("text/html", "")))
            section = headings[-1] if headings else section
            if "image/png" in data:
                yield section, base64.b64decode(_joined(data["image/png"]))


# A table's columns: heading, share of the width, figures (aligned right, as on the page)
GOAL_COLUMNS = [
    ("col.id", 0.6, False),
    ("col.goal", 3.4, False),
    ("col.metric", 1.8, False),
    ("col.baseline", 1.4, True),
    ("col.target", 1.4, True),
    ("col.current", 1.4, True),
    ("col.status", 1.4, False),
]
FINDING_COLUMNS = [
    ("col.severity", 1.1, False),
    ("col.subject", 2.6, False),
    ("col.finding", 4.2, False),
    ("col.measured", 1.6, True),
    ("col.expected", 1.6, True),
]


def goal_row(fmt: Formatter, goal: dict) -> list[Cell]:
    """A goal's id, name, metric, baseline, target, current value and status."""
    metric = goal.get("metric")

    def figure(value) -> Cell:
        return (fmt.metric(value, metric) if metric in METRICS else fmt.cell(value, "number"), INK)

    status = goal.get("status") or "no data"
    return [
        (str(goal.get("id", "")), INK),
        (str(goal.get("name", "")), INK),
        (fmt.name("metric", metric) if metric else DASH, INK),
        figure(goal.get("baseline")),
        figure(goal.get("target")),
        figure(goal.get("current")),
        (fmt.word("status." + status.replace(" ", "_")), STATUS_COLOURS.get(status, INK)),
    ]


def finding_row(fmt: Formatter, row: dict) -> list[Cell]:
    """A finding as the page's table words it (Html.finding), less where to look."""
    severity = (fmt.word("severity." + row["severity"]), DOWN if row["severity"] == "critical" else INK)
    return [severity] + [(str(row[name]), INK) for name in ("subject", "finding", "measured", "expected")]


class Slides:
    """One report's deck being built: the reader's Formatter, the brand colour, the slides so far."""

    def __init__(self, client: Client, report: dict, name: str):
        self.report = report
        self.language = report.get("language") or client.params.language  # the charts' language too
        self.fmt = Formatter(self.language, client.params.currency)
        self.brand = RGBColor.from_string(client.params.brand.colour[1:])
        self.client_name = report.get("client_name") or client.params.name
        self.title = self.fmt.word("report." + (report.get("report") or name))
        self.prs = Presentation()
        self.prs.slide_width, self.prs.slide_height = WIDTH, HEIGHT

    def save(self) -> bytes:
        props = self.prs.core_properties
        props.title = f"{self.client_name} · {self.title} · {self.period()}"
        props.language = LOCALES[self.language].replace("_", "-")
        out = io.BytesIO()
        self.prs.save(out)
        return out.getvalue()

    def period(self) -> str:
        days = self.report["period"]
        return self.fmt.period(
            Period(date.fromisoformat(days["start"]), date.fromisoformat(days["end"]), days["label"])
        )

    # --- slides -----------------------------------------------------------------------

    def slide(self, title: str, *, top: int = TITLE_TOP, size: int = 30):
        """A new slide with its title."""
        slide = self.prs.slides.add_slide(self.prs.slide_layouts[TITLE_ONLY])
        heading = slide.shapes.title
        heading.left, heading.top, heading.width, heading.height = MARGIN, top, WIDTH - 2 * MARGIN, Inches(0.9)
        paragraph = heading.text_frame.paragraphs[0]
        paragraph.alignment = PP_ALIGN.LEFT
        self.run(paragraph, title, size, INK, bold=True)
        return slide

    def title_slide(self, logo: bytes | None) -> None:
        """The client's name in the brand colour, the report and its period, the logo."""
        slide = self.slide(self.title, top=Inches(2.9), size=40)
        bar = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, 0, 0, WIDTH, Inches(0.3))
        bar.fill.solid()
        bar.fill.fore_color.rgb = self.brand
        bar.line.fill.background()
        bar.name = "brand"
        for name, text, top, size, colour in [
            ("client", self.client_name, 1.9, 28, self.brand),
            ("period", self.period(), 3.9, 24, MUTED),
        ]:
            box = slide.shapes.add_textbox(MARGIN, Inches(top), WIDTH - 2 * MARGIN, Inches(0.8))
            box.name = name
            box.text_frame.word_wrap = True
            self.run(box.text_frame.paragraphs[0], text, size, colour, bold=colour == self.brand)
        if logo is not None:
            picture = slide.shapes.add_picture(io.BytesIO(logo), 0, Inches(0.7), height=Inches(1.1))
            picture.left = WIDTH - MARGIN - picture.width
            picture.name = "logo"

    def tiles(self, metrics: list[str]) -> None:
        """The KPI tiles: value, change against the previous period, arrow and colour, as the page's."""
        if not metrics:
            return
        data = self.report.get("kpis") or self.report.get("baseline") or {}  # the audit's figures are its baseline
        current, previous = data.get("all") or {}, (self.report.get("previous") or {}).get("all") or {}
        slide = self.slide(self.fmt.word("section.kpis"))
        rows = math.ceil(len(metrics) / TILES_PER_ROW)
        per_row = math.ceil(len(metrics) / rows)  # rows as even as can be: 9 tiles are 3 × 3, not 4 + 4 + 1
        width = (WIDTH - 2 * MARGIN - (per_row - 1) * GAP) // per_row
        height = min(Inches(1.8), (HEIGHT - BODY_TOP - MARGIN - (rows - 1) * GAP) // rows)
        for i, tile in enumerate(tile_values(current, previous, metrics)):
            left, top = MARGIN + (i % per_row) * (width + GAP), BODY_TOP + (i // per_row) * (height + GAP)
            box = slide.shapes.add_shape(MSO_SHAPE.ROUNDED_RECTANGLE, left, top, width, height)
            box.name = f"tile:{tile['metric']}"
            box.fill.solid()
            box.fill.fore_color.rgb = WHITE
            box.line.color.rgb = self.brand
            box.line.width = Pt(1.5)
            self.tile(box.text_frame, tile)

    def tile(self, frame, tile: dict) -> None:
        arrow, colour = TRENDS[tile["trend"]]
        frame.word_wrap = True
        lines = [frame.paragraphs[0]] + [frame.add_paragraph() for _ in range(3)]
        self.run(lines[0], self.fmt.word("metric." + tile["metric"]), 14, MUTED)
        self.run(lines[1], self.fmt.metric(tile["value"], tile["metric"]), 28, INK, bold=True)
        self.run(lines[2], f"{arrow} {self.fmt.change(tile['change'], tile['metric'])}", 14, colour)
        self.run(lines[3], self.fmt.word("label.vs_previous"), 11, MUTED)
        for paragraph in lines:
            paragraph.alignment = PP_ALIGN.LEFT

    def sentences(self, section: str, items: list[dict]) -> None:
        """Generated sentences as bullet points."""
        for chunk in _chunks(items, PER_SLIDE):
            slide = self.slide(self.fmt.word("section." + section))
            box = slide.shapes.add_textbox(MARGIN, BODY_TOP, WIDTH - 2 * MARGIN, HEIGHT - BODY_TOP - MARGIN)
            box.name = f"sentences:{section}"
            self.bullets(box.text_frame, [self.fmt.sentence(item) for item in chunk], 20)

    def swot(self, swot: dict) -> None:
        """The SWOT grid: four boxes, each a heading and its points (a dash when empty)."""
        slide = self.slide(self.fmt.word("section.swot"))
        width, height = (WIDTH - 2 * MARGIN - GAP) // 2, (HEIGHT - BODY_TOP - MARGIN - GAP) // 2
        for i, part in enumerate(SWOT):
            left, top = MARGIN + (i % 2) * (width + GAP), BODY_TOP + (i // 2) * (height + GAP)
            box = slide.shapes.add_textbox(left, top, width, height)
            box.name = f"swot:{part}"
            self.run(
                box.text_frame.paragraphs[0],
                self.fmt.word("swot." + part),
                18,
                SWOT_COLOURS.get(part, self.brand),
                bold=True,
            )
            points = [self.fmt.sentence(point) for point in swot.get(part) or []] or [DASH]
            self.bullets(box.text_frame, points, 14, first=False)

    def table(self, section: str, columns: list[tuple[str, float, bool]], rows: list[list[Cell]]) -> None:
        """A table of records (goals, findings) headed in the brand colour."""
        total, span = sum(weight for _, weight, _ in columns), WIDTH - 2 * MARGIN
        aligned = [PP_ALIGN.RIGHT if figures else PP_ALIGN.LEFT for _, _, figures in columns]
        for chunk in _chunks(rows, PER_SLIDE):
            slide = self.slide(self.fmt.word("section." + section))
            shape = slide.shapes.add_table(
                len(chunk) + 1, len(columns), MARGIN, BODY_TOP, span, Inches(0.45) * (len(chunk) + 1)
            )
            shape.name = f"table:{section}"
            table = shape.table
            for c, (key, weight, _) in enumerate(columns):
                table.columns[c].width = int(span * weight / total)
                heading = (self.fmt.word(key), _ink_on(self.brand))
                self.cell(table.cell(0, c), heading, self.brand, bold=True, align=aligned[c])
            for r, row in enumerate(chunk, start=1):
                for c, value in enumerate(row):
                    self.cell(table.cell(r, c), value, BAND if r % 2 == 0 else WHITE, align=aligned[c])

    def chart(self, section: str | None, png: bytes) -> None:
        """One chart under the title of its section, scaled to fit and centred."""
        key = f"section.{section}"
        slide = self.slide(self.fmt.word(key) if key in EN else self.title)
        box_width, box_height = WIDTH - 2 * MARGIN, HEIGHT - BODY_TOP - Inches(0.3)
        pixels_wide, pixels_high = Image.from_blob(png).size
        scale = min(box_width / pixels_wide, box_height / pixels_high)
        width, height = int(pixels_wide * scale), int(pixels_high * scale)
        left, top = MARGIN + (box_width - width) // 2, BODY_TOP + (box_height - height) // 2
        picture = slide.shapes.add_picture(io.BytesIO(png), left, top, width, height)
        picture.name = f"chart:{section}"

    # --- text -------------------------------------------------------------------------

    def run(self, paragraph, text: str, size: int, colour: RGBColor, *, bold: bool = False) -> None:
        """Text added to a paragraph in the report's language."""
        run = paragraph.add_run()
        run.text = text
        run.font.size = Pt(size)
        run.font.bold = bold
        run.font.color.rgb = colour
        run.font.language_id = LANGUAGE_IDS[self.language]

    def bullets(self, frame, lines: list[str], size: int, *, first: bool = True) -> None:
        """Lines as bullet points; `first`: the first goes in the frame's empty first paragraph."""
        frame.word_wrap = True
        for i, line in enumerate(lines):
            paragraph = frame.paragraphs[0] if first and i == 0 else frame.add_paragraph()
            _bullet(paragraph, Inches(0.3))
            paragraph.space_before = Pt(size // 2)
            self.run(paragraph, line, size, INK)

    def cell(self, cell, value: Cell, fill: RGBColor, *, bold: bool = False, align=PP_ALIGN.LEFT) -> None:
        cell.fill.solid()
        cell.fill.fore_color.rgb = fill
        cell.text_frame.word_wrap = True
        cell.text_frame.paragraphs[0].alignment = align
        self.run(cell.text_frame.paragraphs[0], value[0], 12, value[1], bold=bold)


def _bullet(paragraph, indent: int) -> None:
    """A bullet point: python-pptx has no API for it in a text box, so the paragraph's
    properties get a bullet character and a hanging indent."""
    properties = paragraph._p.get_or_add_pPr()
    properties.set("marL", str(indent))
    properties.set("indent", str(-indent))
    properties.append(properties.makeelement(qn("a:buChar"), {"char": "•"}))


def _ink_on(fill: RGBColor) -> RGBColor:
    """White on a dark brand colour, ink on a light one (relative luminance, roughly)."""
    red, green, blue = fill
    return WHITE if 0.2126 * red + 0.7152 * green + 0.0722 * blue < 150 else INK


def _chunks(items: list, size: int) -> list[list]:
    """At most `size` items to a slide; more go on the next, under the same title."""
    return [items[start : start + size] for start in range(0, len(items), size)]


def _joined(value) -> str:
    """A notebook output's text, stored as one string or a list of lines."""
    return "".join(value) if isinstance(value, list) else value


def _load(path: Path) -> dict:
    if not path.is_file():
        raise UserError(f"{paths.relative(path)} is missing: build the report again with make report")
    return json.loads(path.read_text(encoding="utf-8"))
