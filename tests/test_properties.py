"""Properties with an oracle (issue 16): posts with any mix of engagement parts, missing values
and any second of the day in any time zone. A plain-Python count over the same posts (their
local day from zoneinfo) is the oracle: the month's sums and rates, and the days adding up to
the month."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rapport import periods
from rapport.analysis import metrics
from rapport.analysis.scope import Scope
from rapport.jsonable import values

from test_analysis import store

ZONES = ["UTC", "Europe/Stockholm", "America/New_York", "Australia/Sydney", "Asia/Kolkata", "Pacific/Chatham"]
OCTOBER = periods.for_report("monthly", "2026-10")
PARTS = ("reactions", "comments", "shares", "saves")
count = st.one_of(st.none(), st.integers(0, 10_000))
a_post = st.fixed_dictionaries(
    {
        "platform": st.sampled_from(["facebook", "instagram", "linkedin"]),
        "day": st.dates(date(2026, 9, 29), date(2026, 11, 2)),  # the month, its edges, the DST change
        "second": st.integers(0, 86_399),
        "impressions": st.one_of(st.none(), st.integers(0, 1_000_000)),
        "clicks": count,
        **{part: count for part in PARTS},
    }
)


def stored(i: int, p: dict, zone: str) -> dict:
    local = datetime.combine(p["day"], time()) + timedelta(seconds=p["second"])
    utc = local.replace(tzinfo=ZoneInfo(zone)).astimezone(ZoneInfo("UTC")).replace(tzinfo=None)
    return dict(
        platform=p["platform"],
        post_id=str(i),
        published_at=utc,
        format="image",
        impressions=p["impressions"],
        clicks=p["clicks"],
        reach=None,
        video_views=None,
        paid=False,
        **{part: p[part] for part in PARTS},
    )


def engagements(p: dict):
    given = [p[part] for part in PARTS if p[part] is not None]
    return sum(given) if given else None


def total(numbers):
    """SQL's sum: None when nothing is given."""
    given = [n for n in numbers if n is not None]
    return sum(given) if given else None


def rate(posts, numerator) -> float | None:
    """A ratio of sums over the posts that have both parts."""
    pairs = [
        (numerator(p), p["impressions"]) for p in posts if numerator(p) is not None and p["impressions"] is not None
    ]
    down = sum(d for _, d in pairs)
    return None if not pairs or down == 0 else sum(n for n, _ in pairs) / down


@settings(max_examples=40, deadline=None)
@given(posts=st.lists(a_post, max_size=25), zone=st.sampled_from(ZONES))
def test_the_months_figures_equal_the_oracle_and_its_days_add_up_to_it(posts, zone):
    rows = [stored(i, p, zone) for i, p in enumerate(posts)]
    con = store(posts=rows) if rows else store()
    scope = Scope(con, OCTOBER, zone)
    in_month = [p for p in posts if OCTOBER.start <= p["day"] <= OCTOBER.end]  # the local day is the day drawn
    kpis = values(metrics.kpis(scope))
    for platform in ["all"] + sorted({p["platform"] for p in in_month}):
        mine = [p for p in in_month if platform in ("all", p["platform"])]
        row = kpis.loc[platform]
        assert row["posts"] == len(mine)
        assert row["impressions"] == total(p["impressions"] for p in mine)
        assert row["engagements"] == total(engagements(p) for p in mine)
        assert row["clicks"] == total(p["clicks"] for p in mine)
        for name, numerator in (("engagement_rate", engagements), ("ctr", lambda p: p["clicks"])):
            expected = rate(mine, numerator)
            assert row[name] == (None if expected is None else pytest.approx(expected)), name
    daily = metrics.series(scope, "day")
    assert int(daily["posts"].sum()) == len(in_month)
    assert all(OCTOBER.start <= pd.Timestamp(b).date() <= OCTOBER.end for b in daily["bucket"])
    assert int(pd.to_numeric(daily["impressions"]).fillna(0).sum()) == (total(p["impressions"] for p in in_month) or 0)
