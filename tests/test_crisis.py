"""The crisis plan: its params (one line per problem), the three signals against values
computed by hand, and the fragment that shows it (read back with BeautifulSoup)."""

from datetime import date, datetime, timedelta
from pathlib import Path

import pandas as pd
import pytest
from bs4 import BeautifulSoup

from rapport import config, periods
from rapport.analysis import crisis, metrics
from rapport.analysis.crisis import Signal
from rapport.analysis.scope import Scope
from rapport.data import warehouse
from rapport.errors import ParamsError
from rapport.present.format import Formatter
from rapport.present.html import Html

DEMO = (Path(__file__).resolve().parents[1] / "params" / "demo.yaml").read_text()
OCTOBER = periods.of("2026-10")
PLAN = """name: Acme
crisis:
  steps:
    - do: Pause every post and ad
      owner: Maja
      within: 1
    - do: Post the holding statement
      owner: Sam
      within: the same day
    - do: Review
      owner: Åsa
  contacts:
    - {name: Åsa, role: CEO, phone: "+46 70 555 01 01", email: asa@acme.example}
    - {name: Sam, role: Community, email: sam@acme.example}
  holding_statements:
    - {title: First reply, text: We are looking into it.}
"""


def errors(text: str) -> list[str]:
    with pytest.raises(ParamsError) as caught:
        config.parse_params(text, "params/acme.yaml")
    return caught.value.lines


# --- params ------------------------------------------------------------------------------


def test_the_demo_plan_and_the_defaults():
    demo = config.parse_params(DEMO, "params/demo.yaml").crisis
    assert demo is not None and len(demo.steps) == 6 and demo.steps[0].within == 1
    assert demo.steps[3].within == "the same day" and demo.contacts[2].email is None
    signals = config.parse_params("name: Acme\ncrisis:\n  steps: [{do: a, owner: b}]\n", "x").crisis.signals
    assert (signals.negative_mentions.z, signals.negative_mentions.min_excess) == (None, 5)  # z: thresholds.anomaly_z
    assert (signals.comments.z, signals.comments.min_excess, signals.sentiment.points) == (6, 50, 20)
    assert config.parse_params("name: Acme\n", "x").crisis is None


@pytest.mark.parametrize(
    "change, line",
    [
        ("      owner: Sam\n", "crisis.steps[1].owner: is required"),
        ("      owner: Maja\n", "crisis.steps[0].owner: is required"),
        (("owner: Sam", "ownr: Sam"), "crisis.steps[1].ownr: unknown key; did you mean 'owner'?"),
        (("holding_statements", "statements"), "crisis.statements: unknown key; did you mean 'holding_statements'?"),
        (
            (", email: sam@acme.example}", "}"),
            "crisis.contacts[1]: give a phone or an email for Sam, so the team can reach them",
        ),
        ((", email: sam@acme.example}", ", email: sam}"), "crisis.contacts[1].email: 'sam' is not an e-mail address"),
        (('"+46 70 555 01 01"', "+46705550101"), "crisis.contacts[0].phone: 46705550101 is read as a number"),
        (('"+46 70 555 01 01"', "call me"), "crisis.contacts[0].phone: 'call me' is not a phone number"),
        (("within: 1", "within: -1"), "crisis.steps[0].within: -1 must be a number of hours above 0"),
        (("crisis:\n", "crisis:\n  signals: {comments: {z: -2}}\n"), "crisis.signals.comments.z: -2 input should be"),
        (
            ("crisis:\n", "crisis:\n  signals: {sentiment: {points: 0}}\n"),
            "crisis.signals.sentiment.points: 0 input should be greater than 0",
        ),
    ],
)
def test_a_bad_crisis_section_is_one_line_naming_the_key(change, line):
    text = PLAN.replace(change, "") if isinstance(change, str) else PLAN.replace(*change)
    problems = errors(text)  # a misspelt key is also a missing one: two lines
    assert any(p.startswith("params/acme.yaml: " + line) for p in problems) and all("\n" not in p for p in problems)


