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


def download(truth, folder: Path, start: date, as_of: date) -> None:

    folder.mkdir(parents=True)
    downloaded = as_of + timedelta(days=1)
    posts = truth.posts[(truth.posts["local_date"] >= start) & (truth.posts["local_date"] <= as_of)]
    posts = matured(posts, as_of)
    daily = truth.account_daily[(truth.account_daily["date"] >= start) & (truth.account_daily["date"] <= as_of)]
    span = f"{start:%b-%d-%Y}_{as_of:%b-%d-%Y}"
    _facebook_posts(folder / f"{span}_{PAGE_ID}.csv", posts[posts["platform"] == "facebook"], BRAND)
    _instagram_posts(folder / f"{span}_ig.csv", posts[posts["platform"] == "instagram"], BRAND)
    for platform, metrics in (("facebook", {"Facebook follows": "follower_gains", "Facebook visits": "profile_visits",
                                            "Views": "impressions", "Reach": "reach"}),
                              ("instagram", {"Instagram follows": "follower_gains", "Views": "impressions",
                                             "Reach": "reach"})):
        rows = daily[daily["platform"] == platform]
        for title, column in metrics.items():
            name = {"Facebook follows": "Follows", "Instagram follows": "Follows", "Facebook visits": "Visits"}.get(title, title)
            _meta_page_metric(folder / platform / f"{name}.csv", title, rows, column)
    linkedin = daily[daily["platform"] == "linkedin"]
    _linkedin_content(folder / "nordkaffe_content_1.xlsx", posts[posts["platform"] == "linkedin"], linkedin)
    _linkedin_sheet(folder / "nordkaffe_followers_1.xlsx", "New followers",
                    ["Date", "Sponsored followers", "Organic followers", "Auto-invited followers", "Total followers"],
                    [[_us(d), 0, g, 0, g] for d, g in zip(linkedin["date"], linkedin["follower_gains"])])
    _linkedin_sheet(folder / "nordkaffe_visitors_1.xlsx", "Visitor metrics",
                    ["Date", "Total page views (desktop)", "Total page views (mobile)", "Total page views (total)",
                     "Total unique visitors (desktop)", "Total unique visitors (mobile)", "Total unique visitors (total)"],
                    [[_us(d), v // 2, v - v // 2, v, p // 2, p - p // 2, p]
                     for d, v, p in zip(linkedin["date"], linkedin["page_views"], linkedin["profile_visits"])])
    _tiktok_zip(folder / f"Overview_{start:%Y-%m-%d}_nordkaffe.zip", posts[posts["platform"] == "tiktok"],
                daily[daily["platform"] == "tiktok"], downloaded)
    web = truth.web[(truth.web["date"] >= start) & (truth.web["date"] <= as_of)]
    _ga4(folder / "Traffic_acquisition_Session_source_medium.csv", web, start, as_of)
    ads = truth.ads[(truth.ads["date"] >= start) & (truth.ads["date"] <= as_of)]
    if len(ads):
        _ads(folder / f"Nordkaffe-Campaigns-{span}.csv", ads, start, as_of, french=as_of.month % 2 == 0)
    mentions = truth.mentions[(truth.mentions["date"] >= start) & (truth.mentions["date"] <= as_of)]
    _mentions(folder / "mentions.csv", mentions)
    _followers_log(folder / "followers-log.csv", truth.account_daily, start, as_of)
    stamp = datetime.combine(downloaded, datetime.min.time()).replace(hour=9).timestamp()
    for path in folder.rglob("*"):
        os.utime(path, (stamp, stamp))


# --- writers ------------------------------------------------------------------------------

def _csv_text(header: list[str], rows, delimiter: str = ",", quote_all: bool = False) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n",
                        quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL)
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


def _facebook_posts(path: Path, posts: pd.DataFrame, brand: str) -> None:
    header = ["Post ID", "Page ID", "Page name", "Title", "Description", "Duration (sec)", "Publish time",
              "Caption type", "Permalink", "Is crosspost", "Is share", "Post type", "Languages", "Custom labels",
              "Funded content status", "Data comment", "Date", "Views", "Reach", "Reactions, Comments and Shares",
              "Reactions", "Comments", "Shares", "Total clicks", "Other Clicks", "Link Clicks"]
    rows = []
    for p in posts.itertuples():
        video = p.format in ("video", "reel")
        engaged = int(p.reactions) + int(p.comments) + int(p.shares)
        rows.append([p.post_id, PAGE_ID, brand, p.text if video else "", "" if video else p.text,
                     "45" if video else "", f"{p.local_time:%m/%d/%Y %H:%M}", "N/A", p.url, 0, 0, FB_TYPES[p.format],
                     "", "", "", "", "Lifetime", _n(p.impressions), _n(p.reach), engaged, _n(p.reactions),
                     _n(p.comments), _n(p.shares), _n(p.clicks), "", ""])
    _write(path, _csv_text(header, rows))


