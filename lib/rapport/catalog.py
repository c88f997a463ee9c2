"""The vocabulary: platforms, metrics (one definition each) and goal types.

Definitions follow DESIGN.md §3.5; docs/metrics.md is generated from METRICS so the
reference and the code cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass

PLATFORMS = ("facebook", "instagram", "linkedin", "x", "tiktok", "youtube")


@dataclass(frozen=True)
class Metric:
    name: str
    kind: str  # "count" (a sum), "rate" (a ratio of sums), "level" (a value at a moment), "money"
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
        Metric("roi", "rate", "(value − cost) / cost; value = revenue or conversions × value per conversion; cost = ad spend + hours × hourly rate + other costs", "web_daily"),
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
