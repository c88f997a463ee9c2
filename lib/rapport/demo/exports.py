"""The demo's monthly downloads, each in the platform's own format (docs/formats.md).

One call of `download` writes what a consultant saves on the first day of a month: Meta
Business Suite content CSVs (UTF-8 with BOM) and page metrics (UTF-16 with `sep=,`),
LinkedIn workbooks, a TikTok Studio zip (year-less dates), a GA4 CSV with its comment
block, a Meta Ads Manager export (English or French locale, alternating), a social
listening export read through the demo's params mapping, and the follower counts the
consultant notes at each month's end (rapport's canonical CSV: the exports give daily
gains, not totals).
"""

from __future__ import annotations

import csv
import io
import os
import re
import zipfile
from datetime import date, datetime, timedelta
from pathlib import Path

import openpyxl
import pandas as pd

from .truth import BRAND, matured

PAGE_ID = "1039829308656930"
FB_TYPES = {"image": "Photos", "video": "Videos", "reel": "Reels", "link": "Links"}
IG_TYPES = {"image": "IG image", "carousel": "IG carousel", "reel": "IG reel"}
FIXED = datetime(2020, 1, 1)  # workbook metadata: the same bytes for the same data

# Meta's page metrics, one file each: (file name, title in the file, truth column)
PAGE_METRICS = {
    "facebook": [
        ("Follows", "Facebook follows", "follower_gains"),
        ("Visits", "Facebook visits", "profile_visits"),
        ("Views", "Views", "impressions"),
        ("Reach", "Reach", "reach"),
    ],
    "instagram": [
        ("Follows", "Instagram follows", "follower_gains"),
        ("Views", "Views", "impressions"),
        ("Reach", "Reach", "reach"),
    ],
}


def download(truth, folder: Path, start: date, as_of: date) -> None:
    """Write the exports of `start` to `as_of`, as downloaded the morning after `as_of`."""
    folder.mkdir(parents=True)
    downloaded = as_of + timedelta(days=1)
    posts = matured(_between(truth.posts, "local_date", start, as_of), as_of)
    daily = _between(truth.account_daily, "date", start, as_of)
    span = f"{start:%b-%d-%Y}_{as_of:%b-%d-%Y}"
    _meta(folder, span, posts, daily)
    _linkedin(folder, _on(posts, "linkedin"), _on(daily, "linkedin"))
    _tiktok_zip(
        folder / f"Overview_{start:%Y-%m-%d}_nordkaffe.zip", _on(posts, "tiktok"), _on(daily, "tiktok"), downloaded
    )
    web = _between(truth.web, "date", start, as_of)
    _ga4(folder / "Traffic_acquisition_Session_source_medium.csv", web, start, as_of)
    ads = _between(truth.ads, "date", start, as_of)
    if len(ads):
        _ads(folder / f"Nordkaffe-Campaigns-{span}.csv", ads, start, as_of, french=as_of.month % 2 == 0)
    _mentions(folder / "mentions.csv", _between(truth.mentions, "date", start, as_of))
    _followers_log(folder / "followers-log.csv", truth.account_daily, start, as_of)
    _set_mtimes(folder, downloaded)


def _between(frame: pd.DataFrame, column: str, start: date, as_of: date) -> pd.DataFrame:
    return frame[(frame[column] >= start) & (frame[column] <= as_of)]


def _on(frame: pd.DataFrame, platform: str) -> pd.DataFrame:
    return frame[frame["platform"] == platform]


def _meta(folder: Path, span: str, posts: pd.DataFrame, daily: pd.DataFrame) -> None:
    """Meta Business Suite: the content CSVs and one file per page metric."""
    _facebook_posts(folder / f"{span}_{PAGE_ID}.csv", _on(posts, "facebook"), BRAND)
    _instagram_posts(folder / f"{span}_ig.csv", _on(posts, "instagram"), BRAND)
    for platform, metrics in PAGE_METRICS.items():
        rows = _on(daily, platform)
        for name, title, column in metrics:
            _meta_page_metric(folder / platform / f"{name}.csv", title, rows, column)


