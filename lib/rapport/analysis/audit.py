"""The audit's judgement: strengths and weaknesses read from the data (opportunities and
threats come from the params: they lie outside the accounts), for the SWOT grid.

Each point is {"key": catalogue key, "values": {...}} so the report words it in the
client's language; values are raw (platform and format names, ratios, counts).
"""

from __future__ import annotations

import pandas as pd

from rapport.i18n import phrase

from .metrics import Voice

MIN_POSTS = 3  # a format or channel judged on fewer posts says nothing
RARE_POSTS_PER_WEEK = 1.0


def swot(kpis: pd.DataFrame, formats: pd.DataFrame, voice: Voice, params) -> dict[str, list[dict]]:
    """Strengths and weaknesses from the baseline KPIs per channel (`metrics.kpis`), the
    formats (`metrics.by_dimension(..., "format")`) and share of voice (`metrics.voice`);
    opportunities and threats as the params give them."""
    strengths, weaknesses = [], []
    channels = kpis.drop(index="all", errors="ignore")
    overall = kpis.at["all", "engagement_rate"] if "all" in kpis.index else None

    rated = channels[(channels["posts"] >= MIN_POSTS) & channels["engagement_rate"].notna()]
    if len(rated) >= 2:
        rates = rated["engagement_rate"].astype(float)
        best, worst = rates.idxmax(), rates.idxmin()
        strengths.append(phrase("swot.best_channel", platform=best, rate=rates[best], overall=overall))
        weaknesses.append(phrase("swot.weak_channel", platform=worst, rate=rates[worst], overall=overall))

    growth = channels[channels["audience_growth_rate"].notna()]
    for platform, row in growth.sort_values("audience_growth_rate", ascending=False).iterrows():
        if row["audience_growth_rate"] > 0 and platform == growth["audience_growth_rate"].astype(float).idxmax():
            strengths.append(phrase("swot.growing", platform=platform, growth=row["follower_growth"],
                                    rate=row["audience_growth_rate"]))
        elif row["audience_growth_rate"] <= 0:
            weaknesses.append(phrase("swot.shrinking", platform=platform, growth=row["follower_growth"],
                                     rate=row["audience_growth_rate"]))

    for platform, row in channels.iterrows():
        if row["posts_per_week"] is not None and row["posts_per_week"] < RARE_POSTS_PER_WEEK:
            weaknesses.append(phrase("swot.rare_posting", platform=platform, per_week=row["posts_per_week"]))

    judged = formats[(formats["posts"] >= MIN_POSTS) & formats["engagement_rate"].notna() & formats["value"].notna()]
    if len(judged) >= 2:
        judged = judged.assign(rate=judged["engagement_rate"].astype(float)).set_index("value")
        best, worst = judged["rate"].idxmax(), judged["rate"].idxmin()
        strengths.append(phrase("swot.best_format", format=best, rate=judged.at[best, "rate"],
                                posts=judged.at[best, "posts"]))
        weaknesses.append(phrase("swot.weak_format", format=worst, rate=judged.at[worst, "rate"],
                                 posts=judged.at[worst, "posts"]))

    share = voice.share_of_voice
    if share is not None and voice.brands:
        fair = 1 / len(voice.brands)  # an equal share among the brands found
        (strengths if share >= fair else weaknesses).append(
            phrase("swot.voice_high" if share >= fair else "swot.voice_low", share=share, fair=fair))

    return dict(strengths=strengths, weaknesses=weaknesses,
                opportunities=[{"text": t} for t in params.swot.opportunities],
                threats=[{"text": t} for t in params.swot.threats])
