"""Meta Business Suite (Facebook and Instagram content and page exports) and Meta Ads Manager.

Headers as docs/formats.md describes them (Meta Business Suite, Facebook/Instagram page, Ads Manager):
- Facebook content: "Post ID", "Page ID", "Page name", "Title", "Description", "Publish time"
  (MM/DD/YYYY HH:MM, no zone: the client's), "Permalink", "Post type", "Views", "Reach",
  "Reactions", "Comments", "Shares", "Total clicks"; UTF-8 with BOM; lifetime totals.
- Instagram content: "Post ID", "Account username", "Description", "Publish time",
  "Permalink", "Post type" (IG image, IG carousel, IG reel), "Views", "Reach", "Likes",
  "Shares", "Comments", "Saves".
- Page metrics: UTF-16 LE, `sep=,`, the metric's title, then "Date","Primary"; one
  metric a file (Facebook follows, Instagram follows, Views, Reach, Facebook visits, ...).
- Ads Manager: "Reporting starts", "Reporting ends", "Campaign name", "Day" (with the
  breakdown by day), "Amount spent (CUR)", "Impressions", "Reach", "Link clicks",
  "Purchases", "Purchases conversion value"; 2017 Title Case and French headers too.
"""

from __future__ import annotations

import re

import pandas as pd

from . import Parsed, Reader, build, columns_of, csv_header
from .values import to_utc

FB_FORMATS = {
    "photos": "image",
    "photo": "image",
    "videos": "video",
    "video": "video",
    "reels": "reel",
    "reel": "reel",
    "links": "link",
    "link": "link",
    "stories": "story",
    "status": "text",
    "text": "text",
}
IG_FORMATS = {
    "ig image": "image",
    "ig carousel": "carousel",
    "ig reel": "reel",
    "ig video": "video",
    "ig story": "story",
}


# --- Facebook and Instagram content ----------------------------------------------------


def _is_facebook(export, context) -> bool:
    header = csv_header(export, "Post ID", "Page ID", "Publish time")
    names = {name.lower() for name in export.sheets[0].header_at(header)} if header is not None else set()
    return bool(names & {"reactions, comments and shares", "reactions", "views"})


def _is_instagram(export, context) -> bool:
    return csv_header(export, "Post ID", "Account username", "Publish time") is not None


def _facebook(export, context) -> Parsed:
    c = columns_of(export, csv_header(export, "Post ID", "Page ID", "Publish time"), context, platform="facebook")
    title, description = c.text("Title").fillna(""), c.text("Description").fillna("")
    posts = build(
        "posts",
        platform=["facebook"] * len(c),
        post_id=_ids(c, "Post ID", "Permalink"),
        account=c.text("Page name"),
        published_at=to_utc(c.dates("Publish time"), context.timezone),
        format=c.text("Post type").str.lower().map(FB_FORMATS),
        text=[t if len(t) >= len(d) else d for t, d in zip(title.tolist(), description.tolist())],
        url=c.text("Permalink"),
        impressions=c.number("Views", "Impressions"),
        reach=c.number("Reach"),
        reactions=c.number("Reactions"),
        comments=c.number("Comments"),
        shares=c.number("Shares"),
        clicks=c.number("Total clicks", "Link Clicks"),
        video_views=c.number("3-Second Video Views"),
    )
    return Parsed("Meta Business Suite: Facebook posts", {"posts": _latest(posts)})


def _instagram(export, context) -> Parsed:
    c = columns_of(
        export, csv_header(export, "Post ID", "Account username", "Publish time"), context, platform="instagram"
    )
    fmt = c.text("Post type").str.lower().map(IG_FORMATS)
    views = c.number("Views", "Impressions")
    posts = build(
        "posts",
        platform=["instagram"] * len(c),
        post_id=_ids(c, "Post ID", "Permalink"),
        account=c.text("Account username"),
        published_at=to_utc(c.dates("Publish time"), context.timezone),
        format=fmt,
        text=c.text("Description"),
        url=c.text("Permalink"),
        impressions=views,
        reach=c.number("Reach"),
        reactions=c.number("Likes"),
        comments=c.number("Comments"),
        shares=c.number("Shares"),
        saves=c.number("Saves"),
        video_views=views.where(fmt.isin(["reel", "video"]).to_numpy(), pd.NA),
    )
    return Parsed("Meta Business Suite: Instagram posts", {"posts": _latest(posts)})


def _ids(c, column: str, permalink: str) -> pd.Series:
    """Post ids as text; an id Excel turned into 1.22158E+17 is taken from the permalink."""
    ids = c.text(column)
    mangled = pd.Series([("." in i or "e+" in i or "E+" in i) for i in ids.fillna("").tolist()], index=ids.index)
    if mangled.any():
        links = c.text(permalink).fillna("")
        from_link = links.str.extract(r"(\d{9,}(?:_\d+)?)/?$")[0]
        ids = ids.where(~mangled, from_link)
    missing = ids.isna()
    if missing.any():
        c.fail(int(missing.idxmax()), column, "empty (it identifies the post)")
    return ids


