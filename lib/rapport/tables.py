"""The canonical tables: what every adapter produces and the warehouse keeps (docs/architecture.md).

Natural keys first; every row also keeps where it came from (PROVENANCE). Dates are ISO,
`published_at` is UTC, ids are text, missing values stay missing (never 0).
"""

from __future__ import annotations

# table -> (natural key, [(column, type)])
TABLES: dict[str, tuple[tuple[str, ...], list[tuple[str, str]]]] = {
    "posts": (
        ("platform", "post_id"),
        [
            ("platform", "VARCHAR"),
            ("post_id", "VARCHAR"),
            ("account", "VARCHAR"),
            ("published_at", "TIMESTAMP"),  # UTC
            ("format", "VARCHAR"),
            ("text", "VARCHAR"),
            ("url", "VARCHAR"),
            ("campaign", "VARCHAR"),
            ("impressions", "BIGINT"),
            ("reach", "BIGINT"),
            ("reactions", "BIGINT"),
            ("comments", "BIGINT"),
            ("shares", "BIGINT"),
            ("saves", "BIGINT"),
            ("clicks", "BIGINT"),
            ("video_views", "BIGINT"),
            ("paid", "BOOLEAN"),
        ],
    ),
    "account_daily": (
        ("platform", "account", "date"),
        [
            ("platform", "VARCHAR"),
            ("account", "VARCHAR"),
            ("date", "DATE"),
            ("followers", "BIGINT"),
            ("follower_gains", "BIGINT"),
            ("follower_losses", "BIGINT"),
            ("impressions", "BIGINT"),
            ("reach", "BIGINT"),
            ("profile_visits", "BIGINT"),
            ("page_views", "BIGINT"),
        ],
    ),
    "ads_daily": (
        ("platform", "date", "campaign"),
        [
            ("platform", "VARCHAR"),
            ("date", "DATE"),
            ("campaign", "VARCHAR"),
            ("spend", "DOUBLE"),
            ("impressions", "BIGINT"),
            ("reach", "BIGINT"),
            ("clicks", "BIGINT"),
            ("conversions", "DOUBLE"),
            ("conversion_value", "DOUBLE"),
            ("currency", "VARCHAR"),
        ],
    ),
    "web_daily": (
        ("date", "source", "medium", "campaign"),
        [
            ("date", "DATE"),
            ("source", "VARCHAR"),
            ("medium", "VARCHAR"),
            ("campaign", "VARCHAR"),
            ("sessions", "BIGINT"),
            ("users", "BIGINT"),
            ("conversions", "DOUBLE"),
            ("revenue", "DOUBLE"),
        ],
    ),
    "mentions": (
        ("platform", "mention_id"),
        [
            ("platform", "VARCHAR"),
            ("mention_id", "VARCHAR"),
            ("date", "DATE"),
            ("brand", "VARCHAR"),
            ("author", "VARCHAR"),
            ("text", "VARCHAR"),
            ("sentiment", "VARCHAR"),
            ("reach", "BIGINT"),
        ],
    ),
}

PROVENANCE = [
    ("source_file", "VARCHAR"),
    ("source_sha256", "VARCHAR"),
    ("as_of", "DATE"),
    ("imported_at", "TIMESTAMP"),
]


def columns(table: str) -> list[str]:
    return [name for name, _ in TABLES[table][1]]