def _linkedin(folder: Path, posts: pd.DataFrame, daily: pd.DataFrame) -> None:
    """LinkedIn's page analytics: content, followers and visitors workbooks."""
    _linkedin_content(folder / "nordkaffe_content_1.xlsx", posts, daily)
    followers = [[_us(d), 0, g, 0, g] for d, g in zip(daily["date"], daily["follower_gains"])]
    _linkedin_sheet(folder / "nordkaffe_followers_1.xlsx", "New followers", LINKEDIN_FOLLOWERS_HEADER, followers)
    visitors = [
        [_us(d), v // 2, v - v // 2, v, p // 2, p - p // 2, p]
        for d, v, p in zip(daily["date"], daily["page_views"], daily["profile_visits"])
    ]
    _linkedin_sheet(folder / "nordkaffe_visitors_1.xlsx", "Visitor metrics", LINKEDIN_VISITORS_HEADER, visitors)


def _set_mtimes(folder: Path, downloaded: date) -> None:
    """Every file dated 09:00 on the download day, as if saved then."""
    stamp = datetime.combine(downloaded, datetime.min.time()).replace(hour=9).timestamp()
    for path in folder.rglob("*"):
        os.utime(path, (stamp, stamp))


# --- writers ------------------------------------------------------------------------------


def _csv_text(header: list[str], rows, delimiter: str = ",", quote_all: bool = False) -> str:
    buffer = io.StringIO()
    writer = csv.writer(
        buffer, delimiter=delimiter, lineterminator="\n", quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL
    )
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def _write(path: Path, text: str, encoding: str = "utf-8-sig") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if encoding == "utf-16":
        path.write_bytes(b"\xff\xfe" + text.encode("utf-16-le"))
    else:
        path.write_bytes(text.encode(encoding))


def _n(value) -> str:
    return "" if value is None or pd.isna(value) else str(int(value))


def _us(day: date) -> str:
    return f"{day:%m/%d/%Y}"


FACEBOOK_POSTS_HEADER = [
    "Post ID",
    "Page ID",
    "Page name",
    "Title",
    "Description",
    "Duration (sec)",
    "Publish time",
    "Caption type",
    "Permalink",
    "Is crosspost",
    "Is share",
    "Post type",
    "Languages",
    "Custom labels",
    "Funded content status",
    "Data comment",
    "Date",
    "Views",
    "Reach",
    "Reactions, Comments and Shares",
    "Reactions",
    "Comments",
    "Shares",
    "Total clicks",
    "Other Clicks",
    "Link Clicks",
]


def _facebook_posts(path: Path, posts: pd.DataFrame, brand: str) -> None:
    _write(path, _csv_text(FACEBOOK_POSTS_HEADER, [_facebook_post_row(p, brand) for p in posts.itertuples()]))


def _facebook_post_row(p, brand: str) -> list:
    video = p.format in ("video", "reel")
    engaged = int(p.reactions) + int(p.comments) + int(p.shares)
    return [
        p.post_id,
        PAGE_ID,
        brand,
        p.text if video else "",
        "" if video else p.text,
        "45" if video else "",
        f"{p.local_time:%m/%d/%Y %H:%M}",
        "N/A",
        p.url,
        0,
        0,
        FB_TYPES[p.format],
        "",
        "",
        "",
        "",
        "Lifetime",
        _n(p.impressions),
        _n(p.reach),
        engaged,
        _n(p.reactions),
        _n(p.comments),
        _n(p.shares),
        _n(p.clicks),
        "",
        "",
    ]


INSTAGRAM_POSTS_HEADER = [
    "Post ID",
    "Account ID",
    "Account username",
    "Account name",
    "Description",
    "Duration (sec)",
    "Publish time",
    "Permalink",
    "Post type",
    "Data comment",
    "Date",
    "Views",
    "Reach",
    "Likes",
    "Shares",
    "Follows",
    "Comments",
    "Saves",
]


def _instagram_posts(path: Path, posts: pd.DataFrame, brand: str) -> None:
    rows = [
        [
            p.post_id,
            "17841400000000000",
            brand.lower(),
            brand,
            p.text,
            0,
            f"{p.local_time:%m/%d/%Y %H:%M}",
            p.url,
            IG_TYPES[p.format],
            "",
            "Lifetime",
            _n(p.impressions),
            _n(p.reach),
            _n(p.reactions),
            _n(p.shares),
            0,
            _n(p.comments),
            _n(p.saves),
        ]
        for p in posts.itertuples()
    ]
    _write(path, _csv_text(INSTAGRAM_POSTS_HEADER, rows, quote_all=True))


def _meta_page_metric(path: Path, title: str, rows: pd.DataFrame, column: str) -> None:
    body = _csv_text(
        ["Date", "Primary"],
        [[f"{d:%Y-%m-%d}T00:00:00", _n(v)] for d, v in zip(rows["date"], rows[column])],
        quote_all=True,
    )
    _write(path, f'sep=,\n"{title}"\n' + body, "utf-16")


def _workbook() -> openpyxl.Workbook:
    book = openpyxl.Workbook()
    book.remove(book.active)
    book.properties.creator = "LinkedIn"
    book.properties.created = book.properties.modified = FIXED
    return book


def _save(book: openpyxl.Workbook, path: Path) -> None:
    """Save with fixed timestamps inside the zip, so the same data gives the same bytes."""
    buffer = io.BytesIO()
    book.save(buffer)
    with (
        zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as source,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"<dcterms:modified[^>]*>[^<]*</dcterms:modified>", b"", data)
            target.writestr(zipfile.ZipInfo(info.filename, date_time=FIXED.timetuple()[:6]), data, zipfile.ZIP_DEFLATED)


def _linkedin_sheet(path: Path, name: str, header: list[str], rows: list[list]) -> None:
    book = _workbook()
    _add_sheet(book, name, [header, *rows])
    _save(book, path)


def _add_sheet(book: openpyxl.Workbook, name: str, rows) -> None:
    sheet = book.create_sheet(name)
    for row in rows:
        sheet.append(row)


LINKEDIN_FOLLOWERS_HEADER = [
    "Date",
    "Sponsored followers",
    "Organic followers",
    "Auto-invited followers",
    "Total followers",
]
LINKEDIN_VISITORS_HEADER = [
    "Date",
    "Total page views (desktop)",
    "Total page views (mobile)",
    "Total page views (total)",
    "Total unique visitors (desktop)",
    "Total unique visitors (mobile)",
    "Total unique visitors (total)",
]
# The content workbook's sheets open with a note line above the header.
LINKEDIN_METRICS_NOTE = (
    "Aggregated engagement metrics for your organic and sponsored posts over time. Date indicates "
    "when your posts were viewed by LinkedIn members. Data is delayed by up to 2 days. All dates "
    "and times are in UTC."
)
LINKEDIN_METRICS_HEADER = [
    "Date",
    "Impressions (organic)",
    "Impressions (sponsored)",
    "Impressions (total)",
    "Unique impressions (organic)",
    "Clicks (organic)",
    "Clicks (sponsored)",
    "Clicks (total)",
]
LINKEDIN_POSTS_NOTE = (
    "Engagement metrics for individual posts. Created date indicates when your post was created. "
    "All dates and times are in UTC."
)
LINKEDIN_POSTS_HEADER = [
    "Post title",
    "Post link",
    "Post type",
    "Campaign name",
    "Posted by",
    "Created date",
    "Campaign start date",
    "Campaign end date",
    "Audience",
    "Impressions",
    "Views",
    "Offsite Views",
    "Clicks",
    "Click through rate (CTR)",
    "Likes",
    "Comments",
    "Reposts",
    "Follows",
    "Engagement rate",
    "Content Type",
]


def _linkedin_content(path: Path, posts: pd.DataFrame, daily: pd.DataFrame) -> None:
    book = _workbook()
    metrics = [
        [_us(d), int(impressions), 0, int(impressions), int(impressions * 0.7), 0, 0, 0]
        for d, impressions in zip(daily["date"], daily["impressions"])
    ]
    _add_sheet(book, "Metrics", [[LINKEDIN_METRICS_NOTE], LINKEDIN_METRICS_HEADER, *metrics])
    rows = [_linkedin_post_row(p) for p in posts.itertuples()]
    _add_sheet(book, "All posts", [[LINKEDIN_POSTS_NOTE], LINKEDIN_POSTS_HEADER, *rows])
    _save(book, path)


def _linkedin_post_row(p) -> list:
    impressions = int(p.impressions)
    return [
        p.text,
        p.url,
        "Organic",
        p.campaign or "",
        "Maja",
        f"{p.published_at:%m/%d/%Y}",
        "",
        "",
        "All followers",
        impressions,
        int(p.video_views) if pd.notna(p.video_views) else "",
        0,
        int(p.clicks),
        round(int(p.clicks) / impressions, 4) if impressions else 0,
        int(p.reactions),
        int(p.comments),
        int(p.shares),
        0,
        0,
        "Video" if p.format == "video" else "",
    ]


TIKTOK_OVERVIEW_HEADER = ["Date", "Video Views", "Profile Views", "Likes", "Comments", "Shares", "New followers"]
TIKTOK_HISTORY_HEADER = ["Date", "Followers", "Difference in followers from previous day"]
TIKTOK_CONTENT_HEADER = [
    "Time",
    "Video title",
    "Video link",
    "Post time",
    "Total likes",
    "Total comments",
    "Total shares",
    "Total views",
]


def _tiktok_zip(path: Path, posts: pd.DataFrame, daily: pd.DataFrame, downloaded: date) -> None:
    files = {
        "Overview.csv": _csv_text(TIKTOK_OVERVIEW_HEADER, _tiktok_overview_rows(daily), quote_all=True),
        "FollowerHistory.csv": _csv_text(TIKTOK_HISTORY_HEADER, _tiktok_history_rows(daily), quote_all=True),
        "Content.csv": _csv_text(TIKTOK_CONTENT_HEADER, _tiktok_content_rows(posts), quote_all=True),
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        for name, text in files.items():
            info = zipfile.ZipInfo(name, date_time=(downloaded.year, downloaded.month, downloaded.day, 9, 0, 0))
            archive.writestr(info, ("\ufeff" + text.rstrip("\n")).encode("utf-8"))


def _tiktok_day(d: date) -> str:
    return f"{d:%B} {d.day}"  # TikTok Studio writes no year


def _tiktok_overview_rows(daily: pd.DataFrame) -> list[list]:
    return [
        [
            _tiktok_day(r.date),
            _n(r.impressions),
            _n(r.profile_visits),
            0,
            0,
            0,
            int(r.follower_gains) - int(r.follower_losses),
        ]
        for r in daily.itertuples()
    ]


def _tiktok_history_rows(daily: pd.DataFrame) -> list[list]:
    return [
        [_tiktok_day(r.date), _n(r.followers), int(r.follower_gains) - int(r.follower_losses)]
        for r in daily.itertuples()
    ]


def _tiktok_content_rows(posts: pd.DataFrame) -> list[list]:
    return [
        [
            "",
            p.text,
            p.url,
            f"{p.local_time:%Y-%m-%d %H:%M}",
            _n(p.reactions),
            _n(p.comments),
            _n(p.shares),
            _n(p.impressions),
        ]
        for p in posts.itertuples()
    ]


GA4_HEADER = [
    "Session source / medium",
    "Date",
    "Sessions",
    "Engaged sessions",
    "Engagement rate",
    "Total users",
    "Key events",
    "Session key event rate",
    "Total revenue",
]


def _ga4(path: Path, web: pd.DataFrame, start: date, as_of: date) -> None:
    totals = (
        web.assign(key=web["source"] + " / " + web["medium"])
        .groupby(["key", "date"], as_index=False)[["sessions", "users", "conversions", "revenue"]]
        .sum()
    )
    rows = [
        [
            r.key,
            f"{r.date:%Y%m%d}",
            int(r.sessions),
            int(r.sessions * 0.7),
            round(0.7, 4),
            int(r.users),
            int(r.conversions),
            round(r.conversions / r.sessions, 4) if r.sessions else 0,
            f"{r.revenue:.2f}",
        ]
        for r in totals.itertuples()
    ]
    grand = [
        "Grand total",
        "",
        int(totals["sessions"].sum()),
        "",
        "",
        int(totals["users"].sum()),
        int(totals["conversions"].sum()),
        "",
        f"{totals['revenue'].sum():.2f}",
    ]
    preamble = (
        "# ----------------------------------------\n# Traffic acquisition: Session source / medium\n"
        "# Account: Nordkaffe\n# Property: nordkaffe.se - GA4\n# ----------------------------------------\n"
        f"#\n# Start date: {start:%Y%m%d}\n# End date: {as_of:%Y%m%d}\n"
    )
    _write(path, preamble + _csv_text(GA4_HEADER, [grand] + rows))


ADS_HEADER = [
    "Reporting starts",
    "Reporting ends",
    "Campaign name",
    "Campaign ID",
    "Day",
    "Amount spent (SEK)",
    "Impressions",
    "Reach",
    "Link clicks",
    "Purchases",
    "Purchases conversion value",
]
# A French Ads Manager: French headers, semicolons, decimal commas, narrow spaces in thousands.
ADS_HEADER_FRENCH = [
    "Début des rapports",
    "Fin des rapports",
    "Nom de la campagne",
    "Identifiant de la campagne",
    "Jour",
    "Montant dépensé (SEK)",
    "Impressions",
    "Couverture",
    "Clics sur un lien",
    "Achats",
    "Valeur de conversion des achats",
]


def _ads(path: Path, ads: pd.DataFrame, start: date, as_of: date, french: bool) -> None:
    header, money, delimiter = (ADS_HEADER_FRENCH, _french_money, ";") if french else (ADS_HEADER, _money, ",")
    rows = [
        [
            f"{start:%Y-%m-%d}",
            f"{as_of:%Y-%m-%d}",
            a.campaign,
            f"120200000{sum(map(ord, a.campaign)):09d}",
            f"{a.date:%Y-%m-%d}",
            money(a.spend),
            _n(a.impressions),
            _n(a.reach),
            _n(a.clicks),
            _n(a.conversions),
            money(a.conversion_value),
        ]
        for a in ads.itertuples()
    ]
    _write(path, _csv_text(header, rows, delimiter=delimiter))


def _money(v) -> str:
    return f"{v:.2f}"


def _french_money(v) -> str:
    whole, cents = f"{v:,.2f}".split(".")
    return whole.replace(",", "\u202f") + "," + cents


def _mentions(path: Path, mentions: pd.DataFrame) -> None:
    header = ["Mention Id", "Published", "Query", "Author", "Snippet", "Sentiment", "Reach", "Source"]
    rows = [
        [
            m.mention_id,
            f"{m.date:%d/%m/%Y}",
            m.brand,
            m.author,
            m.text,
            m.sentiment.capitalize(),
            _n(m.reach),
            m.platform,
        ]
        for m in mentions.itertuples()
    ]
    _write(path, _csv_text(header, rows, delimiter=";"), "utf-8")


def _followers_log(path: Path, daily: pd.DataFrame, start: date, as_of: date) -> None:
    """Follower counts noted at each month's end (and the day before the window) for the
    platforms whose exports give daily gains only."""
    ends = set()
    day = start - timedelta(days=1)
    while day <= as_of:
        ends.add(day)
        day = (day + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    rows = daily[daily["platform"].isin(["facebook", "instagram", "linkedin"]) & daily["date"].isin(ends)]
    _write(
        path,
        _csv_text(
            ["platform", "account", "date", "followers"],
            [[r.platform, r.account, f"{r.date:%Y-%m-%d}", _n(r.followers)] for r in rows.itertuples()],
        ),
        "utf-8",
    )
