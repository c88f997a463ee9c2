"""HTML fragments the reports show: header, KPI tiles, tables, footer.

Numbers are formatted for the client's locale with Babel; missing or undefined values
show as "–". Every text that comes from data or params is escaped.
"""

from __future__ import annotations

from copy import copy
from datetime import date
from html import escape
from urllib.parse import urlsplit

from babel.dates import format_date, format_datetime
from babel import Locale
from babel.numbers import format_decimal

from rapport.catalog import METRICS
from rapport.i18n import EN, text

DASH = "–"
_KNOWN = EN
LOCALES = {"en": "en_GB", "sv": "sv_SE", "fr": "fr_FR", "bg": "bg_BG"}


def percent(value, language: str, sign: bool = False) -> str:
    """A percentage with one decimal, in the locale's own pattern (4.8% · 4,8 % · 4,8 %)."""
    pattern = copy(Locale.parse(LOCALES[language]).percent_formats[None])
    pattern.frac_prec = (1, 1)
    text_ = pattern.apply(value, LOCALES[language])
    return "+" + text_ if sign and value > 0 else text_


def number(value, metric: str, language: str) -> str:
    """A metric's value as the reader expects it: 12 345, 4.2 %, …"""
    if value is None:
        return DASH
    locale = LOCALES[language]
    if METRICS[metric].kind == "rate":
        return percent(value, language)
    if METRICS[metric].kind == "money":
        return format_decimal(value, "#,##0.00", locale=locale)
    if METRICS[metric].kind == "average":
        return format_decimal(value, "#,##0.0", locale=locale)
    return format_decimal(value, "#,##0", locale=locale)


def change(value, metric: str, language: str) -> str:
    """A change vs the comparison period: +3.1 % for counts, +0.4 pp for rates."""
    if value is None:
        return DASH
    locale = LOCALES[language]
    if METRICS[metric].kind == "rate":
        return format_decimal(value, "+#,##0.0;-#,##0.0", locale=locale) + "\u00a0" + text("label.pp", language)
    return percent(value, language, sign=True)


def period_text(period, language: str) -> str:
    locale = LOCALES[language]
    if period.is_month:
        return format_date(period.start, "LLLL y", locale=locale).capitalize()
    return f"{format_date(period.start, 'medium', locale=locale)} – {format_date(period.end, 'medium', locale=locale)}"


def header(client_name: str, report_title: str, period_label: str, colour: str, language: str,
           logo_uri: str | None = None) -> str:
    """The branded header (brand colour, logo, client, report, period) and the table of
    contents, which the export fills with the page's sections."""
    # the brand colour is validated as #rrggbb in config; it colours the whole page
    logo = f'<img class="rapport-logo" src="{escape(logo_uri, quote=True)}" alt="">' if logo_uri else ""
    return (
        f"<style>:root {{ --brand: {escape(colour)}; }}</style>"
        f'<header class="rapport-header">{logo}<div>'
        f'<p class="rapport-client">{escape(client_name)}</p>'
        f"<h1>{escape(report_title)}</h1>"
        f'<p class="rapport-period">{escape(period_label)}</p></div></header>'
        f'<nav class="rapport-toc" aria-label="{escape(text("label.contents", language), quote=True)}">'
        f'<p class="rapport-toc-title">{escape(text("label.contents", language))}</p><ol></ol></nav>'
    )


def footnote(metric: str) -> str:
    """A reference to a metric's definition at the foot of the page (numbered on export)."""
    return f'<sup class="rapport-fn"><a href="#def-{metric}" data-fn="{metric}"></a></sup>'


