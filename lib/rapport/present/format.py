"""Numbers, dates and words as one reader reads them, in the client's language and currency.

One `Formatter` is built per report; the HTML fragments and the charts both format through
it, so a figure reads the same in a tile, a table, a sentence and on a chart's axis.
Missing or undefined values show as "–". Everything returned is plain text (the HTML
templates escape it), except `link`, which is markup.
"""

from __future__ import annotations

from copy import copy
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal
from urllib.parse import urlsplit

from babel import Locale
from babel.dates import format_date, format_datetime, get_day_names
from babel.numbers import format_currency, format_decimal, get_minus_sign_symbol
from markupsafe import Markup

from rapport.catalog import METRICS
from rapport.i18n import EN, counted, text
from rapport.jsonable import missing

DASH = "–"
LOCALES = {"en": "en_GB", "sv": "sv_SE", "fr": "fr_FR", "bg": "bg_BG"}

# Decimal patterns: a metric's by its kind (counts and levels are whole), a table cell's by its kind
METRIC_PATTERNS = {"money": "#,##0.00", "average": "#,##0.0"}
CELL_PATTERNS = {"int": "#,##0", "number": "#,##0.##"}

# What a generated sentence's values are, by their name: codes to put in words (and the
# catalogue section naming them), percentages, ISO dates
NAMED = {
    "platform": "platform",
    "format": "format",
    "metric": "metric",
    "status": "status",
    "budget": "budget",
    "verdict": "achievability",
}
PERCENTS = {"rate", "overall", "share", "fair", "progress", "expected", "percentile"}
DATES = {"start", "deadline", "day", "due"}
METRIC_VALUES = {"current", "baseline", "target"}  # as their sentence's metric is shown
MONEY = {"money", "money_planned"}  # in the client's currency, as the tables show it
EXCERPT = 90  # characters of a post's text in a table


def reads_zero(value, places: int) -> bool:
    """Whether `value` shows as zero with `places` decimals, rounded as Babel rounds (half to
    even, on the number as written): −0.05 with one decimal is 0.0."""
    return Decimal(str(value)).quantize(Decimal(1).scaleb(-places), ROUND_HALF_EVEN) == 0


