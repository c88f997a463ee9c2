"""The vocabulary: platforms, metrics (one definition each) and goal types.

One definition per metric (README: Metrics); docs/metrics.md is generated from METRICS so the
reference and the code cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass

PLATFORMS = ("facebook", "instagram", "linkedin", "x", "tiktok", "youtube")
# One colour per platform in every chart (Tableau 10: told apart by most colour-blind readers).
PLATFORM_COLOURS = {
    "facebook": "#4e79a7",
    "instagram": "#b07aa1",
    "linkedin": "#76b7b2",
    "x": "#59595c",
    "tiktok": "#f28e2b",
    "youtube": "#e15759",
}


@dataclass(frozen=True)
class Metric:
    name: str
    kind: str  # "count" (a sum), "rate" (a ratio of sums), "level" (a value at a moment), "money",
    #            "average" (a count per unit of time)
    formula: str
    source: str  # which canonical table its inputs come from


METRICS: dict[str, Metric] = {
    m.name: m
    for m in [
        Metric("posts", "count", "posts published in the period (client time zone)", "posts"),
        Metric("impressions", "count", "sum of impressions (Meta: Views) of posts published in the period", "posts"),
        Metric("reach", "count", "sum of reach of posts published in the period", "posts"),
        Metric("reactions", "count", "sum of reactions (likes) of posts published in the period", "posts"),
        Metric("comments", "count", "sum of comments (replies) of posts published in the period", "posts"),
        Metric("shares", "count", "sum of shares (reposts, retweets) of posts published in the period", "posts"),
        Metric("saves", "count", "sum of saves of posts published in the period", "posts"),
        Metric("clicks", "count", "sum of clicks of posts published in the period", "posts"),
        Metric("video_views", "count", "sum of video views of posts published in the period", "posts"),
        Metric("posts_per_week", "average", "posts × 7 / days in the period", "posts"),
        Metric("engagements", "count", "reactions + comments + shares + saves", "posts"),
        Metric("engagement_rate", "rate", "engagements / impressions", "posts"),
        Metric("engagement_rate_reach", "rate", "engagements / reach", "posts"),
        Metric("applause_rate", "rate", "reactions / posts / followers at period end", "posts"),
        Metric("amplification_rate", "rate", "shares / posts / followers at period end", "posts"),
        Metric("conversation_rate", "rate", "comments / posts / followers at period end", "posts"),
        Metric("virality_rate", "rate", "shares / impressions", "posts"),
        Metric("ctr", "rate", "clicks / impressions", "posts"),
        Metric("followers", "level", "followers at the end of the period", "account_daily"),
        Metric("follower_growth", "count", "followers at period end − followers at period start", "account_daily"),
        Metric("audience_growth_rate", "rate", "follower_growth / followers at period start", "account_daily"),
        Metric("spend", "money", "ad spend in the period", "ads_daily"),
        Metric("cpc", "money", "spend / ad clicks", "ads_daily"),
        Metric("cpm", "money", "1000 × spend / ad impressions", "ads_daily"),
        Metric("sessions", "count", "website sessions from social sources (GA4)", "web_daily"),
        Metric("conversions", "count", "conversions (key events) from social sessions", "web_daily"),
        Metric("conversion_rate", "rate", "conversions / social sessions", "web_daily"),
        Metric(
            "roi",
            "rate",
            "(value − cost) / cost; value = revenue or conversions × value per conversion; cost = ad spend + hours × hourly rate + other costs",
            "web_daily",
        ),
        Metric("mentions", "count", "mentions of the brand", "mentions"),
        Metric("share_of_voice", "rate", "own mentions / all mentions (own + competitors)", "mentions"),
        Metric("net_sentiment", "rate", "(positive − negative) / (positive + negative) own mentions", "mentions"),
    ]
}

# The ten goal types (sv-setting-social-media-goals) and the metrics recommended for each.
GOAL_TYPES: dict[str, tuple[str, ...]] = {
    "brand_awareness": ("impressions", "reach", "followers", "audience_growth_rate", "share_of_voice"),
    "brand_reputation": ("net_sentiment", "mentions", "share_of_voice"),
    "engaged_community": ("engagement_rate", "engagements", "conversation_rate", "amplification_rate"),
    "conversions_sales": ("conversions", "conversion_rate", "roi", "clicks", "ctr"),
    "customer_market_insights": ("comments", "mentions", "net_sentiment"),
    "leads": ("conversions", "clicks", "ctr", "cpc"),
    "customer_service": ("comments", "mentions", "net_sentiment"),
    "recruiting": ("followers", "clicks", "engagements"),
    "crisis_management": ("mentions", "net_sentiment", "share_of_voice"),
    "internal_communication": ("reach", "engagement_rate", "comments"),
}


# Which exports provide each metric's inputs (see README: Supported exports).
_POSTS = "Facebook, Instagram, LinkedIn, X, TikTok, YouTube post exports"
INPUTS = {
    "posts": _POSTS,
    "posts_per_week": _POSTS,
    "impressions": _POSTS,
    "reactions": _POSTS,
    "comments": _POSTS,
    "shares": _POSTS,
    "engagements": _POSTS,
    "engagement_rate": _POSTS,
    "virality_rate": _POSTS,
    "reach": "Facebook, Instagram (not LinkedIn, X, TikTok, YouTube)",
    "engagement_rate_reach": "Facebook, Instagram",
    "saves": "Instagram; X (bookmarks)",
    "clicks": "Facebook, LinkedIn, X (URL clicks)",
    "ctr": "Facebook, LinkedIn, X",
    "video_views": "Instagram reels, LinkedIn videos, TikTok, YouTube",
    "followers": "TikTok follower history; a followers log (canonical CSV) for the others",
    "follower_growth": "as followers",
    "audience_growth_rate": "as followers",
    "applause_rate": "post exports + followers",
    "amplification_rate": "post exports + followers",
    "conversation_rate": "post exports + followers",
    "spend": "Meta Ads Manager",
    "cpc": "Meta Ads Manager",
    "cpm": "Meta Ads Manager",
    "sessions": "GA4 traffic acquisition (social sources and mediums)",
    "conversions": "GA4 key events",
    "conversion_rate": "GA4",
    "roi": "GA4 + Ads Manager + the activity plan + params budget",
    "mentions": "a mapped social listening export",
    "share_of_voice": "a mapped social listening export",
    "net_sentiment": "a mapped social listening export",
}


def reference() -> str:
    """docs/metrics.md: each metric, its formula and which exports provide its inputs."""
    lines = [
        "# Metrics",
        "",
        "One definition each. Every rate is a ratio of sums over the period; a zero or",
        'missing denominator is undefined (shown as "–"), never 0. Post metrics are lifetime totals of the',
        "posts published in the period (client time zone); followers are account figures at the period's end.",
        "Changes: relative for counts, percentage points for rates. Generated from `lib/rapport/catalog.py`",
        "(`make docs`); the reports print the same definitions for the metrics they show.",
        "",
        "| metric | kind | definition | inputs from |",
        "|---|---|---|---|",
    ]
    lines += [f"| {m.name} | {m.kind} | {m.formula} | {INPUTS[m.name]} |" for m in METRICS.values()]
    lines += ["", "## Goal types and their recommended KPIs", "", "| goal type | recommended KPIs |", "|---|---|"]
    lines += [f"| {kind} | {', '.join(kpis)} |" for kind, kpis in GOAL_TYPES.items()]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(reference(), end="")