def tiles(current: dict, previous: dict, metrics: list[str], language: str) -> str:
    """KPI tiles: value, change vs the previous period, an arrow and a colour."""
    from rapport.analysis.metrics import change as compute_change

    cells = []
    for metric in metrics:
        value, before = current.get(metric), previous.get(metric)
        delta = compute_change(value, before, METRICS[metric].kind)
        trend = "flat" if not delta else ("up" if delta > 0 else "down")
        arrow = {"up": "▲", "down": "▼", "flat": "■"}[trend]
        cells.append(
            f'<div class="rapport-tile" data-metric="{metric}">'
            f'<div class="rapport-tile-label">{escape(text("metric." + metric, language))}{footnote(metric)}</div>'
            f'<div class="rapport-tile-value">{number(value, metric, language)}</div>'
            f'<div class="rapport-tile-change rapport-{trend}">{arrow} {change(delta, metric, language)}'
            f' <span>{escape(text("label.vs_previous", language))}</span></div></div>'
        )
    return f'<div class="rapport-tiles">{"".join(cells)}</div>'


def kpi_table(frame, metrics: list[str], language: str) -> str:
    """A KPI table: one row per platform (and all channels), formatted for reading."""
    head = "".join(f'<th scope="col">{escape(text("metric." + m, language))}{footnote(m)}</th>' for m in metrics)
    rows = []
    for platform, values in frame.iterrows():
        cells = "".join(f'<td data-metric="{m}">{number(values[m], m, language)}</td>' for m in metrics)
        css = ' class="rapport-total"' if platform == "all" else ""
        rows.append(f'<tr{css} data-platform="{escape(platform)}"><th scope="row">'
                    f'{escape(text("platform." + platform, language))}</th>{cells}</tr>')
    return (
        '<div class="rapport-table-wrap"><table class="rapport-table">'
        f'<thead><tr><th scope="col">{escape(text("label.platform", language))}</th>{head}</tr></thead>'
        f'<tbody>{"".join(rows)}</tbody></table></div>'
    )


def definitions(metrics: list[str], language: str) -> str:
    """The definitions of the metrics shown, as the page's footnotes."""
    items = "".join(
        f'<li id="def-{m}" data-fn="{m}"><strong>{escape(text("metric." + m, language))}</strong>: '
        f"{escape(text('formula.' + m, language))}</li>"
        for m in dict.fromkeys(metrics)
    )
    return (f'<section class="rapport-definitions"><h2 id="definitions">{escape(text("label.definitions", language))}'
            f'</h2><ol class="rapport-footnotes">{items}</ol></section>')


def footer(inputs: list[dict], params_file: str, params_sha256: str, version: str, generated_at, language: str) -> str:
    """Provenance: the input files and their checksums, the params checksum, version, time."""
    locale = LOCALES[language]
    files = "".join(
        f"<li><code>{escape(str(i['path']))}</code> · {escape(str(i['format']))} · "
        f"{format_decimal(i['rows'], locale=locale)} {escape(text('label.rows', language))} · "
        f"<code>sha256:{escape(i['sha256'][:12])}</code></li>"
        for i in inputs
    )
    return (
        '<footer class="rapport-footer">'
        f"<p>{escape(text('label.generated', language))}: {format_datetime(generated_at, 'medium', locale=locale)}"
        f" · {escape(text('label.version', language))} {escape(version)}"
        f" · {escape(text('label.params', language))}: <code>{escape(params_file)}</code> "
        f"<code>sha256:{escape(params_sha256[:12])}</code></p>"
        f"<details><summary>{escape(text('label.sources', language))} ({len(inputs)})</summary>"
        f"<ul>{files}</ul></details></footer>"
    )