def test_a_plan_needs_steps():
    assert errors("name: Acme\ncrisis:\n  contacts: []\n") == ["params/acme.yaml: crisis.steps: is required"]
    assert errors("name: Acme\ncrisis:\n  steps: []\n") == [
        "params/acme.yaml: crisis.steps: a crisis plan needs at least one step: give its do and owner"
    ]


# --- detection -----------------------------------------------------------------------------

# 28 days alternating 4 and 6: median 5, every deviation 1, so the robust spread is 1.4826
QUIET = [4, 6] * 14
SPREAD = 1.4826
HISTORY = [date(2026, 9, 3) + timedelta(days=i) for i in range(28)]


def daily(values: list, first: date = HISTORY[0]) -> pd.DataFrame:
    return pd.DataFrame({"date": [first + timedelta(days=i) for i in range(len(values))], "mentions": values})


def test_a_burst_fires_beyond_z_and_with_the_least_excess():
    frame = daily(QUIET + [12])  # 1 October: 7 above the median, z = 7 / 1.4826 = 4.72
    assert crisis.bursts(frame, "mentions", OCTOBER, 3.5, 5) == [
        Signal("negative_mentions", date(2026, 10, 1), date(2026, 10, 1), 12.0, 5.0, 3.5)
    ]
    assert crisis.bursts(frame, "mentions", OCTOBER, 7 / SPREAD, 5) == []  # exactly at the threshold
    assert len(crisis.bursts(frame, "mentions", OCTOBER, 7 / SPREAD - 1e-9, 5)) == 1
    assert crisis.bursts(frame, "mentions", OCTOBER, 3.5, 8) == []  # 7 above: less than 8
    assert len(crisis.bursts(frame, "mentions", OCTOBER, 3.5, 7)) == 1  # at least 7
    assert crisis.bursts(daily(QUIET + [0]), "mentions", OCTOBER, 0.5, 0) == []  # a drop is no crisis
    assert crisis.bursts(frame, "mentions", periods.of("2026-09"), 3.5, 5) == []  # 1 October is not in September
    (comments,) = crisis.bursts(daily(QUIET + [12]).rename(columns={"mentions": "comments"}), "comments", OCTOBER, 3, 5)
    assert comments.kind == "comment_surge"


def test_a_burst_needs_seven_days_of_history():
    six = daily([4, 6, 4, 6, 4, 6, 40], date(2026, 9, 25))
    seven = daily([4, 6, 4, 6, 4, 6, 4, 40], date(2026, 9, 24))  # median 4, MAD 0: mean deviation 6/7 × 1.2533 → z 33.5
    assert crisis.bursts(six, "mentions", OCTOBER, 3.5, 5) == []
    assert crisis.bursts(seven, "mentions", OCTOBER, 3.5, 5) == [
        Signal("negative_mentions", date(2026, 10, 1), date(2026, 10, 1), 40.0, 4.0, 3.5)
    ]
    assert crisis.bursts(daily([]), "mentions", OCTOBER, 3.5, 5) == []


def store(mentions=(), posts=()):
    """An in-memory warehouse holding these mentions and posts."""
    con = warehouse.open_read(Path("/nonexistent"))
    for table, rows in (("mentions", mentions), ("posts", posts)):
        if rows:
            frame = pd.DataFrame(list(rows)).assign(
                source_file="t", source_sha256="t", as_of=date(2030, 1, 1), imported_at=datetime(2030, 1, 1)
            )
            warehouse.upsert(con, table, frame)
    return con


def mention(day: date, n: int, sentiment: str, brand: str = "Acme") -> dict:
    return dict(platform="x", mention_id=f"{brand}{day}{sentiment}{n}", date=day, brand=brand, sentiment=sentiment)


def mentions(day: date, counts: dict, brand: str = "Acme") -> list[dict]:
    return [mention(day, n, sentiment, brand) for sentiment, k in counts.items() for n in range(k)]


