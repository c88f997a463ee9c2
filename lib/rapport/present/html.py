"""The HTML fragments a report shows: header, KPI tiles, tables, sentences, footer.

`Html(fmt)` binds the reader's Formatter once; the markup is in templates/fragments.html.j2,
autoescaped, so text from data and params is always escaped. The column lists of the
record tables are here too, beside the code that shows them: notebooks name them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd
from jinja2 import Environment, PackageLoader, StrictUndefined
from jinja2.ext import Extension
from markupsafe import Markup

from rapport import jsonable
from rapport.analysis.goals import pace
from rapport.analysis.metrics import change
from rapport.catalog import METRICS
from rapport.jsonable import missing

from .format import Formatter, reads_zero

# Record tables: (field, label key, kind) per column, kind as Formatter.cell takes it.
POST_COLUMNS = [  # the excerpt links to the post (its url), so no column is spent on the address
    ("published", "col.published", "datetime"),
    ("text", "col.text", "excerpt"),
    ("platform", "label.platform", "platform"),
    ("format", "col.format", "format"),
    ("impressions", "metric.impressions", "int"),
    ("engagements", "metric.engagements", "int"),
    ("engagement_rate", "metric.engagement_rate", "rate"),
]
ACCOUNT_COLUMNS = [  # every account found in the data
    ("platform", "label.platform", "platform"),
    ("account", "col.account", "text"),
    ("first_date", "col.first_date", "date"),
    ("last_date", "col.last_date", "date"),
    ("posts", "metric.posts", "int"),
    ("days", "col.days", "int"),
]
PLAN_COLUMNS = [  # the activities done or late
    ("id", "col.id", "text"),
    ("activity", "col.activity", "text"),
    ("owner", "col.owner", "text"),
    ("due", "col.due", "date"),
    ("state", "col.status", "state"),
    ("hours_planned", "col.hours_planned", "number"),
    ("hours_spent", "col.hours_spent", "number"),
    ("cost_planned", "col.money_planned", "money"),
    ("cost_spent", "col.money_spent", "money"),
]
DUE_SOON_COLUMNS = [  # the activities ahead: nothing spent yet
    ("id", "col.id", "text"),
    ("activity", "col.activity", "text"),
    ("owner", "col.owner", "text"),
    ("due", "col.due", "date"),
    ("hours_planned", "col.hours_planned", "number"),
    ("cost_planned", "col.money_planned", "money"),
]
SERVED_COLUMNS = [  # posts per activity (plan.served): the rule that linked them
    ("id", "col.id", "text"),
    ("activity", "col.activity", "text"),
    ("rule", "col.rule", "rule"),
    ("posts", "metric.posts", "int"),
    ("reach", "metric.reach", "int"),
    ("engagements", "metric.engagements", "int"),
    ("engagement_rate", "metric.engagement_rate", "rate"),
]
PROBLEM_COLUMNS = [  # the problem log
    ("date", "col.date", "date"),
    ("problem", "col.problem", "text"),
    ("cause", "col.cause", "text"),
    ("solution", "col.solution", "text"),
    ("consequence", "col.consequence", "text"),
    ("status", "col.status", "text"),
]
FIGURE_COLUMNS = [  # after a format's or campaign's name
    ("posts", "metric.posts", "int"),
    ("impressions", "metric.impressions", "int"),
    ("engagements", "metric.engagements", "int"),
    ("engagement_rate", "metric.engagement_rate", "rate"),
]
VOICE_COLUMNS = [
    ("brand", "col.brand", "text"),
    ("mentions", "metric.mentions", "int"),
    ("share", "metric.share_of_voice", "rate"),
    ("positive", "col.positive", "int"),
    ("negative", "col.negative", "int"),
]

SWOT = ("strengths", "weaknesses", "opportunities", "threats")
POST = ("people", "objectives", "strategy", "technology")


class Compact(Extension):
    """Drops the templates' line breaks and indentation, which are there to read them: on
    a page, whitespace between two inline tags would show as a space."""

    def preprocess(self, source, name, filename=None):
        return "".join(line.lstrip() for line in source.splitlines())


def tile_values(current: dict, previous: dict, metrics: list[str], year_before: dict | None = None) -> list[dict]:
    """What each KPI tile shows: the metric, its value, the change against the previous
    period and its trend (up, down, flat), for the page, the e-mail and the slides alike;
    `first` when the previous period has no data at all (the first period in the data); with
    `year_before`, the change against the same period a year before too (`year` is "shown",
    or "missing" when the data does not reach back: an empty dict). A metric this period
    does not carry (no export gives it) has no tile: `not_carried` names them."""
    shown = []
    for metric in metrics:
        if missing(current.get(metric)):
            continue
        kind = METRICS[metric].kind
        delta = change(current.get(metric), previous.get(metric), kind)
        first = delta is None and not previous.get("posts")  # nothing posted before: no earlier period
        tile = dict(
            metric=metric, value=current.get(metric), change=delta, trend=_trend(delta, kind), year=None, first=first
        )
        if year_before is not None:
            yearly = change(current.get(metric), year_before.get(metric), kind) if year_before else None
            tile.update(year="shown" if year_before else "missing", year_change=yearly, year_trend=_trend(yearly, kind))
        shown.append(tile)
    return shown


def not_carried(current: dict, metrics: list[str]) -> list[str]:
    """The metrics of `metrics` this period does not carry: no export of the client gives them."""
    return [metric for metric in metrics if missing(current.get(metric))]


def _trend(delta, kind: str) -> str:
    """Up, down or flat as the change is shown: a rate's in points with one decimal, a
    count's in percent with one decimal (−0.02 pp reads 0.0 pp: flat, not down)."""
    if delta is None or reads_zero(delta, 1 if kind == "rate" else 3):
        return "flat"
    return "up" if delta > 0 else "down"