def cell(value, kind: str, language: str, currency: str | None = None) -> str:
    """One table cell's text, escaped. kind: text, excerpt, link, int, rate, number, money
    (in `currency`), date, datetime, or platform / format / state (words from the catalogue)."""
    if value is None or (not isinstance(value, str) and value != value):
        return DASH
    locale = LOCALES[language]
    if kind == "money":
        from babel.numbers import format_currency

        return escape(format_currency(value, currency, locale=locale))
    if kind == "int":
        return format_decimal(value, "#,##0", locale=locale)
    if kind == "number":
        return format_decimal(value, "#,##0.##", locale=locale)
    if kind == "rate":
        return percent(value, language)
    if kind == "date":
        return format_date(value, "medium", locale=locale)
    if kind == "datetime":
        return format_datetime(value, "d MMM HH:mm", locale=locale)
    if kind == "link":
        return link(str(value))
    if kind in ("platform", "format", "state"):
        key = f"{kind}.{value}"
        return escape(text(key, language) if key in _KNOWN else str(value))
    value = str(value)
    if kind == "excerpt" and len(value) > 90:
        value = value[:89].rstrip() + "…"
    return escape(value)


def link(url: str) -> str:
    """A post's address as a short link (its host); anything but http(s) stays plain text,
    so a `javascript:` address from an export can never run."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return escape(url) if url else DASH
    host = parts.netloc.removeprefix("www.")
    return f'<a href="{escape(url.strip(), quote=True)}" rel="noopener noreferrer">{escape(host)}&nbsp;↗</a>'


def rows_table(rows: list[dict], columns: list[tuple[str, str, str]], language: str, currency: str | None = None) -> str:
    """A table of records; columns are (field, label key, kind). Numbers right-aligned."""
    head = "".join(f'<th scope="col" class="rapport-{kind}">{escape(text(label, language))}</th>'
                   for _, label, kind in columns)
    body = "".join(
        "<tr>" + "".join(f'<td class="rapport-{kind}" data-field="{name}">{cell(row.get(name), kind, language, currency)}</td>'
                         for name, _, kind in columns) + "</tr>"
        for row in rows
    )
    return (f'<div class="rapport-table-wrap"><table class="rapport-table rapport-rows"><thead><tr>{head}</tr></thead>'
            f"<tbody>{body}</tbody></table></div>")


def findings_table(findings, language: str) -> str:
    """Exceptions, most severe first: what was expected, what happened, where."""
    rows = []
    for f in findings:
        rows.append(f'<tr class="rapport-{f.severity}"><td>{escape(text("severity." + f.severity, language))}</td>'
                    f"<td>{escape(_subject(f, language))}</td><td>{escape(_finding(f, language))}</td>"
                    f"<td>{_measure(f, f.measured, language)}</td><td>{_measure(f, f.expected, language)}</td>"
                    f'<td data-field="where">{escape(text("look." + f.message_key.split(".", 1)[1], language))}</td></tr>')
    head = "".join(f'<th scope="col">{escape(text(k, language))}</th>'
                   for k in ("col.severity", "col.subject", "col.finding", "col.measured", "col.expected", "col.where"))
    return (f'<div class="rapport-table-wrap"><table class="rapport-table rapport-rows rapport-findings">'
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>")


def _subject(f, language: str) -> str:
    if f.kind == "over_budget":
        return text("budget." + f.subject, language)
    if f.kind == "anomaly":
        return format_date(date.fromisoformat(f.subject), "medium", locale=LOCALES[language])
    key = "platform." + f.subject
    return text(key, language) if key in _KNOWN else f.subject


def _finding(f, language: str) -> str:
    words = text(f.message_key, language)
    return words + (f" ({text('metric.' + f.metric, language)})" if f.metric else "")


def _measure(f, value, language: str) -> str:
    if f.kind == "activity_late" and isinstance(value, int):
        return escape(text("label.days_late", language, days=value))
    if f.kind == "activity_late" and isinstance(value, str):
        return cell(date.fromisoformat(value), "date", language)
    if f.kind == "open_problem" and isinstance(value, str):
        return escape(text("status.solved", language) if value == "solved" else value)
    if f.metric and not isinstance(value, str):
        return number(value, f.metric, language)
    return cell(value, "number" if isinstance(value, (int, float)) else "text", language)


def _value(value, metric: str | None, language: str) -> str:
    return number(value, metric, language) if metric else cell(value, "number", language)


def goals_table(reports, language: str) -> str:
    """Each goal: baseline, target, current, progress against time, status, forecast."""
    rows = []
    for g in reports:
        forecast = DASH if g.forecast is None else (
            f"{number(g.forecast, g.metric, language)} ({number(g.forecast_low, g.metric, language)}"
            f"–{number(g.forecast_high, g.metric, language)})")
        rows.append(
            f'<tr class="rapport-status-{g.status.replace(" ", "-")}" data-goal="{escape(g.id)}">'
            f"<td>{escape(g.id)}</td><td>{escape(g.name)}</td>"
            f"<td>{escape(text('metric.' + g.metric, language) if 'metric.' + g.metric in _KNOWN else g.metric)}</td>"
            f"<td data-field=\"baseline\">{_value(g.baseline, g.metric, language)}</td>"
            f"<td data-field=\"target\">{_value(g.target, g.metric, language)}</td>"
            f"<td data-field=\"current\">{_value(g.current, g.metric, language)}</td>"
            f"<td data-field=\"progress\">{cell(g.progress, 'rate', language)} / {cell(g.expected_progress, 'rate', language)}</td>"
            f"<td data-field=\"status\">{escape(text('status.' + g.status.replace(' ', '_'), language))}</td>"
            f"<td data-field=\"forecast\">{forecast}</td>"
            f"<td data-field=\"achievability\">{escape(text('achievability.' + g.achievability, language))}</td></tr>"
        )
    head = "".join(f'<th scope="col">{escape(text(k, language))}</th>' for k in (
        "col.id", "col.goal", "col.metric", "col.baseline", "col.target", "col.current", "col.progress",
        "col.status", "col.forecast", "col.achievability"))
    return (f'<div class="rapport-table-wrap"><table class="rapport-table rapport-rows rapport-goals">'
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>")


def okr_table(okrs: list[dict], language: str) -> str:
    rows = []
    for okr in okrs:
        rows.append(f'<tr class="rapport-total"><td>{escape(okr["objective"])}</td><td></td><td></td><td></td>'
                    f'<td data-field="score">{cell(okr["score"], "number", language)}</td></tr>')
        for kr in okr["key_results"]:
            rows.append(f"<tr><td>· {escape(kr['name'])}</td><td>{_value(kr['start'], kr['metric'], language)}</td>"
                        f"<td>{_value(kr['target'], kr['metric'], language)}</td>"
                        f"<td>{_value(kr['current'], kr['metric'], language)}</td>"
                        f"<td data-field=\"score\">{cell(kr['score'], 'number', language)}</td></tr>")
    head = "".join(f'<th scope="col">{escape(text(k, language))}</th>' for k in (
        "col.objective", "col.start", "col.target", "col.current", "col.score"))
    return (f'<div class="rapport-table-wrap"><table class="rapport-table rapport-rows rapport-okrs">'
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>")


def money_table(resources: dict, roi: dict, currency: str, language: str) -> str:
    """Time and money against plan and budget, and the return on them."""
    from babel.numbers import format_currency

    def money(v):
        return DASH if v is None else format_currency(v, currency, locale=LOCALES[language])

    lines = [
        ("res.hours", cell(resources["hours_spent"], "number", language), cell(resources["hours_planned"], "number", language),
         cell(resources["hours_budget"], "number", language)),
        ("res.money", money(resources["money_spent"]), money(resources["cost_planned"]), money(resources["money_budget"])),
        ("res.ad_spend", money(resources["ad_spend"]), DASH, DASH),
        ("res.value", money(roi["value"]), DASH, DASH),
        ("res.cost", money(roi["cost"]), DASH, DASH),
        ("metric.roi", cell(roi["roi"], "rate", language), DASH, DASH),
    ]
    body = "".join(f'<tr data-field="{key}"><th scope="row">{escape(text(key, language))}</th><td>{a}</td><td>{b}</td>'
                   f"<td>{c}</td></tr>" for key, a, b, c in lines)
    head = "".join(f'<th scope="col">{escape(text(k, language))}</th>' for k in ("col.item", "col.actual", "col.plan",
                                                                               "col.budget"))
    return (f'<div class="rapport-table-wrap"><table class="rapport-table rapport-money"><thead><tr>{head}</tr></thead>'
            f"<tbody>{body}</tbody></table></div>")


def facts(values: dict, keys: list[str], language: str) -> str:
    """A few labelled numbers (the schedule), as small tiles."""
    cells = "".join(f'<div class="rapport-tile" data-field="{k}"><div class="rapport-tile-label">'
                    f"{escape(text(prefix_key, language))}</div><div class=\"rapport-tile-value\">"
                    f"{cell(values.get(k), 'int', language)}</div></div>"
                    for k, prefix_key in ((k, "sched." + k) for k in keys))
    return f'<div class="rapport-tiles">{cells}</div>'


def smart_table(reports, language: str) -> str:
    """The S.M.A.R.T. check of each goal: each letter ✓ or ✗ with its reason."""
    rows = []
    for g in reports:
        letters = "".join(
            f'<td data-letter="{letter}" class="rapport-{"up" if check["ok"] else "down"}">'
            f'{"✓" if check["ok"] else "✗"} {escape(smart_reason(check, language))}</td>'
            for letter, check in g.smart.items())
        rows.append(f"<tr><td>{escape(g.id)}</td>{letters}</tr>")
    head = "".join(f'<th scope="col">{h}</th>' for h in ("", "S", "M", "A", "R", "T"))
    return (f'<div class="rapport-table-wrap"><table class="rapport-table rapport-rows rapport-goals">'
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>")


def smart_reason(check: dict, language: str) -> str:
    """A S.M.A.R.T. letter's reason in the reader's words (its values translated too)."""
    values = dict(check.get("values", {}))
    if "metric" in values:
        values["metric"] = text("metric." + values["metric"], language)
    if "platform" in values:
        values["platform"] = text("platform." + values["platform"], language)
    if "verdict" in values:
        values["verdict"] = text("achievability." + values["verdict"], language)
    if "percentile" in values:
        values["percentile"] = percent(values["percentile"], language)
    for key in ("start", "deadline"):
        if key in values:
            values[key] = format_date(date.fromisoformat(values[key]), "medium", locale=LOCALES[language])
    return text(check["key"], language, **values)


SWOT = ("strengths", "weaknesses", "opportunities", "threats")


def point(item: dict, language: str) -> str:
    """One generated sentence (a SWOT point, a summary line) in the reader's words: its
    values formatted for the locale, names translated. Returns plain text (not escaped)."""
    if "text" in item:
        return item["text"]
    locale, values = LOCALES[language], {}
    for name, value in item.get("values", {}).items():
        if value is None:
            values[name] = DASH
        elif name in ("platform", "format", "metric", "status", "budget"):
            key = f"{name}.{value}"
            values[name] = text(key, language) if key in _KNOWN else str(value)
        elif name in ("rate", "overall", "share", "fair", "progress", "expected"):
            values[name] = percent(value, language)
        elif name in ("growth", "change_pct"):
            values[name] = (percent(value, language, sign=True) if name == "change_pct"
                            else format_decimal(value, "+#,##0;-#,##0", locale=locale))
        elif name == "change_pp":
            values[name] = format_decimal(value, "+#,##0.0;-#,##0.0", locale=locale) + "\u00a0" + text("label.pp", language)
        elif name == "per_week":
            values[name] = format_decimal(value, "#,##0.0", locale=locale)
        elif isinstance(value, (int, float)):
            values[name] = format_decimal(value, "#,##0.##", locale=locale)
        else:
            values[name] = str(value)
    return text(item["key"], language, **values)


def swot_grid(swot: dict, language: str) -> str:
    """The SWOT grid: four boxes, each a short list (or a dash when empty)."""
    boxes = []
    for part in SWOT:
        items = "".join(f"<li>{escape(point(i, language))}</li>" for i in swot[part]) or f"<li>{DASH}</li>"
        boxes.append(f'<section class="rapport-swot-{part}" data-part="{part}"><h3>{escape(text("swot." + part, language))}'
                     f"</h3><ul>{items}</ul></section>")
    return f'<div class="rapport-swot">{"".join(boxes)}</div>'


def sentences(items: list[dict], language: str, css: str = "rapport-summary") -> str:
    """Generated sentences as a short list."""
    return f'<ul class="{css}">' + "".join(
        f'<li data-key="{escape(i["key"])}">{escape(point(i, language))}</li>' for i in items) + "</ul>"


POST = ("people", "objectives", "strategy", "technology")


def post_summary(objective: str, post, language: str) -> str:
    """The POST summary from the params: business objective, people, objectives, strategy,
    technology (empty ones left out)."""
    rows = [("post.objective", objective)] + [(f"post.{k}", getattr(post, k)) for k in POST]
    items = "".join(f"<dt>{escape(text(key, language))}</dt><dd>{escape(value)}</dd>" for key, value in rows if value.strip())
    return f'<dl class="rapport-post">{items}</dl>' if items else ""


def kpi_sets(reports, language: str) -> str:
    """For each goal, its type and the KPIs recommended for that type."""
    rows = "".join(
        f'<tr data-goal="{escape(g.id)}"><td>{escape(g.id)}</td><td>{escape(text("goaltype." + g.type, language))}</td>'
        f'<td>{escape(", ".join(text("metric." + m, language) for m in g.recommended_kpis))}</td></tr>'
        for g in reports)
    head = "".join(f'<th scope="col">{escape(text(k, language))}</th>' for k in ("col.id", "col.goal_type", "col.kpis"))
    return (f'<div class="rapport-table-wrap"><table class="rapport-table rapport-rows rapport-goals">'
            f"<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table></div>")


POST_COLUMNS = [  # the text early: on a phone it is what shows before the table scrolls
    ("published", "col.published", "datetime"), ("text", "col.text", "excerpt"),
    ("platform", "label.platform", "platform"), ("format", "col.format", "format"), ("url", "col.link", "link"),
    ("impressions", "metric.impressions", "int"), ("engagements", "metric.engagements", "int"),
    ("engagement_rate", "metric.engagement_rate", "rate"),
]


def posts_table(posts, language: str) -> str:
    """Posts with their excerpt, link and figures (lifetime figures of each post)."""
    return rows_table(posts.to_dict("records"), POST_COLUMNS, language)


def breakdown_table(frame, dimension: str, language: str) -> str:
    """Posts, impressions, engagements and engagement rate per format or campaign."""
    kind = "format" if dimension == "format" else "text"
    return rows_table(frame.to_dict("records"), [
        ("value", f"col.{dimension}", kind), ("posts", "metric.posts", "int"),
        ("impressions", "metric.impressions", "int"), ("engagements", "metric.engagements", "int"),
        ("engagement_rate", "metric.engagement_rate", "rate"),
    ], language)


def voice_table(voice: dict, own: str, language: str) -> str:
    """Mentions per brand (own first) and each brand's share of all mentions."""
    total = sum(v["mentions"] for v in voice["brands"].values())
    ordered = sorted(voice["brands"].items(), key=lambda item: (item[0].lower() != own.lower(), -item[1]["mentions"]))
    rows = [dict(brand=name, mentions=v["mentions"], share=v["mentions"] / total if total else None,
                 positive=v["positive"], negative=v["negative"]) for name, v in ordered]
    return rows_table(rows, [("brand", "col.brand", "text"), ("mentions", "metric.mentions", "int"),
                             ("share", "metric.share_of_voice", "rate"), ("positive", "col.positive", "int"),
                             ("negative", "col.negative", "int")], language)
