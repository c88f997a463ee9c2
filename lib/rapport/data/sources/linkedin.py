"""LinkedIn Page analytics: the content, followers and visitors workbooks (XLS or XLSX).

Headers as docs/formats.md describes them (LinkedIn):
- content: sheets "Metrics" and "All posts", each with a one-cell description row above its
  header. All posts: "Post title", "Post link" (…urn:li:activity:<id>), "Post type"
  (Organic/Sponsored), "Campaign name", "Created date" (MM/DD/YYYY, UTC), "Impressions",
  "Views", "Clicks", "Likes", "Comments", "Reposts" (older: "Shares"), "Content Type".
  Metrics: "Date", "Impressions (total)", "Unique impressions (organic)".
- followers: sheet "New followers": "Date", …, "Total followers" (the day's new followers).
- visitors: sheet "Visitor metrics": "Date", "Total page views (total)", "Total unique
  visitors (total)".
"""

from __future__ import annotations

from . import Parsed, Reader, build, columns_of, find_header, sheet_named


def _excel(export) -> bool:
    return export.kind in ("xls", "xlsx")


def _is_content(export, context) -> bool:
    return _excel(export) and sheet_named(export, "All posts") is not None


def _is_followers(export, context) -> bool:
    return _excel(export) and sheet_named(export, "New followers") is not None


def _is_visitors(export, context) -> bool:
    return _excel(export) and sheet_named(export, "Visitor metrics") is not None


def _columns(export, context, name, *required):
    sheet = sheet_named(export, name)
    header = find_header(sheet, *required)
    if header is None:
        from . import BadFile

        raise BadFile(f"{context.shown}: sheet '{name}' has no header with {', '.join(required)}")
    c = columns_of(export, header, context, sheet, platform="linkedin")
    c.shown = f"{context.shown} (sheet {name})"
    return c


def _content(export, context) -> Parsed:
    c = _columns(export, context, "All posts", "Post link", "Created date")
    links = c.text("Post link")
    ids = links.fillna("").str.extract(r"(\d{15,})")[0]
    missing = ids.isna()
    if missing.any():
        c.fail(int(missing.idxmax()), "Post link", "has no post id (…urn:li:activity:<id>)")
    content = c.text("Content Type").fillna("").str.lower()
    posts = build(
        "posts",
        platform=["linkedin"] * len(c),
        post_id=ids,
        published_at=c.dates("Created date"),  # UTC already
        format=content.map(
            {"video": "video", "image": "image", "article": "link", "document": "carousel", "text": "text"}
        ),
        text=c.text("Post title"),
        url=links,
        campaign=c.text("Campaign name"),
        impressions=c.number("Impressions"),
        reactions=c.number("Likes", "Reactions"),
        comments=c.number("Comments"),
        shares=c.number("Reposts", "Shares"),
        clicks=c.number("Clicks"),
        video_views=c.number("Views"),
        paid=c.text("Post type").fillna("").str.lower().eq("sponsored"),
    ).drop_duplicates(["platform", "post_id"], keep="last")
    tables = {"posts": posts}
    if sheet_named(export, "Metrics") is not None:
        m = _columns(export, context, "Metrics", "Date", "Impressions (total)")
        tables["account_daily"] = build(
            "account_daily",
            platform=["linkedin"] * len(m),
            account=["page"] * len(m),
            date=m.dates("Date").dt.date,
            impressions=m.number("Impressions (total)"),
            reach=m.number("Unique impressions (organic)"),
        )
    return Parsed("LinkedIn Page: content", tables)


def _followers(export, context) -> Parsed:
    c = _columns(export, context, "New followers", "Date", "Total followers")
    daily = build(
        "account_daily",
        platform=["linkedin"] * len(c),
        account=["page"] * len(c),
        date=c.dates("Date").dt.date,
        follower_gains=c.number("Total followers"),
    )
    return Parsed("LinkedIn Page: followers", {"account_daily": daily})


def _visitors(export, context) -> Parsed:
    c = _columns(export, context, "Visitor metrics", "Date", "Total page views (total)")
    daily = build(
        "account_daily",
        platform=["linkedin"] * len(c),
        account=["page"] * len(c),
        date=c.dates("Date").dt.date,
        page_views=c.number("Total page views (total)"),
        profile_visits=c.number("Total unique visitors (total)"),
    )
    return Parsed("LinkedIn Page: visitors", {"account_daily": daily})


READERS = [
    Reader("LinkedIn Page: content", _is_content, _content),
    Reader("LinkedIn Page: followers", _is_followers, _followers),
    Reader("LinkedIn Page: visitors", _is_visitors, _visitors),
]