def test_sentiment_drop_against_the_period_before():
    rows = (
        mentions(date(2026, 9, 10), dict(positive=6, neutral=3, negative=2))  # (6 − 2) / (6 + 2) = 50 %
        + mentions(date(2026, 10, 10), dict(positive=3, neutral=4, negative=3))  # (3 − 3) / (3 + 3) = 0 %
        + mentions(date(2026, 10, 11), dict(negative=20), brand="Rival")  # another brand's
    )
    scope = Scope(store(rows), OCTOBER, "UTC")
    assert crisis.net_sentiment(scope, "Acme") == 0 and crisis.net_sentiment(scope.previous(), "Acme") == 0.5
    assert crisis.sentiment_drop(scope, "Acme", 20) == [
        Signal("sentiment_drop", date(2026, 10, 1), date(2026, 10, 31), 0.0, 0.5, 20)
    ]
    assert crisis.sentiment_drop(scope, "Acme", 50) == []  # a drop of exactly 50 points
    assert len(crisis.sentiment_drop(scope, "Acme", 49.9)) == 1
    assert crisis.sentiment_drop(scope.previous(), "Acme", 1) == []  # August has no mentions
    assert crisis.sentiment_drop(scope, "Rival", 1) == []  # nor has Rival in September


def test_signals_from_the_warehouse_with_the_params_thresholds():
    history = [mentions(day, dict(negative=n)) for day, n in zip(HISTORY[-28:], [1, 3] * 14)]  # median 2
    rows = [row for day in history for row in day] + mentions(date(2026, 10, 1), dict(negative=20))
    scope = Scope(store(rows), OCTOBER, "UTC")
    params = config.parse_params("name: acme\n", "x")  # no plan: the defaults, z from thresholds.anomaly_z
    assert crisis.signals(scope, params) == [
        Signal("negative_mentions", date(2026, 10, 1), date(2026, 10, 1), 20.0, 2.0, 3.5)
    ]  # z = 18 / 1.4826 = 12.1; every mention negative before and after: no sentiment drop
    plan = "name: acme\ncrisis:\n  signals: {negative_mentions: {z: 12.2}}\n  steps: [{do: a, owner: b}]\n"
    assert crisis.signals(scope, config.parse_params(plan, "x")) == []
    assert crisis.signals(Scope(store(), OCTOBER, "UTC"), params) == []  # no mentions, no posts at all


def test_daily_comments_count_the_posts_of_each_local_day():
    def post(post_id, published_at, comments):
        return dict(platform="instagram", post_id=post_id, published_at=published_at, comments=comments)

    posts = [
        post("a", datetime(2026, 10, 1, 21, 30), 7),  # 23:30 in Stockholm: 1 October
        post("b", datetime(2026, 10, 1, 22, 30), 5),  # 00:30 on 2 October
        post("c", datetime(2026, 10, 2, 9, 0), 4),
        post("d", datetime(2026, 10, 3, 9, 0), None),  # a post that reports no comments
    ]
    scope = Scope(store(posts=posts), OCTOBER, "Europe/Stockholm").between("2026-10-01", "2026-10-04")
    frame = metrics.daily_comments(scope)
    assert [str(d) for d in frame["date"]] == ["2026-10-01", "2026-10-02", "2026-10-03", "2026-10-04"]
    assert frame["comments"].tolist()[:2] == [7, 9] and frame["comments"].isna().tolist() == [False, False, True, False]
    assert frame["comments"].iloc[3] == 0  # no post that day


def test_signals_as_json_say_day_or_period():
    day = Signal("comment_surge", date(2026, 10, 2), date(2026, 10, 2), 300.0, 80.0, 6)
    drop = Signal("sentiment_drop", date(2026, 10, 1), date(2026, 10, 31), 0.1, 0.4, 20)
    assert day.as_json() == dict(
        kind="comment_surge", day="2026-10-02", period=None, measured=300.0, expected=80.0, threshold=6
    )
    assert drop.as_json()["day"] is None and drop.as_json()["period"] == dict(start="2026-10-01", end="2026-10-31")


# --- showing -------------------------------------------------------------------------------