def _instagram_posts(path: Path, posts: pd.DataFrame, brand: str) -> None:
    header = ["Post ID", "Account ID", "Account username", "Account name", "Description", "Duration (sec)",
              "Publish time", "Permalink", "Post type", "Data comment", "Date", "Views", "Reach", "Likes", "Shares",
              "Follows", "Comments", "Saves"]
    rows = [[p.post_id, "17841400000000000", brand.lower(), brand, p.text, 0, f"{p.local_time:%m/%d/%Y %H:%M}",
             p.url, IG_TYPES[p.format], "", "Lifetime", _n(p.impressions), _n(p.reach), _n(p.reactions),
             _n(p.shares), 0, _n(p.comments), _n(p.saves)] for p in posts.itertuples()]
    _write(path, _csv_text(header, rows, quote_all=True))


def _meta_page_metric(path: Path, title: str, rows: pd.DataFrame, column: str) -> None:
    body = _csv_text(["Date", "Primary"], [[f"{d:%Y-%m-%d}T00:00:00", _n(v)] for d, v in zip(rows["date"], rows[column])],
                     quote_all=True)
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
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as source, \
            zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"<dcterms:modified[^>]*>[^<]*</dcterms:modified>", b"", data)
            target.writestr(zipfile.ZipInfo(info.filename, date_time=FIXED.timetuple()[:6]), data,
                            zipfile.ZIP_DEFLATED)


def _linkedin_sheet(path: Path, name: str, header: list[str], rows: list[list]) -> None:
    book = _workbook()
    sheet = book.create_sheet(name)
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    _save(book, path)


def _linkedin_content(path: Path, posts: pd.DataFrame, daily: pd.DataFrame) -> None:
    book = _workbook()
    metrics = book.create_sheet("Metrics")
    metrics.append(["Aggregated engagement metrics for your organic and sponsored posts over time. Date indicates "
                    "when your posts were viewed by LinkedIn members. Data is delayed by up to 2 days. All dates "
                    "and times are in UTC."])
    metrics.append(["Date", "Impressions (organic)", "Impressions (sponsored)", "Impressions (total)",
                    "Unique impressions (organic)", "Clicks (organic)", "Clicks (sponsored)", "Clicks (total)"])
    for d, impressions in zip(daily["date"], daily["impressions"]):
        metrics.append([_us(d), int(impressions), 0, int(impressions), int(impressions * 0.7), 0, 0, 0])
    sheet = book.create_sheet("All posts")
    sheet.append(["Engagement metrics for individual posts. Created date indicates when your post was created. "
                  "All dates and times are in UTC."])
    sheet.append(["Post title", "Post link", "Post type", "Campaign name", "Posted by", "Created date",
                  "Campaign start date", "Campaign end date", "Audience", "Impressions", "Views", "Offsite Views",
                  "Clicks", "Click through rate (CTR)", "Likes", "Comments", "Reposts", "Follows", "Engagement rate",
                  "Content Type"])
    for p in posts.itertuples():
        impressions = int(p.impressions)
        sheet.append([p.text, p.url, "Organic", p.campaign or "", "Maja", f"{p.published_at:%m/%d/%Y}", "", "",
                      "All followers", impressions, int(p.video_views) if pd.notna(p.video_views) else "", 0,
                      int(p.clicks), round(int(p.clicks) / impressions, 4) if impressions else 0, int(p.reactions),
                      int(p.comments), int(p.shares), 0, 0, "Video" if p.format == "video" else ""])
    _save(book, path)


