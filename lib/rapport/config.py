"""The params file: load it safely, validate it, explain every problem in one line.

The keys are documented in README (The params file) and params/_template.yaml. Unknown keys are errors. Dates are ISO strings. YAML is read
with the YAML 1.2 core schema, so `no`, `on` and `007` stay strings.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from . import paths
from .catalog import GOAL_TYPES, METRICS, PLATFORMS
from .errors import ParamsError, UserError

# --- YAML: the 1.2 core schema, no silent coercions, no duplicate keys ---------------


class _Loader(yaml.SafeLoader):
    """SafeLoader with YAML 1.2 core implicit types only.

    YAML 1.1 (PyYAML's default) turns `no`/`on` into booleans, `007` into 7 and
    `2026-13-01` into a crash; here they stay strings and pydantic decides.
    """


_Loader.yaml_implicit_resolvers = {}
for _tag, _pattern, _first in [
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", list("~nN") + [""]),
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", list("tTfF")),
    ("tag:yaml.org,2002:int", r"^[-+]?(?:0|[1-9][0-9]*)$", list("-+0123456789")),
    (
        "tag:yaml.org,2002:float",
        r"^(?:[-+]?(?:\.[0-9]+|(?:0|[1-9][0-9]*)(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
        list("-+.0123456789"),
    ),
]:
    _Loader.add_implicit_resolver(_tag, re.compile(_pattern), _first)


def _construct_mapping(loader: _Loader, node: yaml.MappingNode, deep: bool = False) -> dict:
    seen: set = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(None, None, f"duplicate key {key!r}", key_node.start_mark)
        seen.add(key)
    return yaml.SafeLoader.construct_mapping(loader, node, deep=deep)


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


# --- the model -----------------------------------------------------------------------


def _iso_date(value: Any) -> Any:
    """Only ISO strings (or dates) are dates: 20260101 must not become 1970-08-23."""
    if isinstance(value, date):
        return value
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise ValueError("not_a_date")


def _one_of(allowed):
    def check(value: str) -> str:
        if value not in allowed:
            close = difflib.get_close_matches(value, list(allowed), n=1)
            hint = f"did you mean {close[0]!r}?" if close else "choose one of " + ", ".join(allowed)
            raise ValueError(f"unknown_choice:{hint}")
        return value

    return AfterValidator(check)


IsoDate = Annotated[date, BeforeValidator(_iso_date)]
Number = Annotated[float, Field(allow_inf_nan=False)]
MetricName = Annotated[str, _one_of(tuple(METRICS))]
PlatformName = Annotated[str, _one_of(("all",) + PLATFORMS)]
GoalType = Annotated[str, _one_of(tuple(GOAL_TYPES))]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Brand(_Strict):
    colour: str = "#1f5f8b"
    logo: str | None = None  # path relative to the workspace (PNG, SVG or JPEG)

    @field_validator("logo")
    @classmethod
    def _image(cls, value: str | None) -> str | None:
        if value is not None and Path(value).suffix.lower() not in (".png", ".svg", ".jpg", ".jpeg"):
            raise ValueError("must be a .png, .svg or .jpg file")
        return value

    @field_validator("colour")
    @classmethod
    def _hex(cls, value: str) -> str:
        if not re.fullmatch(r"#[0-9a-fA-F]{6}", value):
            raise ValueError("must be a colour like '#1f5f8b'")
        return value


class People(_Strict):
    """POST: people (the target audience), objectives, strategy, technology."""

    people: str = ""
    objectives: str = ""
    strategy: str = ""
    technology: str = ""


class Goal(_Strict):
    id: str
    name: str
    type: GoalType
    metric: MetricName
    platform: PlatformName = "all"
    baseline: Number | None = None  # measured from the warehouse when not given
    target: Number | None = None
    target_change_pct: Number | None = None  # alternative to target: +25 means +25 %
    start: IsoDate
    deadline: IsoDate

    @model_validator(mode="after")
    def _one_target(self) -> Goal:
        if (self.target is None) == (self.target_change_pct is None):
            raise ValueError("give exactly one of target or target_change_pct")
        _in_order(self.start, self.deadline)
        _measurable(self.metric, self.platform)
        return self


class KeyResult(_Strict):
    name: str
    metric: MetricName
    platform: PlatformName = "all"
    start: Number | None = None  # measured at the OKR's start when not given
    target: Number

    @model_validator(mode="after")
    def _on_its_platform(self) -> KeyResult:
        _measurable(self.metric, self.platform)
        return self


# where the metrics measured for all channels together come from (catalog.Metric.source)
ALL_CHANNELS = {"ads_daily": "Meta Ads Manager", "web_daily": "GA4", "mentions": "a social listening export"}


def _measurable(metric: str, platform: str) -> None:
    """A goal or key result follows a metric as the monthly report computes it: ads, website
    and listening figures (and ROI, which adds them up) exist for all channels together."""
    source = METRICS[metric].source
    if platform != "all" and (source in ALL_CHANNELS or metric == "roi"):
        where = "its costs and value" if metric == "roi" else ALL_CHANNELS[source]
        raise ValueError(
            f"{metric} is measured for all channels together ({where} gives no figure per channel): "
            f"remove platform: {platform} (or set platform: all)"
        )


class Okr(_Strict):
    objective: str
    start: IsoDate
    deadline: IsoDate
    key_results: list[KeyResult] = Field(min_length=1)

    @model_validator(mode="after")
    def _dates_in_order(self) -> Okr:
        _in_order(self.start, self.deadline)
        return self


def _in_order(start: date, deadline: date) -> None:
    if deadline <= start:
        raise ValueError(f"deadline {deadline} is not after start {start}: swap them, or move the deadline")


class Budget(_Strict):
    """Monthly budget: money in the client's currency, hours, and the hourly rate."""

    money: Number | None = Field(default=None, ge=0)
    hours: Number | None = Field(default=None, ge=0)
    hourly_rate: Number | None = Field(default=None, ge=0)
    other_costs: Number = Field(default=0, ge=0)


class Thresholds(_Strict):
    kpi_drop_pct: Number = Field(default=20, gt=0)
    over_budget_pct: Number = Field(default=10, ge=0)
    late_days: int = Field(default=3, ge=0)
    anomaly_z: Number = Field(default=3.5, gt=0)


def _address(value: str) -> str:
    if not re.fullmatch(r"[^@\s<>,;\"]+@[^@\s<>,;\"]+\.[A-Za-z]{2,}", value):
        raise ValueError("not_an_address")
    return value


Address = Annotated[str, AfterValidator(_address)]


class Recipients(_Strict):
    """Who `rapport send` mails each audience's reports to (addresses only: SMTP settings and
    passwords live in the environment or a .env file, never here)."""

    management: list[Address] = []
    team: list[Address] = []


class Swot(_Strict):
    opportunities: list[str] = []
    threats: list[str] = []


class Mapping(_Strict):
    """An export no adapter knows (social listening, another network), read by its header."""

    name: str
    table: Literal["posts", "account_daily", "ads_daily", "web_daily", "mentions"]
    detect: list[str] = Field(min_length=1)  # header names that identify the file
    columns: dict[str, str] = Field(min_length=1)  # canonical column -> the file's column
    values: dict[str, str] = {}  # canonical column -> a constant (e.g. platform: x)
    day_first: bool | None = None  # for dates like 03/04/2026, when the values do not tell
    sentiment: dict[str, Literal["positive", "neutral", "negative"]] = {}  # the file's words -> ours

    @model_validator(mode="after")
    def _columns_exist(self) -> Mapping:
        from .tables import TABLES

        key, cols = TABLES[self.table]
        known = {name for name, _ in cols}
        unknown = sorted((set(self.columns) | set(self.values)) - known)
        if unknown:
            raise ValueError(f"{unknown[0]!r} is not a column of {self.table} ({', '.join(sorted(known))})")
        missing = [k for k in key if k not in self.columns and k not in self.values]
        if missing:
            raise ValueError(f"map the key column {missing[0]!r} of {self.table} (in columns or values)")
        return self


class MentionBurst(_Strict):
    """A day with more negative mentions of the brand than the 28 days before make usual."""

    z: Number | None = Field(default=None, gt=0)  # robust z above the median; default thresholds.anomaly_z
    min_excess: Number = Field(default=5, ge=0)  # and at least this many mentions above it


class CommentSurge(_Strict):
    """A day whose posts drew more comments than the 28 days before make usual (comments
    swing with single posts: the defaults are higher than for mentions)."""

    z: Number = Field(default=6, gt=0)
    min_excess: Number = Field(default=50, ge=0)


class SentimentDrop(_Strict):
    """Net sentiment of the brand's mentions down against the period before."""

    points: Number = Field(default=20, gt=0)  # a drop of more than this many percentage points


class Signals(_Strict):
    negative_mentions: MentionBurst = MentionBurst()
    comments: CommentSurge = CommentSurge()
    sentiment: SentimentDrop = SentimentDrop()


def _hours_or_text(value: Any) -> Any:
    """`within` is free text ("1 h", "the same day") or a number of hours (1.5)."""
    if isinstance(value, bool):
        raise ValueError("is neither a number of hours nor a text: write 2 or 'the same day'")
    if isinstance(value, (int, float)) and value <= 0:
        raise ValueError("must be a number of hours above 0, or a short text such as 'the same day'")
    return value


class Step(_Strict):
    do: str
    owner: str
    within: Annotated[float | str | None, BeforeValidator(_hours_or_text)] = None


def _phone(value: Any) -> Any:
    if isinstance(value, (int, float)):  # YAML reads +46701234567 as a number and drops the +
        raise ValueError('is read as a number (a leading + is lost): write it in quotes, e.g. "+46 70 123 45 67"')
    if not isinstance(value, str):
        return value
    if not re.fullmatch(r"\+?[0-9][0-9 ()./-]{4,}", value.strip()):
        raise ValueError("is not a phone number (write it as +46 70 123 45 67)")
    return value.strip()


class Contact(_Strict):
    name: str
    role: str
    phone: Annotated[str, BeforeValidator(_phone)] | None = None
    email: Address | None = None

    @model_validator(mode="after")
    def _reachable(self) -> Contact:
        if self.phone is None and self.email is None:
            raise ValueError(f"give a phone or an email for {self.name}, so the team can reach them")
        return self


class Statement(_Strict):
    title: str
    text: str


class Crisis(_Strict):
    """The crisis plan the whole team knows (docs/crisis.md): when to act (signals), what to
    do and who does it (steps, in order), whom to call (contacts), what to say first
    (holding statements)."""

    signals: Signals = Signals()
    steps: list[Step]
    contacts: list[Contact] = []
    holding_statements: list[Statement] = []

    @field_validator("steps")
    @classmethod
    def _some_steps(cls, steps: list[Step]) -> list[Step]:
        if not steps:
            raise ValueError("a crisis plan needs at least one step: give its do and owner")
        return steps


class Params(_Strict):
    name: str
    language: Literal["en", "sv", "fr", "bg"] = "en"
    currency: str = "EUR"
    timezone: str = "UTC"
    audience: Literal["management", "team"] = "management"
    brand: Brand = Brand()
    objective: str = ""
    post: People = People()
    goals: list[Goal] = []
    okrs: list[Okr] = []
    budget: Budget = Budget()
    value_per_conversion: Number | None = Field(default=None, ge=0)
    competitors: list[str] = []
    thresholds: Thresholds = Thresholds()
    swot: Swot = Swot()
    recipients: Recipients = Recipients()
    crisis: Crisis | None = None  # the crisis plan; signals fire with their defaults without one
    imports: list[Mapping] = []  # column mappings for exports rapport has no adapter for
    data_dir: str | None = None  # default: data/<client>/

    @model_validator(mode="after")
    def _roi_has_its_costs(self) -> Params:
        following = [g.id for g in self.goals if g.metric == "roi"] + [
            kr.name for okr in self.okrs for kr in okr.key_results if kr.metric == "roi"
        ]
        if following and self.budget.hourly_rate is None:
            raise ValueError(
                f"budget.hourly_rate is missing: {', '.join(following)} "
                f"{'follows' if len(following) == 1 else 'follow'} roi, whose cost counts the hours "
                "spent at that rate; set it (or follow another metric)"
            )
        return self

    @field_validator("currency")
    @classmethod
    def _currency(cls, value: str) -> str:
        from babel.numbers import get_currency_name

        if not re.fullmatch(r"[A-Z]{3}", value) or get_currency_name(value) == value:
            raise ValueError("must be an ISO 4217 currency code such as EUR, SEK or USD")
        return value

    @field_validator("timezone")
    @classmethod
    def _timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError("must be an IANA time zone such as Europe/Stockholm") from None
        return value


# --- loading -------------------------------------------------------------------------


class Client:
    """A client's validated params plus where its files are."""

    def __init__(self, slug: str, params: Params, params_path: Path, raw_text: bytes):
        self.slug = slug
        self.params = params
        self.params_path = params_path
        self.params_sha256 = hashlib.sha256(raw_text).hexdigest()
        base = params.data_dir or f"data/{slug}"
        self.data_dir = (paths.workspace() / base).resolve()

    def __repr__(self) -> str:
        return f"<Client {self.slug} · {self.params.name} · {paths.relative(self.data_dir)}>"

    @property
    def warehouse_path(self) -> Path:
        return self.data_dir / "warehouse.duckdb"

    @property
    def raw_dir(self) -> Path:
        return self.data_dir / "raw"

    @property
    def logo_path(self) -> Path | None:
        return (paths.workspace() / self.params.brand.logo).resolve() if self.params.brand.logo else None


def load_client(slug: str, require_data: bool = True) -> Client:
    """Load and validate params/<slug>.yaml; raise ParamsError naming file and key."""
    path = paths.params_file(slug)
    if not path.is_file():
        known = ", ".join(paths.clients()) or "none yet"
        raise UserError(
            f"unknown client {slug!r}: {paths.relative(path)} not found "
            f"(clients: {known}; create one with: make new-client CLIENT={slug})"
        )
    raw = path.read_bytes()
    client = Client(slug, _validated(raw, paths.relative(path)), path, raw)
    if require_data and not client.data_dir.is_dir():
        raise ParamsError(
            f"{paths.relative(path)}: data_dir: folder {paths.relative(client.data_dir)!r} "
            f"does not exist (create it or run: make new-client CLIENT={slug})"
        )
    if require_data and client.logo_path and not client.logo_path.is_file():
        raise ParamsError(
            f"{paths.relative(path)}: brand.logo: file {client.params.brand.logo!r} not found "
            f"(give a PNG, SVG or JPEG path relative to {paths.workspace()})"
        )
    return client


@lru_cache(maxsize=64)
def _validated(raw: bytes, where: str) -> Params:
    """Validated once per process for each content of a params file (every command, worker
    and notebook loads its client; an edited file is validated again)."""
    return parse_params(raw, where)


def parse_params(raw: bytes | str, where: str) -> Params:
    try:
        data = yaml.load(raw, Loader=_Loader)  # noqa: S506 - our loader is a SafeLoader
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = f"line {mark.line + 1}: " if mark else ""
        raise ParamsError(f"{where}: {line}not valid YAML: {error.problem or error}") from None
    except yaml.YAMLError as error:
        raise ParamsError(f"{where}: not valid YAML: {error}") from None
    if not isinstance(data, dict):
        raise ParamsError(f"{where}: expected a mapping of keys (name: ..., language: ...)")
    try:
        return Params.model_validate(data)
    except ValidationError as error:
        raise ParamsError(*[f"{where}: {line}" for line in _explain(error, data)]) from None


def _explain(error: ValidationError, data: dict) -> list[str]:
    lines = []
    for item in error.errors():
        loc = _loc(item["loc"])
        value = item.get("input")
        kind = item["type"]
        message = str(item.get("ctx", {}).get("error", item["msg"]))
        if kind == "extra_forbidden":
            known = _known_keys(item["loc"][:-1])
            close = difflib.get_close_matches(str(item["loc"][-1]), known, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            lines.append(f"{loc}: unknown key{hint}")
        elif kind == "missing":
            lines.append(f"{loc}: is required")
        elif "not_an_address" in message:
            lines.append(f"{loc}: {value!r} is not an e-mail address (write it as name@example.com)")
        elif "not_a_date" in message:
            lines.append(f"{loc}: {value!r} is not a date (write it as YYYY-MM-DD)")
        elif "unknown_choice:" in message:
            lines.append(f"{loc}: unknown value {value!r}; {message.split('unknown_choice:')[1]}")
        elif kind == "literal_error":
            lines.append(f"{loc}: {value!r} is not allowed; {item['msg'].lower()}")
        else:
            text = message.removeprefix("Value error, ")
            shown = f"{value!r} " if not isinstance(value, (dict, list)) else ""
            lines.append(f"{loc}: {shown}{text[0].lower() + text[1:] if text else text}".rstrip())
    return lines


def _loc(loc: tuple) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def _known_keys(loc: tuple) -> list[str]:
    model: Any = Params
    for part in loc:
        if isinstance(part, int):
            continue
        annotation = model.model_fields[part].annotation
        args = getattr(annotation, "__args__", ())
        model = next((a for a in (annotation, *args) if isinstance(a, type) and issubclass(a, BaseModel)), None)
        if model is None:
            return []
    return list(model.model_fields)
