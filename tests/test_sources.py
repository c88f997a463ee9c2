"""Each adapter against small files with the platforms' real headers (../shared/formats.md),
written here the way the platforms write them: encodings, BOMs, preambles, quoting."""

import csv
import io
import os
import tempfile
import zipfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import xlwt
from hypothesis import given, settings
from hypothesis import strategies as st

from rapport.config import Mapping
from rapport.data import sources
from rapport.data.sources.values import Hints, month_day, read_numbers, yearless


def read(path, timezone="Europe/Stockholm", mappings=()):
    return sources.read(path, sources.Context(path.name, timezone, path.parent.name.lower(), list(mappings)))


def encoded(text: str, encoding: str) -> bytes:
    """`text` in `encoding`; utf-16-bom and utf-16-be-bom: UTF-16 with its byte order mark."""
    if encoding.startswith("utf-16"):
        codec, bom = ("utf-16-le", b"\xff\xfe") if encoding == "utf-16-bom" else ("utf-16-be", b"\xfe\xff")
        return bom + text.encode(codec)
    return text.encode(encoding)


def write(path, text, encoding="utf-8-sig", mtime=None):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(encoded(text, encoding))
    if mtime:
        stamp = datetime.combine(mtime, datetime.min.time()).timestamp() + 12 * 3600
        os.utime(path, (stamp, stamp))
    return path


def rows(parsed, table):
    return parsed.tables[table].to_dict("records")


FB = (
    "Post ID,Page ID,Page name,Title,Description,Duration (sec),Publish time,Caption type,Permalink,Is crosspost,"
    "Is share,Post type,Languages,Custom labels,Funded content status,Data comment,Date,Views,Reach,"
    '"Reactions, Comments and Shares",Reactions,Comments,Shares,Total clicks,Other Clicks,Link Clicks\n'
    '1222333444555666_777888999000111,1222333444555666,Nordkaffe,,"New roast:\nplum & cocoa",,'
    "09/28/2026 18:12,N/A,https://www.facebook.com/1222333444555666/posts/777888999000111,0,0,Photos,,,,,"
    'Lifetime,"1,234",900,65,50,5,10,30,10,20\n'
    "1.22233E+15,1222333444555666,Nordkaffe,Reel title long enough,short,15,10/03/2026 07:05,N/A,"
    "https://www.facebook.com/reel/1222333444555666_123456789012345,0,0,Reels,,,,,Lifetime,500,400,12,10,1,1,,,\n"
)


def test_facebook_posts(tmp_path):
    parsed = read(write(tmp_path / "Aug-01-2025_Aug-31-2025_1039829308656930.csv", FB))
    first, second = rows(parsed, "posts")
    assert first["post_id"] == "1222333444555666_777888999000111"
    assert first["text"] == "New roast:\nplum & cocoa"  # the longer of Title and Description
    assert str(first["published_at"]) == "2026-09-28 16:12:00"  # 18:12 in Stockholm (CEST)
    assert (
        first["format"],
        first["impressions"],
        first["reach"],
        first["reactions"],
        first["comments"],
        first["shares"],
        first["clicks"],
    ) == ("image", 1234, 900, 50, 5, 10, 30)
    # an id Excel turned into 1.22233E+15 comes back from the permalink
    assert second["post_id"] == "1222333444555666_123456789012345" and second["format"] == "reel"
    assert second["text"] == "Reel title long enough" and pd.isna(second["clicks"])


IG = (
    '"Post ID","Account ID","Account username","Account name",Description,"Duration (sec)","Publish time",'
    'Permalink,"Post type","Data comment",Date,Views,Reach,Likes,Shares,Follows,Comments,Saves\n'
    '"18012345678901234","1784","nordkaffe","Nordkaffe","Latte art 101",0,"03/25/2026 22:00",'
    'https://www.instagram.com/reel/AbC123/,"IG reel",,Lifetime,5000,3000,400,20,3,12,30\n'
)


