"""The demo's truth: 18 months of deterministic, realistic data for a fictional roastery,
before any export shows it. `model(end)` builds it (the same `end` month gives the same
data); rapport.demo.exports writes it in the platforms' own formats; the tests compare the
reports with it."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

from rapport import periods, tables

MONTHS = 18
WINDOW_MONTHS = 3  # each monthly download covers the last three months
SEED = 20260101
TIMEZONE = "Europe/Stockholm"
BRAND = "Nordkaffe"
COMPETITORS = ("Bryggargatan", "Kaffekompaniet")
MARKER = ".demo-end"

# platform: followers at start, monthly growth, posts per week, formats, reach?, clicks?, saves?
ACCOUNTS: dict[str, dict[str, Any]] = {
    "facebook": dict(
        followers=8200,
        growth=0.004,
        per_week=3,
        formats=("image", "video", "link", "reel"),
        reach=True,
        clicks=True,
        saves=False,
    ),
    "instagram": dict(
        followers=12400,
        growth=0.018,
        per_week=4,
        formats=("image", "carousel", "reel"),
        reach=True,
        clicks=False,
        saves=True,
    ),
    "linkedin": dict(
        followers=2100,
        growth=0.025,
        per_week=2,
        formats=("text", "image", "video", "link"),
        reach=False,
        clicks=True,
        saves=False,
    ),
    "tiktok": dict(followers=3500, growth=0.05, per_week=3, formats=("short",), reach=False, clicks=False, saves=False),
}
CAMPAIGNS = {
    3: "spring-blend",
    4: "spring-blend",
    6: "summer-iced",
    7: "summer-iced",
    8: "summer-iced",
    11: "holiday-gift",
    12: "holiday-gift",
}
TOPICS = [
    "New single origin from Huila, Colombia: notes of plum & cocoa",
    "Behind the roaster: how we profile a light roast",
    "Barista tip: 18 g in, 36 g out, 28 seconds",
    "Meet Åsa, our head roaster ☕",
    "Fika Friday: cardamom buns and a Kenyan pour-over",
    "Why we pay above Fairtrade <and publish the price>",
    "Cold brew at home in 3 steps",
    "Our café in Södermalm turns five 🎉",
    "Subscription boxes: fresh beans every other week",
    "Q&A: decaf that tastes like coffee",
]


@dataclass
class Model:
    """The demo's truth: what happened, before any export shows it."""

    first: periods.Period
    end: periods.Period
    account_daily: pd.DataFrame
    posts: pd.DataFrame  # final lifetime values; local_time in the client's zone
    ads: pd.DataFrame
    web: pd.DataFrame
    mentions: pd.DataFrame
    plan: pd.DataFrame
    problems: pd.DataFrame

    def downloads(self) -> list[tuple[periods.Period, date]]:
        """Each monthly download: the month it was made for and the first day it covers."""
        out, month = [], self.first
        while month.start <= self.end.start:
            start = month.start
            for _ in range(WINDOW_MONTHS - 1):
                start = periods.month_of(start - timedelta(days=1)).start
            out.append((month, max(start, self.first.start)))
            month = periods.month_of(month.end + timedelta(days=1))
        return out

    def latest_posts(self) -> pd.DataFrame:
        """Every post as the newest download that contains it shows it (what a warehouse keeps)."""
        frames = []
        for month, start in self.downloads():
            visible = self.posts[(self.posts["local_date"] >= start) & (self.posts["local_date"] <= month.end)]
            frames.append(matured(visible, month.end))
        return pd.concat(frames).drop_duplicates(["platform", "post_id"], keep="last").reset_index(drop=True)


def model(end: periods.Period) -> Model:
    rng = np.random.default_rng(SEED)
    first = periods.month_of(end.start)
    for _ in range(MONTHS - 1):
        first = first.previous()
    days = pd.date_range(first.start, end.end, freq="D").date
    daily = _account_daily(rng, days)
    posts = _posts(rng, days, daily, ZoneInfo(TIMEZONE))
    ads, web, mentions = _ads(rng, days), _web(rng, days), _mentions(rng, days)
    return Model(first, end, daily, posts, ads, web, mentions, _plan(rng, first, end), _problems(first, end))