@cache
def stylesheet() -> str:
    """The fragments' CSS (templates/fragments.css): tiles, tables, notes, the header."""
    return (Path(__file__).parent / "templates" / "fragments.css").read_text(encoding="utf-8")


FRAGMENTS = Environment(
    loader=PackageLoader("rapport.present"), autoescape=True, undefined=StrictUndefined, extensions=[Compact]
).get_template("fragments.html.j2")


class Html:
    """The fragments in one reader's language. Every method returns markup, ready to show."""

    def __init__(self, fmt: Formatter):
        self.fmt = fmt
        self._macros: Any = FRAGMENTS.make_module({"fmt": fmt})  # its macros, as attributes

    # --- the page ---------------------------------------------------------------------

    def header(
        self, client: str, title: str, period, colour: str, *, logo: str | None = None, published: bool = True
    ) -> Markup:
        """The branded header (brand colour, logo, client, report, period). Published, it
        holds the table of contents, which the export fills with the page's sections; in
        JupyterLab (`published=False`) it brings the fragments' stylesheet instead, which
        the page has in its head."""
        styles = None if published else Markup(stylesheet())  # our own file: no markup from data
        return self._macros.header(client, title, period, colour, logo, published, styles)

    def section(self, key: str) -> Markup:
        return self._macros.section(key)

    def note(self, key: str) -> Markup:
        """A one-line remark: no data, nothing to report."""
        return self._macros.note(key)

    def definitions(self, metrics: list[str]) -> Markup:
        """The definitions of the metrics shown, once each, as the page's footnotes."""
        return self._macros.definitions(list(dict.fromkeys(metrics)))

    def footer(self, inputs: list[dict], *, params_file: str, params_sha256: str, version: str, generated_at) -> Markup:
        """Provenance: the input files and their checksums, the params checksum, version, time."""
        return self._macros.footer(inputs, params_file, params_sha256, version, generated_at)

    # --- figures ----------------------------------------------------------------------

    def tiles(self, current: dict, previous: dict, metrics: list[str], year_before: dict | None = None) -> Markup:
        """KPI tiles: value, change vs the previous period ("first period in the data" when
        there is none), an arrow and a colour; with `year_before` (an empty dict: the data
        does not reach back) a line for the same period a year before. A metric no export
        carries gets no tile but a line under them naming the export that would give it."""
        absent = [(m, METRICS[m].source) for m in not_carried(current, metrics)]
        return self._macros.tiles(tile_values(current, previous, metrics, year_before), absent)

    def facts(self, values, keys: list[str]) -> Markup:
        """A few labelled counts (the schedule), as small tiles."""
        return self._macros.facts(values, keys)

    def kpi_table(self, frame, metrics: list[str], year_before=None) -> Markup:
        """A KPI table: one row per platform (and all channels), formatted for reading; with
        `year_before` (the KPIs a year before; an empty frame: the data does not reach back)
        each figure carries its change against it, below in small type."""
        rows, years = jsonable.by_index(frame), None
        if year_before is not None:
            before = jsonable.by_index(year_before)
            years = {
                platform: {m: change(values.get(m), before[platform].get(m), METRICS[m].kind) for m in metrics}
                for platform, values in rows.items()
                if platform in before
            }
        return self._macros.kpi_table(rows, metrics, years)

    def money_table(self, resources, roi) -> Markup:
        """Time and money against plan and budget, and the return on them."""
        return self._macros.money_table(resources, roi)

    # --- records ----------------------------------------------------------------------

    def rows_table(
        self,
        rows: list[dict] | pd.DataFrame,
        columns: list[tuple[str, str, str]],
        *,
        shown: int | None = None,
        empty: str = "note.no_rows",
    ) -> Markup:
        """A table of records (or a frame's rows); columns are (field, label key, kind), e.g.
        PLAN_COLUMNS. With `shown`, the rows after the first `shown` are folded under "n more";
        without rows, the note `empty` says why in a line (never a table of headers only)."""
        records = jsonable.rows(rows) if isinstance(rows, pd.DataFrame) else rows
        if not records:
            return self.note(empty)
        return self._macros.rows_table(records, columns, shown)

    def posts_table(self, posts, *, shown: int | None = None) -> Markup:
        """Posts with their excerpt (a link to the post) and figures (lifetime figures of
        each post); with `shown`, the rest folded."""
        return self.rows_table(posts, POST_COLUMNS, shown=shown)

    def breakdown_table(self, frame, dimension: str) -> Markup:
        """Posts, impressions, engagements and engagement rate per format or campaign."""
        name = ("value", f"col.{dimension}", "format" if dimension == "format" else "text")
        return self.rows_table(frame, [name, *FIGURE_COLUMNS])

    def voice_table(self, voice, own: str) -> Markup:
        """Mentions per brand (own first) and each brand's share of all mentions."""
        total = sum(v["mentions"] for v in voice.brands.values())
        ordered = sorted(voice.brands.items(), key=lambda item: (item[0].lower() != own.lower(), -item[1]["mentions"]))
        rows = [
            dict(
                brand=name,
                mentions=v["mentions"],
                share=v["mentions"] / total if total else None,
                positive=v["positive"],
                negative=v["negative"],
            )
            for name, v in ordered
        ]
        return self.rows_table(rows, VOICE_COLUMNS)

    def exceptions(self, subjects, *, shown: int | None = None, detail: bool = False) -> Markup:
        """The exceptions by subject (analysis.exceptions), most severe first: one sentence
        each with its likely reason; the first `shown` (the monthly: seven) and a line for
        the rest, or with `detail` every one with its findings folded under it."""
        items = [
            dict(
                severity=s.severity,
                kind=s.kind,
                name=s.name,
                sentence=self.fmt.sentence(s.sentence),
                reason=self.fmt.sentence(s.reason) if s.reason else None,
                rows=[self.finding(f) for f in s.findings] if detail else [],
            )
            for s in subjects
        ]
        first = items if shown is None else items[:shown]
        return self._macros.exceptions(first, len(items) - len(first))

    def findings_table(self, findings) -> Markup:
        """Exceptions, most severe first: what was expected, what happened, where to look."""
        return self._macros.findings_table([self.finding(f) for f in findings])

    def finding(self, f) -> dict:
        """A finding worded for a reader: severity, subject, what was found, measured, expected, where to look."""
        words = self.fmt.word(f.message_key) + (f" ({self.fmt.word('metric.' + f.metric)})" if f.metric else "")
        return dict(
            severity=f.severity,
            subject=self._subject(f),
            finding=words,
            measured=self._measure(f, f.measured),
            expected=self._measure(f, f.expected),
            where=self.fmt.word("look." + f.message_key.split(".", 1)[1]),
        )

    def _subject(self, f) -> str:
        if f.kind == "over_budget":
            return self.fmt.word("budget." + f.subject)
        if f.kind == "anomaly":
            return self.fmt.date(date.fromisoformat(f.subject))
        return self.fmt.name("platform", f.subject)

    def _measure(self, f, value) -> str:
        """A finding's measured or expected value: days late, a due date, a problem's status,
        a metric's value."""
        if f.kind == "activity_late" and isinstance(value, int):
            return self.fmt.word("label.days_late", days=value)
        if f.kind == "activity_late" and isinstance(value, str):
            return self.fmt.date(date.fromisoformat(value))
        if f.kind == "open_problem" and isinstance(value, str):
            return self.fmt.word("status.solved") if value == "solved" else value
        if f.metric and not isinstance(value, str):
            return self.fmt.metric(value, f.metric)
        return self.fmt.cell(value, "number" if isinstance(value, (int, float)) else "text")

    # --- goals ------------------------------------------------------------------------

    def goals_table(self, reports) -> Markup:
        """Each goal: baseline, target, current, progress against time and in words (its
        pace: goals.pace), status, forecast."""
        if not reports:
            return self.note("note.no_goals")
        paces = {g.id: self.fmt.sentence(p) for g in reports if (p := pace(g))}
        return self._macros.goals_table(reports, paces)

    def smart_table(self, reports) -> Markup:
        """The S.M.A.R.T. check of each goal: each letter ✓ or ✗ with its reason (nothing
        without goals: the goals table says so)."""
        return self._macros.smart_table(reports) if reports else Markup()

    def kpi_sets(self, reports) -> Markup:
        """For each goal, its type and the KPIs recommended for that type (nothing without
        goals: the goals table says so)."""
        return self._macros.kpi_sets(reports) if reports else Markup()

    def okr_table(self, okrs: list[dict]) -> Markup:
        """Each objective with its score, then its key results: start, target, current, score;
        without OKRs, a line saying how to add them."""
        return self._macros.okr_table(okrs) if okrs else self.note("note.no_okrs")

    def post_summary(self, objective: str, post) -> Markup:
        """The POST summary from the params: business objective, people, objectives, strategy,
        technology (empty ones left out; nothing at all when every one is empty)."""
        rows = [("post.objective", objective)] + [(f"post.{k}", getattr(post, k)) for k in POST]
        return self._macros.post_summary([(key, words) for key, words in rows if words.strip()])

    # --- words ------------------------------------------------------------------------

    def swot_grid(self, swot: dict) -> Markup:
        """The SWOT grid: four boxes, each a short list (or a dash when empty)."""
        return self._macros.swot_grid(swot, SWOT)

    def sentences(self, items: list[dict], css: str = "rapport-summary") -> Markup:
        """Generated sentences as a short list."""
        return self._macros.sentences(items, css)

    # --- the crisis plan --------------------------------------------------------------

    def crisis_plan(self, plan, *, client: str, fired: Sequence = ()) -> Markup:
        """The crisis plan of the params (`params.crisis`): its steps numbered with owner and
        time, the contacts (phone and e-mail as links), the holding statements. Signals that
        fired (analysis.crisis.signals) come first, each in words in a box. Without a plan,
        one sentence says there is none and how to add one to params/<client>.yaml."""
        steps = contacts = []
        if plan is not None:
            steps = [dict(do=s.do, owner=s.owner, within=self._within(s.within)) for s in plan.steps]
            contacts = [
                dict(c.model_dump(), tel="tel:" + re.sub(r"[^0-9+]", "", c.phone) if c.phone else None)
                for c in plan.contacts
            ]
        return self._macros.crisis_plan(plan, [self.signal(s) for s in fired], steps, contacts, client)

    def signal(self, s) -> str:
        """A fired crisis signal in words: what, which day (or period), measured against usual."""
        if s.daily:
            return self.fmt.word(
                "crisis." + s.kind,
                day=self.fmt.date(s.start),
                measured=self.fmt.decimal(s.measured, "#,##0"),
                expected=self.fmt.decimal(s.expected, "#,##0.#"),
            )
        return self.fmt.word(
            "crisis." + s.kind,
            start=self.fmt.date(s.start),
            end=self.fmt.date(s.end),
            measured=self.fmt.percent(s.measured),
            expected=self.fmt.percent(s.expected),
            change=self.fmt.points((s.measured - s.expected) * 100),
        )

    def _within(self, within: float | str | None) -> str | None:
        """A step's time: a number of hours in words ("within 2 h"), a text as the params say it."""
        if within is None or isinstance(within, str):
            return within
        return self.fmt.word(
            "crisis.within", time=self.fmt.word("crisis.hours", hours=self.fmt.decimal(within, "#,##0.#"))
        )