class Formatter:
    """The reader's language (en, sv, fr, bg) and the client's currency, bound once."""

    def __init__(self, language: str, currency: str | None = None):
        self.language = language
        self.locale = LOCALES[language]
        self.currency = currency
        self._percent = copy(Locale.parse(self.locale).percent_formats[None])  # the locale's own: 4.8% · 4,8 %
        self._percent.frac_prec = (1, 1)
        self._minus = get_minus_sign_symbol(self.locale)  # sv: − (U+2212); Babel's patterns write "-"

    # --- words ------------------------------------------------------------------------

    def word(self, key: str, n=None, **values) -> str:
        """The catalogue's words for `key`, {placeholders} filled from `values`; words that
        follow a number take its plural form: `n`, or the number's placeholder's value."""
        return text(key, self.language, n=n, **values)

    def name(self, kind: str, code) -> str:
        """A code from the data in words (platform "instagram" → Instagram); a code the
        catalogue does not know (a campaign, a custom metric) as it is."""
        key = f"{kind}.{code}"
        return self.word(key) if key in EN else str(code)

    def sentence(self, item: dict) -> str:
        """A generated sentence ({"key", "values"}: a SWOT point, a summary line, a
        S.M.A.R.T. reason) with its values formatted and named; {"text"} from the params as it is."""
        if "text" in item:
            return item["text"]
        raw = item.get("values", {})
        metric = raw.get("metric") if raw.get("metric") in METRICS else None
        shown = {
            name: self.metric(v, metric) if metric and name in METRIC_VALUES else self._value(name, v)
            for name, v in raw.items()
        }
        return self.word(item["key"], n=raw.get(counted(item["key"]) or ""), **shown)

    def _value(self, name: str, value) -> str:
        if value is None:
            return DASH
        if name in NAMED:
            return self.name(NAMED[name], value)
        if name in PERCENTS:
            return self.percent(value)
        if name in DATES:
            return self.date(date.fromisoformat(value))
        if name in MONEY:
            return self.money(value)
        if name in ("change_pct", "change_month"):
            return self.percent(value, sign=True)
        if name == "change_pp":
            return self.points(value)
        if name == "growth":
            return self.decimal(value, "+#,##0;-#,##0")
        if name == "per_week":
            return self.decimal(value, "#,##0.0")
        return self.decimal(value, "#,##0.##") if isinstance(value, (int, float)) else str(value)

    # --- numbers ----------------------------------------------------------------------

    def decimal(self, value, pattern: str = "#,##0") -> str:
        """A number in a Babel pattern, with the locale's separators and minus."""
        return self._signed(format_decimal(value, pattern, locale=self.locale))

    def _signed(self, shown: str) -> str:
        """The locale's own minus sign (Babel's formatters write a hyphen for every locale)."""
        return shown.replace("-", self._minus, 1) if self._minus != "-" else shown

    def percent(self, value, sign: bool = False) -> str:
        """A share with one decimal (0.048 → 4.8% · 4,8 %); `sign`: +4.8% when above zero."""
        if sign and reads_zero(value, 3):
            value = 0  # −0.02 % reads 0.0 %, without a sign
        shown = self._signed(self._percent.apply(value, self.locale))
        return "+" + shown if sign and value > 0 else shown

    def points(self, value) -> str:
        """A change of a rate, in percentage points: +0.4 pp; one that rounds to nothing, 0.0 pp."""
        number = self.decimal(value, "+#,##0.0;-#,##0.0") if not reads_zero(value, 1) else self.decimal(0, "#,##0.0")
        return number + "\u00a0" + self.word("label.pp")

    def metric(self, value, metric: str) -> str:
        """A metric's value as the reader expects it: 12 345, 4.2 %, 3.5 a week, 12.50."""
        if missing(value):
            return DASH
        kind = METRICS[metric].kind
        return self.percent(value) if kind == "rate" else self.decimal(value, METRIC_PATTERNS.get(kind, "#,##0"))

    def change(self, delta, metric: str) -> str:
        """A change against the comparison period: +3.1 % for counts, +0.4 pp for rates."""
        if delta is None:
            return DASH
        return self.points(delta) if METRICS[metric].kind == "rate" else self.percent(delta, sign=True)

    def money(self, value) -> str:
        """An amount in the client's currency, as the locale writes it (SEK 1,200.00 · 1 200,00 kr)."""
        if self.currency is None:
            raise ValueError("this Formatter has no currency: build it with the client's")
        return DASH if missing(value) else self._signed(format_currency(value, self.currency, locale=self.locale))

    # --- time -------------------------------------------------------------------------

    def date(self, day, pattern: str = "medium") -> str:
        return format_date(day, pattern, locale=self.locale)

    def moment(self, when, pattern: str = "medium") -> str:
        """A date and time (a post's publication, when a report was generated)."""
        return format_datetime(when, pattern, locale=self.locale)

    def period(self, period) -> str:
        """A report's period as its title says it: "October 2026", or its first and last day."""
        if period.is_month:
            return self.date(period.start, "LLLL y").capitalize()
        return f"{self.date(period.start)} – {self.date(period.end)}"

    def weekdays(self) -> list[str]:
        """Monday to Sunday, abbreviated."""
        names = get_day_names("abbreviated", locale=self.locale)
        return [names[day].capitalize() for day in range(7)]

    # --- table cells ------------------------------------------------------------------

    def cell(self, value, kind: str) -> Markup | str:
        """One table cell. kind: text, excerpt, link, int, number, rate, money, date,
        datetime, or platform / format / state / rule (codes in words)."""
        if missing(value):
            return DASH
        if kind in CELL_PATTERNS:
            return self.decimal(value, CELL_PATTERNS[kind])
        if kind in ("platform", "format", "state", "rule"):
            return self.name(kind, value)
        if kind == "rate":
            return self.percent(value)
        if kind == "money":
            return self.money(value)
        if kind == "date":
            return self.date(value)
        if kind == "datetime":
            return self.moment(value, "d MMM HH:mm")
        if kind == "link":
            return self.link(value)
        words = str(value)
        return words[: EXCERPT - 1].rstrip() + "…" if kind == "excerpt" and len(words) > EXCERPT else words

    def link(self, url, label: str | None = None) -> Markup | str:
        """A post's address as a short link (its host, or `label`: the post's excerpt).
        Anything but http(s) stays plain text, so a `javascript:` address from an export can
        never run."""
        url = str(url)
        parts = urlsplit(url.strip())
        if parts.scheme not in ("http", "https") or not parts.netloc:
            return label or url or DASH
        # Markup.format escapes the address and the words: they come from the export
        if label is not None:
            return Markup('<a href="{}" rel="noopener noreferrer">{}</a>').format(url.strip(), label)
        return Markup('<a href="{}" rel="noopener noreferrer">{}&nbsp;↗</a>').format(
            url.strip(), parts.netloc.removeprefix("www.")
        )