def _latest(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.drop_duplicates(["platform", "post_id"], keep="last")


# --- page-level daily metrics -----------------------------------------------------------

# the metric's title (line 2) -> (platform or None when the title does not say, column)
PAGE_METRICS = {
    "facebook follows": ("facebook", "follower_gains"),
    "instagram follows": ("instagram", "follower_gains"),
    "facebook visits": ("facebook", "profile_visits"),
    "instagram profile visits": ("instagram", "profile_visits"),
    "views": (None, "impressions"),
    "reach": (None, "reach"),
    "viewers": (None, "reach"),
}


def _page_title(export) -> str | None:
    if export.kind != "csv":
        return None
    sheet = export.sheets[0]
    if not sheet.comments or not sheet.comments[0].lower().startswith("sep="):
        return None
    top = sheet.top(2)
    if len(top) < 2 or [c.lower() for c in sheet.header_at(1)[:2]] != ["date", "primary"]:
        return None
    return " ".join(top[0]).strip().lower()


def _is_page_metric(export, context) -> bool:
    return _page_title(export) is not None


def _page_metric(export, context) -> Parsed:
    title = _page_title(export)
    if title not in PAGE_METRICS:
        known = ", ".join(sorted(PAGE_METRICS))
        raise _bad(context, f"a Meta page export of '{title}', which rapport does not use (it reads: {known})")
    platform, column = PAGE_METRICS[title]
    platform = platform or (context.hint if context.hint in ("facebook", "instagram") else None)
    if platform is None:
        raise _bad(
            context,
            f"a Meta '{title}' export does not say whether it is Facebook or Instagram: "
            "put it in a folder named facebook/ or instagram/",
        )
    c = columns_of(export, 1, context, platform=platform)
    daily = build(
        "account_daily",
        platform=[platform] * len(c),
        account=["page"] * len(c),
        date=c.dates("Date").dt.date,
        **{column: c.number("Primary")},
    )
    return Parsed(f"Meta Business Suite: {platform} page, {title} (daily)", {"account_daily": daily})


def _bad(context, message):
    from . import BadFile

    return BadFile(f"{context.shown}: {message}")


# --- Ads Manager -----------------------------------------------------------------------

STARTS = ("Reporting starts", "Reporting Starts", "Début des rapports", "Início dos relatórios")
ENDS = ("Reporting ends", "Reporting Ends", "Fin des rapports", "Fim dos relatórios")
DAY = ("Day", "Jour", "Dia")
CAMPAIGN = ("Campaign name", "Campaign Name", "Nom de la campagne", "Nome da campanha")
SPENT = ("Amount spent", "Montant dépensé", "Valor usado")


def _ads_header(export):
    for names in zip(STARTS, CAMPAIGN):
        header = csv_header(export, *names)
        if header is not None:
            return header
    return None


def _is_ads(export, context) -> bool:
    header = _ads_header(export)
    return header is not None and any(columns_of(export, header, context).starting(s) for s in SPENT)


def _ads(export, context) -> Parsed:
    c = columns_of(export, _ads_header(export), context, platform="meta")
    spent = next(c.starting(s) for s in SPENT if c.starting(s))
    currency = re.search(r"\(([A-Z]{3})\)", spent)
    if c.has(*DAY):
        day = c.dates(*DAY).dt.date
    else:
        starts, ends = c.dates(*STARTS).dt.date, c.dates(*ENDS).dt.date
        spans = starts != ends
        if spans.any():
            raise _bad(
                context,
                f"row {c.first_row + int(spans.idxmax())}: reports {starts[spans.idxmax()]} to "
                f"{ends[spans.idxmax()]} as one total; export it with Breakdown → By time → Day",
            )
        day = starts
    rows = build(
        "ads_daily",
        platform=["meta"] * len(c),
        date=day,
        campaign=c.text(*CAMPAIGN),
        spend=c.number(spent, whole=False),
        impressions=c.number("Impressions"),
        reach=c.number("Reach", "Couverture", "Alcance"),
        clicks=c.number("Link clicks", "Link Clicks", "Clics sur un lien", "Cliques no link"),
        conversions=c.number("Purchases", "Achats", "Compras", whole=False),
        conversion_value=c.number("Purchases conversion value", "Valeur de conversion des achats", whole=False),
        currency=[currency.group(1) if currency else None] * len(c),
    )
    rows = rows[rows["campaign"].notna() & rows["date"].notna()]
    # several ad sets or ads of one campaign and day: one row, the sums
    sums = {name: "sum" for name in ("spend", "impressions", "reach", "clicks", "conversions", "conversion_value")}
    grouped = rows.groupby(["platform", "date", "campaign"], as_index=False, dropna=False).agg(
        {**{k: (lambda s: s.sum(min_count=1)) for k in sums}, "currency": "first"}
    )
    return Parsed("Meta Ads Manager (daily)", {"ads_daily": grouped})


READERS = [
    Reader("Meta Business Suite: Facebook posts", _is_facebook, _facebook),
    Reader("Meta Business Suite: Instagram posts", _is_instagram, _instagram),
    Reader("Meta Business Suite: page metric", _is_page_metric, _page_metric),
    Reader("Meta Ads Manager", _is_ads, _ads),
]
