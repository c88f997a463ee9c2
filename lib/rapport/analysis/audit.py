"""The audit's judgement: strengths and weaknesses read from the data (opportunities and
threats come from the params: they lie outside the accounts), for the SWOT grid.

Each point is {"key": catalogue key, "values": {...}} so the report words it in the
client's language; values are raw (platform and format names, ratios, counts).
"""

from __future__ import annotations

import pandas as pd

from rapport.i18n import phrase
from rapport.jsonable import values

from .metrics import Voice

MIN_POSTS = 3  # a format or channel judged on fewer posts says nothing
RARE_POSTS_PER_WEEK = 1.0


Judged = tuple[list[dict], list[dict]]  # (strengths, weaknesses)


def swot(kpis: pd.DataFrame, formats: pd.DataFrame, voice: Voice, params) -> dict[str, list[dict]]:
    """Strengths and weaknesses from the baseline KPIs per channel (`metrics.kpis`), the
    formats (`metrics.by_dimension(scope, "format")`) and share of voice (`metrics.voice`);
    opportunities and threats as the params give them."""
    kpis, formats = values(kpis), values(formats)
    channels = kpis.drop(index="all", errors="ignore")
    overall = kpis.at["all", "engagement_rate"] if "all" in kpis.index else None
    strengths: list[dict] = []
    weaknesses: list[dict] = []
    for good, bad in (
        _best_and_weakest_channel(channels, overall),
        _growth(channels),
        _rare_posting(channels),
        _best_and_weakest_format(formats),
        _share_of_voice(voice),
    ):
        strengths += good
        weaknesses += bad
    return dict(
        strengths=strengths,
        weaknesses=weaknesses,
        opportunities=[{"text": t} for t in params.swot.opportunities],
        threats=[{"text": t} for t in params.swot.threats],
    )


def _best_and_weakest_channel(channels: pd.DataFrame, overall) -> Judged:
    rated = channels[(channels["posts"] >= MIN_POSTS) & channels["engagement_rate"].notna()]
    if len(rated) < 2:
        return [], []
    rates = rated["engagement_rate"].astype(float)
    best, worst = rates.idxmax(), rates.idxmin()
    return (
        [phrase("swot.best_channel", platform=best, rate=rates[best], overall=overall)],
        [phrase("swot.weak_channel", platform=worst, rate=rates[worst], overall=overall)],
    )


def _growth(channels: pd.DataFrame) -> Judged:
    """The fastest-growing channel is a strength; every channel that did not grow, a weakness."""
    growth = channels[channels["audience_growth_rate"].notna()]
    good, bad = [], []
    for platform, row in growth.sort_values("audience_growth_rate", ascending=False).iterrows():
        said = dict(platform=platform, growth=row["follower_growth"], rate=row["audience_growth_rate"])
        if row["audience_growth_rate"] > 0 and platform == growth["audience_growth_rate"].astype(float).idxmax():
            good.append(phrase("swot.growing", **said))
        elif row["audience_growth_rate"] <= 0:
            bad.append(phrase("swot.shrinking", **said))
    return good, bad


def _rare_posting(channels: pd.DataFrame) -> Judged:
    return [], [
        phrase("swot.rare_posting", platform=platform, per_week=row["posts_per_week"])
        for platform, row in channels.iterrows()
        if row["posts_per_week"] is not None and row["posts_per_week"] < RARE_POSTS_PER_WEEK
    ]


def _best_and_weakest_format(formats: pd.DataFrame) -> Judged:
    judged = formats[(formats["posts"] >= MIN_POSTS) & formats["engagement_rate"].notna() & formats["value"].notna()]
    if len(judged) < 2:
        return [], []
    judged = judged.assign(rate=judged["engagement_rate"].astype(float)).set_index("value")
    best, worst = judged["rate"].idxmax(), judged["rate"].idxmin()
    return (
        [phrase("swot.best_format", format=best, rate=judged.at[best, "rate"], posts=judged.at[best, "posts"])],
        [phrase("swot.weak_format", format=worst, rate=judged.at[worst, "rate"], posts=judged.at[worst, "posts"])],
    )


def _share_of_voice(voice: Voice) -> Judged:
    """Share of voice against an equal share among the brands found."""
    share = voice.share_of_voice
    if share is None or not voice.brands:
        return [], []
    fair = 1 / len(voice.brands)
    if share >= fair:
        return [phrase("swot.voice_high", share=share, fair=fair)], []
    return [], [phrase("swot.voice_low", share=share, fair=fair)]