def test_instagram_posts(tmp_path):
    (post,) = rows(read(write(tmp_path / "ig.csv", IG)), "posts")
    assert post["platform"] == "instagram" and post["post_id"] == "18012345678901234"
    assert str(post["published_at"]) == "2026-03-25 21:00:00"  # CET before the DST change
    assert (post["format"], post["impressions"], post["reactions"], post["saves"], post["video_views"]) == (
        "reel",
        5000,
        400,
        30,
        5000,
    )
    assert "clicks" not in post  # Instagram's export has no clicks: it stays missing, not 0


def test_meta_page_metric_utf16_with_sep_line(tmp_path):
    text = 'sep=,\n"Facebook follows"\n"Date","Primary"\n"2025-08-01T00:00:00","20"\n"2025-08-02T00:00:00","7"\n'
    parsed = read(write(tmp_path / "Follows.csv", text, "utf-16-bom"))
    assert [(r["date"], r["follower_gains"]) for r in rows(parsed, "account_daily")] == [
        (date(2025, 8, 1), 20),
        (date(2025, 8, 2), 7),
    ]
    views = 'sep=,\n"Views"\n"Date","Primary"\n"2025-08-01T00:00:00","1500"\n'
    with pytest.raises(sources.BadFile, match="does not say whether it is Facebook or Instagram"):
        read(write(tmp_path / "Views.csv", views, "utf-16-bom"))
    parsed = read(write(tmp_path / "instagram" / "Views.csv", views, "utf-16-bom"))
    assert rows(parsed, "account_daily")[0]["platform"] == "instagram"


ADS = (
    "Reporting starts,Reporting ends,Campaign name,Campaign ID,Day,Ad set name,Amount spent (SEK),Impressions,"
    "Reach,Link clicks,Purchases,Purchases conversion value\n"
    '2026-10-01,2026-10-31,holiday-gift,120200000000000001,2026-10-05,Set A,"1,250.50",10000,7000,120,3,720\n'
    "2026-10-01,2026-10-31,holiday-gift,120200000000000001,2026-10-05,Set B,249.50,5000,3000,30,,\n"
)


def test_ads_manager_daily_rows_summed_per_campaign(tmp_path):
    (row,) = rows(read(write(tmp_path / "ads.csv", ADS)), "ads_daily")
    assert (
        row["date"],
        row["campaign"],
        row["spend"],
        row["impressions"],
        row["clicks"],
        row["conversions"],
        row["conversion_value"],
        row["currency"],
    ) == (date(2026, 10, 5), "holiday-gift", 1500.0, 15000, 150, 3.0, 720.0, "SEK")


def test_ads_manager_french_semicolons_and_period_totals(tmp_path):
    french = (
        "Début des rapports;Fin des rapports;Nom de la campagne;Jour;Montant dépensé (EUR);Impressions\n"
        '2026-10-01;2026-10-31;Noël;2026-10-02;"1 234,56";2000\n'
    )
    (row,) = rows(read(write(tmp_path / "fr.csv", french)), "ads_daily")
    assert (row["campaign"], row["spend"], row["currency"]) == ("Noël", 1234.56, "EUR")
    total = ADS.replace(",Day,", ",Week,")
    with pytest.raises(sources.BadFile, match=r"row 2: reports 2026-10-01 to 2026-10-31 as one total.*By time → Day"):
        read(write(tmp_path / "total.csv", total))


