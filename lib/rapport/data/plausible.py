"""What rapport refuses because it cannot be true (README: What rapport refuses). Each rule
is stated once, here; the readers in sources/ apply them with the row and column at hand."""

from __future__ import annotations

from datetime import date, timedelta

MAX_COUNT = 10**12  # no post, page or campaign is seen, liked or clicked a trillion times
MAX_MONEY = 10**11  # nor spends or earns a hundred billion in a day
DOWNLOAD_SLACK = timedelta(days=1)  # a file's own date is a day in some zone; ours may be a day ahead
# the day each platform opened to the public: no figure of it can be older
LAUNCHED = {
    "linkedin": date(2003, 5, 5),
    "facebook": date(2004, 2, 4),
    "youtube": date(2005, 2, 14),
    "web": date(2005, 11, 14),
    "x": date(2006, 3, 21),
    "meta": date(2007, 11, 6),
    "instagram": date(2010, 10, 6),
    "tiktok": date(2016, 9, 1),
}
EARLIEST = min(LAUNCHED.values())  # for files that mix platforms (rapport's canonical CSV, a mapped export)


def earliest(platform: str | None) -> date:
    """The first day a figure of `platform` can be about."""
    return LAUNCHED.get(platform or "", EARLIEST)


def latest(downloaded: date) -> date:
    """The last day a file downloaded on `downloaded` can hold."""
    return downloaded + DOWNLOAD_SLACK