def _tiktok_zip(path: Path, posts: pd.DataFrame, daily: pd.DataFrame, downloaded: date) -> None:
    def day(d: date) -> str:
        return f"{d:%B} {d.day}"  # TikTok Studio writes no year

    overview = _csv_text(["Date", "Video Views", "Profile Views", "Likes", "Comments", "Shares", "New followers"],
                         [[day(r.date), _n(r.impressions), _n(r.profile_visits), 0, 0, 0,
                           int(r.follower_gains) - int(r.follower_losses)] for r in daily.itertuples()], quote_all=True)
    history = _csv_text(["Date", "Followers", "Difference in followers from previous day"],
                        [[day(r.date), _n(r.followers), int(r.follower_gains) - int(r.follower_losses)]
                         for r in daily.itertuples()], quote_all=True)
    content = _csv_text(["Time", "Video title", "Video link", "Post time", "Total likes", "Total comments",
                         "Total shares", "Total views"],
                        [["", p.text, p.url, f"{p.local_time:%Y-%m-%d %H:%M}", _n(p.reactions), _n(p.comments),
                          _n(p.shares), _n(p.impressions)] for p in posts.itertuples()], quote_all=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        for name, text in (("Overview.csv", overview), ("FollowerHistory.csv", history), ("Content.csv", content)):
            info = zipfile.ZipInfo(name, date_time=(downloaded.year, downloaded.month, downloaded.day, 9, 0, 0))
            archive.writestr(info, ("\ufeff" + text.rstrip("\n")).encode("utf-8"))


def _ga4(path: Path, web: pd.DataFrame, start: date, as_of: date) -> None:
    totals = web.assign(key=web["source"] + " / " + web["medium"]).groupby(["key", "date"], as_index=False)[
        ["sessions", "users", "conversions", "revenue"]].sum()
    rows = [[r.key, f"{r.date:%Y%m%d}", int(r.sessions), int(r.sessions * 0.7),
             round(0.7, 4), int(r.users), int(r.conversions), round(r.conversions / r.sessions, 4) if r.sessions else 0,
             f"{r.revenue:.2f}"] for r in totals.itertuples()]
    grand = ["Grand total", "", int(totals["sessions"].sum()), "", "", int(totals["users"].sum()),
             int(totals["conversions"].sum()), "", f"{totals['revenue'].sum():.2f}"]
    preamble = ("# ----------------------------------------\n# Traffic acquisition: Session source / medium\n"
                "# Account: Nordkaffe\n# Property: nordkaffe.se - GA4\n# ----------------------------------------\n"
                f"#\n# Start date: {start:%Y%m%d}\n# End date: {as_of:%Y%m%d}\n")
    header = ["Session source / medium", "Date", "Sessions", "Engaged sessions", "Engagement rate", "Total users",
              "Key events", "Session key event rate", "Total revenue"]
    _write(path, preamble + _csv_text(header, [grand] + rows))


def _ads(path: Path, ads: pd.DataFrame, start: date, as_of: date, french: bool) -> None:
    if french:  # a French Ads Manager: semicolons, decimal commas, narrow spaces in thousands
        header = ["Début des rapports", "Fin des rapports", "Nom de la campagne", "Identifiant de la campagne",
                  "Jour", "Montant dépensé (SEK)", "Impressions", "Couverture", "Clics sur un lien", "Achats",
                  "Valeur de conversion des achats"]

        def money(v):
            whole, cents = f"{v:,.2f}".split(".")
            return whole.replace(",", "\u202f") + "," + cents
    else:
        header = ["Reporting starts", "Reporting ends", "Campaign name", "Campaign ID", "Day", "Amount spent (SEK)",
                  "Impressions", "Reach", "Link clicks", "Purchases", "Purchases conversion value"]

        def money(v):
            return f"{v:.2f}"
    rows = [[f"{start:%Y-%m-%d}", f"{as_of:%Y-%m-%d}", a.campaign, f"120200000{sum(map(ord, a.campaign)):09d}",
             f"{a.date:%Y-%m-%d}", money(a.spend),
             _n(a.impressions), _n(a.reach), _n(a.clicks), _n(a.conversions), money(a.conversion_value)]
            for a in ads.itertuples()]
    _write(path, _csv_text(header, rows, delimiter=";" if french else ","))


def _mentions(path: Path, mentions: pd.DataFrame) -> None:
    header = ["Mention Id", "Published", "Query", "Author", "Snippet", "Sentiment", "Reach", "Source"]
    rows = [[m.mention_id, f"{m.date:%d/%m/%Y}", m.brand, m.author, m.text, m.sentiment.capitalize(), _n(m.reach),
             m.platform] for m in mentions.itertuples()]
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
    _write(path, _csv_text(["platform", "account", "date", "followers"],
                           [[r.platform, r.account, f"{r.date:%Y-%m-%d}", _n(r.followers)] for r in rows.itertuples()]),
           "utf-8")