def shown(plan: str | None, fired=(), language: str = "en") -> BeautifulSoup:
    crisis_plan = config.parse_params(plan, "x").crisis if plan else None
    html = Html(Formatter(language, "SEK")).crisis_plan(crisis_plan, client="acme", fired=fired)
    return BeautifulSoup(str(html), "html.parser")


def test_the_plan_shows_steps_in_order_with_owners_and_links():
    page = shown(PLAN)
    steps = [li.get_text(" ", strip=True) for li in page.select("ol.rapport-crisis-steps > li")]
    assert steps == [
        "Pause every post and ad Owner: Maja · within 1\u00a0h",
        "Post the holding statement Owner: Sam · the same day",
        "Review Owner: Åsa",
    ]
    links = [(a["href"], a.get_text()) for a in page.select("ul.rapport-crisis-contacts a")]
    assert links == [
        ("tel:+46705550101", "+46 70 555 01 01"),
        ("mailto:asa@acme.example", "asa@acme.example"),
        ("mailto:sam@acme.example", "sam@acme.example"),
    ]
    assert page.select_one(".rapport-crisis-statement").get_text(" ", strip=True) == (
        "First reply We are looking into it."
    )
    assert page.select(".rapport-crisis-alert") == []  # nothing fired


def test_fired_signals_come_first_in_words():
    fired = [
        Signal("negative_mentions", date(2026, 6, 1), date(2026, 6, 1), 30.0, 1.0, 3.5),
        Signal("sentiment_drop", date(2026, 6, 1), date(2026, 6, 30), -0.04, 0.38, 20),
    ]
    page = shown(PLAN, fired)
    box = page.select_one(".rapport-crisis").find(recursive=False)
    assert "rapport-crisis-alert" in box["class"]
    assert [li.get_text() for li in box.select("li")] == [
        "1 Jun 2026: 30 negative mentions of the brand, against 1 on a usual day (the median of the 28 days before).",
        "1 Jun 2026 – 30 Jun 2026: net sentiment of the brand’s mentions -4.0%, against 38.0% in the period before "
        "(-42.0\u00a0pp).",
    ]
    swedish = shown(PLAN, fired[:1], "sv").select_one(".rapport-crisis-alert li").get_text()
    assert swedish.startswith("1 juni 2026: 30 negativa omnämnanden")


def test_without_a_plan_one_sentence_says_how_to_add_one():
    page = shown(None)
    assert [p.get_text() for p in page.select("p")] == [
        "There is no crisis plan: add one under the key crisis: in params/acme.yaml (params/_template.yaml shows how)."
    ]
    assert page.select("table, ol, ul") == []
    with_signal = shown(None, [Signal("comment_surge", date(2026, 6, 2), date(2026, 6, 2), 400.0, 80.0, 6)])
    assert with_signal.select(".rapport-crisis-alert li") and with_signal.select(".rapport-crisis-none")


def test_text_from_the_params_is_escaped():
    hostile = PLAN.replace("Pause every post and ad", "'<script>alert(1)</script>'").replace(
        "We are looking into it.", "'<img src=x onerror=alert(2)>'"
    )
    page = shown(hostile)
    assert page.select("script, img") == []
    assert page.select_one("ol.rapport-crisis-steps li").get_text().startswith("<script>alert(1)</script>")


def test_the_documented_examples_validate():
    """The commented crisis: of params/_template.yaml, uncommented, and docs/crisis.md's example."""
    project = Path(__file__).resolve().parents[1]
    lines = (project / "params" / "_template.yaml").read_text().splitlines()
    start = lines.index("# crisis:")
    block = [line[2:] for line in lines[start : lines.index("", start)]]
    template = config.parse_params("name: Acme\n" + "\n".join(block), "t").crisis
    assert template is not None and [s.within for s in template.steps] == [1, 2]
    assert template.signals == config.Signals(negative_mentions=config.MentionBurst(z=3.5))  # the defaults
    example = (project / "docs" / "crisis.md").read_text().split("```yaml\n")[1].split("```")[0]
    assert config.parse_params("name: Acme\n" + example, "docs").crisis is not None