def _account_daily(rng, days) -> pd.DataFrame:
    rows = []
    for platform, spec in ACCOUNTS.items():
        followers = spec["followers"]
        for day in days:
            seasonal = 1 + 0.25 * math.sin(2 * math.pi * (day.timetuple().tm_yday / 365.0))
            expected_gain = followers * (spec["growth"] + 0.006) / 30 * seasonal
            gains = int(rng.poisson(expected_gain))
            losses = int(rng.poisson(followers * 0.006 / 30))
            followers += gains - losses
            impressions = int(followers * rng.uniform(0.35, 0.6) * seasonal)
            rows.append(
                dict(
                    platform=platform,
                    account=BRAND.lower(),
                    date=day,
                    followers=followers,
                    follower_gains=gains,
                    follower_losses=losses,
                    impressions=impressions,
                    reach=int(impressions * rng.uniform(0.6, 0.8)) if spec["reach"] else None,
                    profile_visits=int(rng.poisson(followers * 0.004)),
                    page_views=int(rng.poisson(followers * 0.006)) if platform in ("facebook", "linkedin") else None,
                )
            )
    return _typed(pd.DataFrame(rows), "account_daily")


def _posts(rng, days, daily, tz) -> pd.DataFrame:
    followers = daily.set_index(["platform", "date"])["followers"]
    rows: list[dict] = []
    for platform, spec in ACCOUNTS.items():
        for day in days:
            if rng.random() >= spec["per_week"] / 7:
                continue
            hour = int(rng.choice([7, 8, 9, 11, 12, 13, 16, 17, 18, 19, 20]))
            local = datetime.combine(day, time(hour, int(rng.integers(0, 60))), tz)
            fmt = str(rng.choice(spec["formats"]))
            campaign = CAMPAIGNS.get(day.month) if rng.random() < 0.45 else None
            paid = bool(campaign and platform in ("facebook", "instagram") and rng.random() < 0.25)
            base = followers[(platform, day)] * rng.lognormal(-0.2, 0.55) * (1.8 if paid else 1.0)
            base *= {"reel": 1.6, "short": 2.2, "video": 1.3, "carousel": 1.2}.get(fmt, 1.0)
            impressions = int(base)
            rate = rng.uniform(0.02, 0.07) * (1.3 if fmt in ("reel", "short", "carousel") else 1.0)
            engaged = impressions * rate
            n = len(rows)
            post_id, url = _identity(platform, day, n)
            rows.append(
                dict(
                    platform=platform,
                    post_id=post_id,
                    account=BRAND.lower(),
                    published_at=local.astimezone(ZoneInfo("UTC")).replace(tzinfo=None),
                    local_time=local.replace(tzinfo=None),
                    local_date=day,
                    format=fmt,
                    text=TOPICS[int(rng.integers(len(TOPICS)))] + (f" #{campaign}" if campaign else ""),
                    url=url,
                    campaign=campaign,
                    impressions=impressions,
                    reach=int(impressions * rng.uniform(0.55, 0.85)) if spec["reach"] else None,
                    reactions=int(engaged * 0.72),
                    comments=int(engaged * 0.08),
                    shares=int(engaged * 0.1),
                    saves=int(engaged * 0.1) if spec["saves"] else None,
                    clicks=int(impressions * rng.uniform(0.004, 0.02)) if spec["clicks"] else None,
                    video_views=int(impressions * rng.uniform(0.3, 0.6)) if fmt in ("video", "reel", "short") else None,
                    paid=paid,
                )
            )
    return _typed(pd.DataFrame(rows), "posts")


def _identity(platform: str, day: date, n: int) -> tuple[str, str]:
    """A post id and link shaped as each platform's are (ids are text, up to 19 digits)."""
    if platform == "facebook":
        post_id = f"1039829308656930_1{day:%Y%m%d}{n:06d}"
        return post_id, f"https://www.facebook.com/1039829308656930/posts/{post_id.split('_')[1]}"
    if platform == "instagram":
        post_id = f"18{day:%Y%m%d}{n:07d}"
        return post_id, f"https://www.instagram.com/p/Nk{post_id[-9:]}/"
    if platform == "linkedin":
        post_id = f"72{day:%Y%m%d}{n:09d}"
        return post_id, f"https://www.linkedin.com/feed/update/urn:li:activity:{post_id}"
    post_id = f"73{day:%Y%m%d}{n:09d}"
    return post_id, f"https://www.tiktok.com/@nordkaffe/video/{post_id}"