def linkedin_content(path, xls: bool):
    posts_header = [
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
    post = [
        "We are hiring\nbaristas",
        "https://www.linkedin.com/feed/update/urn:li:activity:7212345678901234567",
        "Sponsored",
        "hiring",
        "Maja",
        "07/30/2026",
        "",
        "",
        "All followers",
        1500,
        300,
        0,
        45,
        0.03,
        60,
        4,
        3,
        2,
        0.07,
        "Video",
    ]
    metrics_header = [
        "Date",
        "Impressions (organic)",
        "Impressions (sponsored)",
        "Impressions (total)",
        "Unique impressions (organic)",
    ]
    sheets = {
        "Metrics": [
            [
                "Aggregated engagement metrics for your organic and sponsored posts over time. All dates and times are in UTC."
            ],
            metrics_header,
            ["07/30/2026", 100, 50, 150, 80],
        ],
        "All posts": [["Engagement metrics for individual posts. All dates and times are in UTC."], posts_header, post],
    }
    if xls:
        book = xlwt.Workbook()
        for name, table in sheets.items():
            sheet = book.add_sheet(name)
            for r, row in enumerate(table):
                for col, value in enumerate(row):
                    sheet.write(r, col, value)
        book.save(str(path))
    else:
        book = openpyxl.Workbook()
        book.remove(book.active)
        for name, table in sheets.items():
            sheet = book.create_sheet(name)
            for row in table:
                sheet.append(row)
        book.save(path)
    return path


@pytest.mark.parametrize("xls", [True, False])
def test_linkedin_content_workbook(tmp_path, xls):
    path = linkedin_content(tmp_path / ("acme_content_1.xls" if xls else "acme_content_1.xlsx"), xls)
    parsed = read(path)
    (post,) = rows(parsed, "posts")
    assert post["post_id"] == "7212345678901234567"  # 19 digits, kept as text
    assert str(post["published_at"]) == "2026-07-30 00:00:00" and post["text"] == "We are hiring\nbaristas"
    assert (
        post["impressions"],
        post["reactions"],
        post["comments"],
        post["shares"],
        post["clicks"],
        post["video_views"],
        post["paid"],
        post["format"],
        post["campaign"],
    ) == (1500, 60, 4, 3, 45, 300, True, "video", "hiring")
    (day,) = rows(parsed, "account_daily")
    assert (day["date"], day["impressions"], day["reach"]) == (date(2026, 7, 30), 150, 80)


def test_linkedin_followers_workbook_with_excel_dates(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "New followers"
    sheet.append(["Date", "Sponsored followers", "Organic followers", "Auto-invited followers", "Total followers"])
    sheet.append([datetime(2026, 10, 1), 1, 5, 0, 6])
    book.save(tmp_path / "acme_followers_1.xlsx")
    (day,) = rows(read(tmp_path / "acme_followers_1.xlsx"), "account_daily")
    assert (day["platform"], day["date"], day["follower_gains"]) == ("linkedin", date(2026, 10, 1), 6)


LEGACY = (
    '"Tweet id","Tweet permalink","Tweet text","time","impressions","engagements","engagement rate",'
    '"retweets","replies","likes","user profile clicks","url clicks","hashtag clicks","detail expands",'
    '"permalink clicks","app opens","app installs","follows","email tweet","dial phone","media views",'
    '"media engagements","promoted impressions"\n'
    '"1432468945123456789","https://twitter.com/nk/status/1432468945123456789","Beans &amp; more\nsoon",'
    '"2021-08-31 19:53 +0000","89.0","7.0","0.0786","1.0","2.0","3.0","0.0","1.0","0.0","0.0","0.0","0","0",'
    '"0","0","0","0","0","-"\n'
)


def test_x_legacy_tweet_activity(tmp_path):
    (post,) = rows(
        read(write(tmp_path / "tweet_activity_metrics_nk_20210801_20210901_en.csv", LEGACY, "utf-8")), "posts"
    )
    assert post["post_id"] == "1432468945123456789" and post["text"] == "Beans & more\nsoon"
    assert str(post["published_at"]) == "2021-08-31 19:53:00"  # UTC as given
    assert (post["impressions"], post["shares"], post["comments"], post["reactions"], post["clicks"]) == (
        89,
        1,
        2,
        3,
        1,
    )


def test_x_new_content_and_overview(tmp_path):
    content = (
        "Post id,Date,Post text,Post Link,Impressions,Likes,Engagements,Bookmarks,Shares,New follows,"
        "Replies,Reposts,Profile visits,Detail Expands,URL Clicks,Hashtag Clicks,Permalink Clicks\n"
        '1950000000000000001,"Tue, Jul 14, 2026",Fresh roast,https://x.com/nk/status/1950000000000000001,'
        "1200,30,80,4,1,0,5,6,2,10,12,0,1\n"
        '1950000000000000002,"Tue, Jul 14, 2026",@someone thanks!,https://x.com/nk/status/1950000000000000002,'
        "40,1,2,0,0,0,0,0,0,0,0,0,0\n"
    )
    (post,) = rows(read(write(tmp_path / "account_analytics_content.csv", content, "utf-8")), "posts")
    assert (
        post["post_id"],
        post["impressions"],
        post["reactions"],
        post["comments"],
        post["shares"],
        post["saves"],
        post["clicks"],
    ) == ("1950000000000000001", 1200, 30, 5, 6, 4, 12)
    overview = (
        "Date,Impressions,Likes,Engagements,Bookmarks,Shares,New follows,Unfollows,Replies,Reposts,"
        'Profile visits,Create Post,Video views,Media views\n"Sat, Sep 6, 2025",3388,25,104,1,0,2,1,6,0,25,0,0,0\n'
    )
    (day,) = rows(read(write(tmp_path / "account_overview_analytics.csv", overview, "utf-8")), "account_daily")
    assert (day["date"], day["impressions"], day["follower_gains"], day["follower_losses"], day["profile_visits"]) == (
        date(2025, 9, 6),
        3388,
        2,
        1,
        25,
    )


def test_tiktok_studio_zip_with_yearless_dates(tmp_path):
    overview = (
        '"Date","Video Views","Profile Views","Likes","Comments","Shares","New followers"\n'
        '"December 30","100","5","10","1","0","3"\n"December 31","120","6","12","-1","1","-4"\n'
        '"January 1","90","4","8","0","0","2"'
    )
    history = (
        '"Date","Followers","Difference in followers from previous day"\n'
        '"December 31","5000","-4"\n"January 1","5002","2"'
    )
    content = (
        '"Time","Video title","Video link","Post time","Total likes","Total comments","Total shares","Total views"\n'
        '"","Latte art","https://www.tiktok.com/@nk/video/7301234567890123456","2026-12-30 09:00","50","3","2","900"'
    )
    path = tmp_path / "Overview_2026-12-02_1767312000_nk.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        for name, text in (("Overview.csv", overview), ("FollowerHistory.csv", history), ("Content.csv", content)):
            info = zipfile.ZipInfo(name, date_time=(2027, 1, 2, 8, 0, 0))  # downloaded on 2 January 2027
            archive.writestr(info, "\ufeff" + text)
    parsed = read(path)
    daily = parsed.tables["account_daily"].sort_values("date")  # the entries' rows merged per day
    assert list(daily["date"]) == [date(2026, 12, 30), date(2026, 12, 31), date(2027, 1, 1)]
    assert list(daily["impressions"]) == [100, 120, 90]
    assert [None if pd.isna(v) else v for v in daily["followers"]] == [None, 5000, 5002]
    assert list(daily["follower_gains"]) == [3, -4, 2]
    (post,) = rows(parsed, "posts")
    assert (post["post_id"], post["impressions"], str(post["published_at"])) == (
        "7301234567890123456",
        900,
        "2026-12-30 08:00:00",
    )


def test_tiktok_loose_csv_year_from_the_download_day(tmp_path):
    text = '"Date","Video Views","Profile Views","Likes","Comments","Shares"\n"28 апреля","10","1","1","0","0"'
    (day,) = rows(read(write(tmp_path / "Overview.csv", text, mtime=date(2026, 4, 29))), "account_daily")
    assert day["date"] == date(2026, 4, 28)


def test_youtube_table_data_drops_the_total_row(tmp_path):
    text = (
        "Content,Video title,Video publish time,Duration,Views,Watch time (hours),Subscribers,Likes,Comments added,"
        "Shares,Impressions,Impressions click-through rate (%)\n"
        "Total,,,,1500,40.5,12,80,9,4,20000,5.1\n"
        ' -e0JZNRR-QA,How we roast,"Aug 12, 2026",540,1000,30,10,60,7,3,15000,5.5\n'
        'xYz123AbC45,Latte in 30 s,"Sep 1, 2026",30,500,10.5,2,20,2,1,5000,4.2\n'
    )
    parsed = read(write(tmp_path / "Table data.csv", text, "utf-8", mtime=date(2026, 10, 2)))
    videos = rows(parsed, "posts")
    assert [(v["post_id"], v["format"], v["impressions"], v["reactions"], v["comments"]) for v in videos] == [
        ("-e0JZNRR-QA", "video", 1000, 60, 7),
        ("xYz123AbC45", "short", 500, 20, 2),
    ]
    assert parsed.as_of == date(2026, 10, 2)  # totals as of the download


GA4 = (
    "# ----------------------------------------\n# Traffic acquisition: Session source / medium\n"
    "# Account: Nordkaffe\n# Property: nordkaffe.se\n# ----------------------------------------\n#\n"
    "# Start date: 20261001\n# End date: 20261031\n"
    "Session source / medium,Date,Sessions,Engaged sessions,Engagement rate,Total users,Key events,"
    "Session key event rate,Total revenue\n"
    "instagram / social,20261001,120,80,0.66,100,3,0.025,720.5\n"
    'google / organic,20261001,"1,300",900,0.69,1100,20,0.015,4800\n'
    "Grand total,,1420,980,0.69,1200,23,0.016,5520.5\n"
    "\n# Date range: another table\nSession source / medium,Sessions\nx / y,1\n"
)


def test_ga4_traffic_acquisition_by_day(tmp_path):
    web = sorted(rows(read(write(tmp_path / "ga4.csv", GA4)), "web_daily"), key=lambda r: r["source"])
    assert [
        (r["date"], r["source"], r["medium"], r["sessions"], r["users"], r["conversions"], r["revenue"]) for r in web
    ] == [
        (date(2026, 10, 1), "google", "organic", 1300, 1100, 20.0, 4800.0),
        (date(2026, 10, 1), "instagram", "social", 120, 100, 3.0, 720.5),
    ]
    without_date = GA4.replace("Date,", "").replace("20261001,", "")
    with pytest.raises(sources.BadFile, match="without a Date column"):
        read(write(tmp_path / "totals.csv", without_date))


def test_mapped_mentions_export(tmp_path):
    mapping = Mapping(
        name="listening tool",
        table="mentions",
        detect=["Mention Id", "Sentiment"],
        columns={
            "mention_id": "Mention Id",
            "date": "Published",
            "brand": "Query",
            "text": "Snippet",
            "sentiment": "Sentiment",
            "reach": "Reach",
        },
        values={"platform": "x"},
        day_first=True,
        sentiment={"Pos": "positive", "Neg": "negative"},
    )
    text = (
        "Mention Id;Published;Query;Snippet;Sentiment;Reach\nm1;03/04/2026;Nordkaffe;Bitter!;Neg;1 200\n"
        "m2;05/04/2026;Bryggargatan;Nice;Pos;80\n"
    )
    parsed = read(write(tmp_path / "mentions.csv", text), mappings=[mapping])
    assert [
        (r["mention_id"], r["date"], r["brand"], r["sentiment"], r["reach"], r["platform"])
        for r in rows(parsed, "mentions")
    ] == [
        ("m1", date(2026, 4, 3), "Nordkaffe", "negative", 1200, "x"),
        ("m2", date(2026, 4, 5), "Bryggargatan", "positive", 80, "x"),
    ]


def test_unknown_and_binary_files_are_refused(tmp_path):
    for path in (write(tmp_path / "a.csv", "colour,size\nred,3\n"), write(tmp_path / "b.bin", "\x00\x01", "latin-1")):
        with pytest.raises(sources.BadFile, match="not an export format rapport knows"):
            read(path)


# --- any encoding, delimiter, number and date style -------------------------------------

# How an export writes its figures, by the locale of whoever saved it: (grouping, decimal mark)
NUMBER_STYLES = {
    "plain": ("", "."),
    "comma-decimal": ("", ","),
    "dot-grouping": (".", ","),
    "space-grouping": (" ", "."),
    "nbsp-grouping": ("\u00a0", ","),
    "comma-grouping": (",", "."),
}
DATE_STYLES = {"iso": "%Y-%m-%d", "us": "%m/%d/%Y", "european": "%d/%m/%Y", "text": "%b %-d, %Y"}
ENCODINGS = ["utf-8", "utf-8-sig", "utf-16-bom", "utf-16-be-bom", "cp1252"]
# 1234.50 on 13 October: written in any style, they settle its grouping and its day order
SETTLING = (Decimal("1234.50"), date(2026, 10, 13))


def written(amount: Decimal, style: str) -> str:
    """`amount` as an export in `style` writes it, grouped by thousands: 1.234,50 or 1 234.50."""
    grouping, mark = NUMBER_STYLES[style]
    whole, _, cents = f"{amount:f}".partition(".")
    return f"{int(whole):,}".replace(",", grouping) + (mark + cents if cents else "")


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize("numbers", list(NUMBER_STYLES))
@settings(max_examples=12, deadline=None)
@given(
    delimiter=st.sampled_from([",", ";", "\t"]),
    dates=st.sampled_from(list(DATE_STYLES)),
    days=st.lists(st.dates(date(2008, 1, 1), date(2026, 11, 30)), max_size=6, unique=True),  # Meta Ads to today
    amounts=st.lists(st.decimals(0, 10**7, places=2) | st.integers(0, 10**7).map(Decimal), min_size=6, max_size=6),
)
def test_any_encoding_delimiter_number_and_date_style_is_read_back_exactly(
    encoding, delimiter, numbers, dates, days, amounts
):
    """An ads export saved in any encoding with any delimiter, its figures in any grouping
    and its days in any order (one day past the 12th and one figure with thousands and cents
    settle which), is read back exactly: every day, every amount, the campaign's å."""
    days = [d for d in days if d != SETTLING[1]]
    truth = [SETTLING, *zip(amounts, days)]
    cells = [["Reporting starts", "Reporting ends", "Campaign name", "Day", "Amount spent (EUR)", "Impressions"]]
    for amount, day in truth:
        shown = day.strftime(DATE_STYLES[dates])
        cells.append([shown, shown, "Kampanj å", shown, written(amount, numbers), "1000"])
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(cells)  # quotes as exporters do
    with tempfile.TemporaryDirectory() as folder:
        path = write(Path(folder) / "export.csv", buffer.getvalue(), encoding)
        got = sorted(rows(read(path), "ads_daily"), key=lambda r: r["date"])
    assert [(r["date"], r["spend"], r["campaign"]) for r in got] == [
        (day, float(amount), "Kampanj å") for amount, day in sorted(truth, key=lambda t: t[1])
    ]


@pytest.mark.parametrize(
    "values, delimiter, expected",
    [
        (["1,234", "5"], ",", [1234.0, 5.0]),
        (["1.234,5"], "", [1234.5]),
        (["1,234.5"], "", [1234.5]),
        (["3,5"], "", [3.5]),
        (["12 345"], "", [12345.0]),
        (["-4"], "", [-4.0]),
        (["", "7"], "", [None, 7.0]),
        (["1.234", "12.345"], ";", [1234.0, 12345.0]),  # a German or Dutch Excel: '.' groups thousands
        (["1,234"], ";", [1.234]),
        (["1.234"], ",", [1.234]),  # the delimiter tells the decimal mark
        (["1’234.5"], "", [1234.5]),
        (["−5,5"], "", [-5.5]),  # de_CH grouping, Babel's minus
    ],
)
def test_numbers(values, delimiter, expected):
    got = read_numbers(pd.Series(values, dtype=object), Hints(delimiter))
    assert got.problem is None and [None if pd.isna(v) else v for v in got.values] == expected


@pytest.mark.parametrize("values", [["1.234"], ["1,234", "5,678"], ["1.234", "5,678"], ["1,5", "2.5"]])
def test_numbers_that_cannot_be_told_apart_are_refused(values):
    assert read_numbers(pd.Series(values, dtype=object), Hints("\t")).problem is not None


def test_yearless_dates_walk_back_over_new_year():
    assert yearless(["December 31", "January 1", "28 мая"], date(2027, 5, 28)) == [
        date(2026, 12, 31),
        date(2027, 1, 1),
        date(2027, 5, 28),
    ]
    assert month_day("9月13日") == (9, 13) and month_day("13 septembre") == (9, 13) and month_day("Sep 13") == (9, 13)


def test_youtube_chart_data_summed_per_day(tmp_path):
    text = (
        "Date,Content,Video title,Video publish time,Duration,Views\n"
        '2026-10-01,abc,One,"Aug 12, 2026",540,10\n2026-10-01,def,Two,"Sep 1, 2026",30,5\n'
        '2026-10-02,abc,One,"Aug 12, 2026",540,7\n'
    )
    daily = rows(read(write(tmp_path / "Chart data.csv", text, "utf-8")), "account_daily")
    assert [(d["date"], d["impressions"]) for d in daily] == [(date(2026, 10, 1), 15), (date(2026, 10, 2), 7)]


def test_legacy_facebook_insights_drops_the_description_row(tmp_path):
    text = (
        '"Post ID",Permalink,"Post Message",Type,Countries,Languages,Posted,"Audience Targeting",'
        '"Lifetime Post Total Reach","Lifetime Post organic reach","Lifetime Post Total Impressions",'
        '"Lifetime Post Total Impressions","Lifetime Talking About This (Post) by action type - comment",'
        '"Lifetime Talking About This (Post) by action type - like",'
        '"Lifetime Talking About This (Post) by action type - share"\n'
        ',,,,,,,,"Lifetime: The total number of people your Page post was served to. (Unique Users)",x,'
        '"(Total Count)","(Unique Users)",a,b,c\n'
        "1605839243031680_1867404650208470,https://www.facebook.com/x/posts/1867404650208470,Hello,Photo,,,"
        '"01/19/2017 09:03:47 AM"," ",120,100,300,250,2,10,1\n'
    )
    (post,) = rows(
        read(write(tmp_path / "Facebook Insights Data Export (Post Level) - X - 2017-01-19.csv", text)), "posts"
    )
    assert (
        post["post_id"],
        str(post["published_at"]),
        post["reach"],
        post["impressions"],
        post["reactions"],
        post["comments"],
        post["shares"],
        post["format"],
    ) == ("1605839243031680_1867404650208470", "2017-01-19 08:03:47", 120, 300, 10, 2, 1, "image")


def test_excel_serial_dates(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "New followers"
    sheet.append(["Date", "Total followers"])
    sheet.append([46296, 6])  # 2026-10-01 as Excel's day number, not formatted as a date
    book.save(tmp_path / "followers.xlsx")
    (day,) = rows(read(tmp_path / "followers.xlsx"), "account_daily")
    assert day["date"] == date(2026, 10, 1)