_LIFETIME = ["impressions", "reach", "reactions", "comments", "shares", "saves", "clicks", "video_views"]


def matured(posts: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """Lifetime totals as an export on `as_of` shows them: young posts are still growing."""
    age = np.array([(as_of - d).days + 1 for d in posts["local_date"]], dtype=float)
    share = 1 - np.exp(-age / 4)
    out = posts.copy()
    for column in _LIFETIME:
        out[column] = (out[column] * share).round().astype("Int64")
    return out


def _ads(rng, days) -> pd.DataFrame:
    rows = []
    for day in days:
        campaign = CAMPAIGNS.get(day.month)
        if not campaign:
            continue
        spend = round(float(rng.uniform(300, 650)), 2)
        impressions = int(spend / rng.uniform(45, 75) * 1000)
        clicks = int(impressions * rng.uniform(0.008, 0.016))
        conversions = int(rng.binomial(clicks, 0.03))
        rows.append(
            dict(
                platform="meta",
                date=day,
                campaign=campaign,
                spend=spend,
                impressions=impressions,
                reach=int(impressions * 0.7),
                clicks=clicks,
                conversions=conversions,
                conversion_value=round(conversions * float(rng.uniform(220, 320)), 2),
                currency="SEK",
            )
        )
    return _typed(pd.DataFrame(rows), "ads_daily")


def _web(rng, days) -> pd.DataFrame:
    sources = [
        ("facebook", "social", 40),
        ("instagram", "social", 55),
        ("linkedin", "social", 12),
        ("tiktok", "social", 18),
        ("google", "organic", 160),
        ("(direct)", "(none)", 90),
    ]
    rows = []
    for day in days:
        for source, medium, level in sources:
            sessions = int(rng.poisson(level))
            conversions = int(rng.binomial(sessions, 0.02))
            rows.append(
                dict(
                    date=day,
                    source=source,
                    medium=medium,
                    campaign="(not set)",
                    sessions=sessions,
                    users=int(sessions * 0.85),
                    conversions=conversions,
                    revenue=round(conversions * float(rng.uniform(180, 320)), 2),
                )
            )
        campaign = CAMPAIGNS.get(day.month)
        if campaign:
            sessions = int(rng.poisson(45))
            conversions = int(rng.binomial(sessions, 0.035))
            rows.append(
                dict(
                    date=day,
                    source="facebook",
                    medium="paid_social",
                    campaign=campaign,
                    sessions=sessions,
                    users=int(sessions * 0.9),
                    conversions=conversions,
                    revenue=round(conversions * float(rng.uniform(220, 320)), 2),
                )
            )
    return _typed(pd.DataFrame(rows), "web_daily")


def _mentions(rng, days) -> pd.DataFrame:
    rows = []
    crisis = days[len(days) * 2 // 3]  # a burnt batch: a burst of negative mentions
    for day in days:
        for brand, level in ((BRAND, 6), (COMPETITORS[0], 4), (COMPETITORS[1], 7)):
            count = int(rng.poisson(level * (5 if brand == BRAND and 0 <= (day - crisis).days < 3 else 1)))
            for k in range(count):
                negative = brand == BRAND and 0 <= (day - crisis).days < 3
                sentiment = (
                    "negative"
                    if negative and rng.random() < 0.8
                    else str(rng.choice(["positive", "neutral", "negative"], p=[0.45, 0.42, 0.13]))
                )
                rows.append(
                    dict(
                        platform=str(rng.choice(["x", "instagram", "facebook"])),
                        mention_id=f"m{day:%Y%m%d}{brand[:3].lower()}{k:03d}",
                        date=day,
                        brand=brand,
                        author=f"user{int(rng.integers(1000, 9999))}",
                        text=f"{brand}: {'bitter batch?' if negative else 'great coffee'}",
                        sentiment=sentiment,
                        reach=int(rng.lognormal(6, 1)),
                    )
                )
    return pd.DataFrame(rows)


# The plan's recurring activities: (activity, channel, owner); two are drawn each fortnight.
ACTIVITIES = [
    ("Content calendar for the month", "all", "Maja"),
    ("Product photo shoot", "instagram", "Leo"),
    ("Reels: brewing guides", "instagram", "Leo"),
    ("LinkedIn employer posts", "linkedin", "Maja"),
    ("TikTok series: roastery life", "tiktok", "Sam"),
    ("Community management", "all", "Sam"),
    ("Ad campaign setup", "facebook", "Maja"),
    ("Monthly report", "all", "Maja"),
]


def _plan(rng, first: periods.Period, end: periods.Period) -> pd.DataFrame:
    """Two activities a fortnight, their hours and money; late and pending ones near the end."""
    rows = []
    start = first.start
    n = 0
    while start <= end.end + timedelta(days=28):
        for activity, channel, owner in rng.permutation(np.array(ACTIVITIES, dtype=object))[:2]:
            n += 1
            due = start + timedelta(days=int(rng.integers(5, 14)))
            hours_planned = float(rng.choice([4, 6, 8, 12, 16]))
            cost_planned = float(rng.choice([0, 0, 1500, 3000, 5000]))
            done, status, hours_spent, cost_spent = _progress(rng, due, end, hours_planned, cost_planned)
            month = CAMPAIGNS.get(start.month)
            rows.append(
                dict(
                    id=f"A{n:03d}",
                    activity=activity,
                    channel=channel,
                    owner=owner,
                    start=start,
                    due=due,
                    done=done,
                    status=status,
                    hours_planned=hours_planned,
                    hours_spent=hours_spent,
                    cost_planned=cost_planned,
                    cost_spent=cost_spent,
                    campaign=month if channel in ("facebook", "instagram") else None,
                )
            )
        start += timedelta(days=14)
    return pd.DataFrame(rows)


def _progress(rng, due: date, end: periods.Period, hours_planned: float, cost_planned: float) -> tuple:
    """Done (sometimes late) if due well before the end, under way if due near it, else not started:
    (done, status, hours spent, cost spent)."""
    if due < end.end - timedelta(days=10):
        late = int(rng.choice([0, 0, 0, 1, 2, 5]))
        hours_spent = round(hours_planned * float(rng.uniform(0.8, 1.35)), 1)
        cost_spent = round(cost_planned * float(rng.uniform(0.9, 1.2)), 0)
        return due + timedelta(days=late), "done", hours_spent, cost_spent
    if due <= end.end:
        status = str(rng.choice(["in progress", "not started"]))
        hours_spent = round(hours_planned * float(rng.uniform(0, 0.6)), 1) if status == "in progress" else 0.0
        return None, status, hours_spent, 0.0
    return None, "not started", 0.0, 0.0


# The problem log. The first number dates each problem: days after the first day when
# positive, days before the last day when negative (the open ones stay near the end).
PROBLEMS = [
    (
        40,
        "Instagram reach fell by a third in two weeks",
        "Reels posted outside the audience's active hours",
        "Moved reels to 18–20 and tested two hooks",
        "Reach back to baseline after three weeks",
        "solved",
        "medium",
    ),
    (
        150,
        "Ad account paused by Meta",
        "Card on file expired",
        "New card; billing owner assigned",
        "Four days without paid reach in the summer campaign",
        "solved",
        "high",
    ),
    (
        300,
        "Negative comments about a bitter batch",
        "Roast profile error on one batch",
        "Apology post, refunds, roast log reviewed",
        "Spike of negative mentions for three days",
        "solved",
        "high",
    ),
    (
        -9,
        "TikTok videos get few views",
        "Series lacks a hook in the first 2 seconds",
        "Script review with the team before filming",
        "Pending",
        "open",
        "medium",
    ),
    (
        -3,
        "Photographer unavailable for December shoot",
        "Illness",
        "Looking for a stand-in; reuse autumn material meanwhile",
        "Holiday launch visuals at risk",
        "open",
        "high",
    ),
]


def _problems(first: periods.Period, end: periods.Period) -> pd.DataFrame:
    def day(offset: int) -> date:
        return first.start + timedelta(days=offset) if offset >= 0 else end.end + timedelta(days=offset)

    rows = [(day(offset), *problem) for offset, *problem in PROBLEMS]
    return pd.DataFrame(rows, columns=["date", "problem", "cause", "solution", "consequence", "status", "severity"])


def _typed(frame: pd.DataFrame, table: str) -> pd.DataFrame:
    """Whole numbers as whole numbers (a missing value must not turn 12 into 12.0)."""
    for name, kind in tables.TABLES[table][1]:
        if kind == "BIGINT" and name in frame:
            frame[name] = frame[name].astype("Int64")
    return frame
