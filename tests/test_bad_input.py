"""A corpus of what users really drop into raw/ (README: What rapport refuses). Each case runs
`rapport ingest` as a user would: a file that cannot be read for sure is refused in one line
naming the file (and the row and column where there is one) with what to do, exit 1, no
traceback, and the warehouse byte for byte as it was; a file that can be read is imported
with exactly the figures it holds."""

import csv
import hashlib
import io
import os
import shutil
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pytest

from rapport import cli

TODAY_FILE = "2026-10-20"  # files are dated (mtime) the day after their last row, as a download is


@dataclass(frozen=True)
class Format:
    """An export format, its rows as the platform writes them: row(i) -> {column: text}."""

    name: str
    table: str
    key: str  # the canonical key column that tells rows apart
    count: tuple[str, str]  # (the file's column, canonical column) of a count
    date: str  # the file's date column
    text: str | None  # a text column (canonical "text"), if any
    header: list[str]
    row: object
    day: object  # i -> the date as the format writes it
    key_of: object  # i -> the canonical key value
    extra: dict = field(default_factory=dict)


def fb_row(i):
    return {
        "Post ID": f"1_{100 + i}",
        "Page ID": "1",
        "Page name": "Acme",
        "Title": f"Post {i}",
        "Description": "",
        "Publish time": f"10/{i + 1:02d}/2026 09:00",
        "Permalink": f"https://www.facebook.com/1/posts/{100 + i}",
        "Post type": "Photos",
        "Date": "Lifetime",
        "Views": str(1000 + i),
        "Reach": "900",
        "Reactions": "50",
        "Comments": "5",
        "Shares": "2",
    }


def ig_row(i):
    return {
        "Post ID": f"1801{i:013d}",
        "Account ID": "1",
        "Account username": "acme",
        "Account name": "Acme",
        "Description": f"Post {i}",
        "Publish time": f"10/{i + 1:02d}/2026 09:00",
        "Permalink": f"https://www.instagram.com/p/A{i}/",
        "Post type": "IG image",
        "Date": "Lifetime",
        "Views": str(1000 + i),
        "Reach": "800",
        "Likes": "40",
        "Shares": "1",
        "Comments": "3",
        "Saves": "2",
    }


def x_row(i):
    return {
        "Post id": f"195000000000000{i:04d}",
        "Date": f"Thu, Oct {i + 1}, 2026",
        "Post text": f"Post {i}",
        "Post Link": f"https://x.com/acme/status/195000000000000{i:04d}",
        "Impressions": str(1000 + i),
        "Likes": "7",
        "Replies": "1",
        "Reposts": "2",
        "Bookmarks": "0",
        "URL Clicks": "3",
    }


def ads_row(i):
    day = f"2026-10-{i + 1:02d}"
    return {
        "Reporting starts": day,
        "Reporting ends": day,
        "Campaign name": f"Post {i}",
        "Day": day,
        "Amount spent (EUR)": "12.5",
        "Impressions": str(1000 + i),
    }


def canonical_row(i):
    return {
        "platform": "instagram",
        "post_id": f"p{i}",
        "published_at": f"2026-10-{i + 1:02d}T09:00:00",
        "text": f"Post {i}",
        "impressions": str(1000 + i),
        "reactions": "10",
    }


FORMATS = [
    Format(
        "meta-facebook",
        "posts",
        "post_id",
        ("Views", "impressions"),
        "Publish time",
        "Title",
        list(fb_row(0)),
        fb_row,
        lambda i: f"10/{i + 1:02d}/2026 09:00",
        lambda i: f"1_{100 + i}",
    ),
    Format(
        "meta-instagram",
        "posts",
        "post_id",
        ("Views", "impressions"),
        "Publish time",
        "Description",
        list(ig_row(0)),
        ig_row,
        lambda i: f"10/{i + 1:02d}/2026 09:00",
        lambda i: f"1801{i:013d}",
    ),
    Format(
        "x-content",
        "posts",
        "post_id",
        ("Impressions", "impressions"),
        "Date",
        "Post text",
        list(x_row(0)),
        x_row,
        lambda i: f"Thu, Oct {i + 1}, 2026",
        lambda i: f"195000000000000{i:04d}",
    ),
    Format(
        "ads-manager",
        "ads_daily",
        "campaign",
        ("Impressions", "impressions"),
        "Day",
        "Campaign name",
        list(ads_row(0)),
        ads_row,
        lambda i: f"2026-10-{i + 1:02d}",
        lambda i: f"Post {i}",
    ),
    Format(
        "canonical-posts",
        "posts",
        "post_id",
        ("impressions", "impressions"),
        "published_at",
        "text",
        list(canonical_row(0)),
        canonical_row,
        lambda i: f"2026-10-{i + 1:02d}T09:00:00",
        lambda i: f"p{i}",
    ),
]
FAR_DATES = {  # (after the download, before the platform existed), as each format writes dates
    "meta-facebook": ("10/02/2031 09:00", "10/02/1970 09:00"),
    "meta-instagram": ("10/02/2031 09:00", "10/02/2009 09:00"),
    "x-content": ("Thu, Oct 2, 2031", "Fri, Oct 2, 1970"),
    "ads-manager": ("2031-10-02", "2006-10-02"),
    "canonical-posts": ("2031-10-02T09:00:00", "1970-10-02T09:00:00"),
}


def csv_text(header, rows, delimiter=","):
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows([header] + rows)
    return buffer.getvalue()


def good_rows(fmt, n=3, **change):
    """n rows as dicts; change: {row index: {column: text}}."""
    rows = [fmt.row(i) for i in range(n)]
    for index, cells in change.get("cells", {}).items():
        rows[index].update(cells)
    return rows


def as_lists(fmt, rows):
    return [[r.get(c, "") for c in fmt.header] for r in rows]


# --- the cases: (id, format, bytes of the file, expected) ------------------------------------
# expected: ("refused", words the one line must hold) or ("imported", {key: (count, text)})


def cases():
    out = []
    for fmt in FORMATS:
        count_col = fmt.count[0]

        def refused(kind, data, *words, fmt=fmt):
            out.append(pytest.param(fmt, data, ("refused", words), id=f"{fmt.name}-{kind}"))

        def imported(kind, data, figures, fmt=fmt):
            out.append(pytest.param(fmt, data, ("imported", figures), id=f"{fmt.name}-{kind}"))

        good = csv_text(fmt.header, as_lists(fmt, good_rows(fmt)))
        expected = {fmt.key_of(i): (1000 + i, f"Post {i}") for i in range(3)}
        refused("empty", b"", "not an export format rapport knows")
        refused("bom-only", b"\xef\xbb\xbf", "not an export format rapport knows")
        refused("nul-bytes", good.encode()[:40] + b"\x00\x00\x00" + good.encode()[40:], "not an export format")
        refused("cut-in-quotes", (good + f'"{fmt.key_of(9)}","unfinished').encode(), "cut off", "download")
        refused("short-last-row", (good + ",".join(fmt.row(3).values()).rsplit(",", 3)[0] + "\r\n").encode(), "cut off")
        refused(
            "repeated-header",
            csv_text(
                fmt.header, as_lists(fmt, good_rows(fmt)[:1]) + [fmt.header] + as_lists(fmt, good_rows(fmt)[1:])
            ).encode(),
            "row 3: column",
        )
        for kind, value, words in (
            ("negative-count", "-3", "is negative"),
            ("scientific-count", "1e30", "scientific notation"),
            ("not-a-number", "12x", "is not a number"),
            ("arabic-indic-digits", "\u0661\u0662", "is not a number"),  # pandas read them as missing
        ):
            rows = good_rows(fmt, cells={1: {count_col: value}})
            refused(kind, csv_text(fmt.header, as_lists(fmt, rows)).encode(), f"row 3: column {count_col}", words)
        future, ancient = FAR_DATES[fmt.name]
        refused(
            "date-2031",
            csv_text(fmt.header, as_lists(fmt, good_rows(fmt, cells={2: {fmt.date: future}}))).encode(),
            f"row 4: column {fmt.date}",
            "after the file was downloaded",
        )
        refused(
            "date-before-launch",
            csv_text(fmt.header, as_lists(fmt, good_rows(fmt, cells={0: {fmt.date: ancient}}))).encode(),
            f"row 2: column {fmt.date}",
            "the platform's launch",
        )
        german = good_rows(fmt, cells={0: {count_col: "1.234"}, 1: {count_col: "12.345"}})
        for row in german:  # and its decimals with a comma, as German Excel writes them
            row.update({c: v.replace(".", ",") for c, v in row.items() if c.startswith("Amount spent")})
        imported(
            "german-excel",
            csv_text(fmt.header, as_lists(fmt, german), ";").encode("utf-8-sig"),
            {**expected, fmt.key_of(0): (1234, "Post 0"), fmt.key_of(1): (12345, "Post 1")},
        )
        us_in_semicolons = good_rows(fmt, cells={0: {count_col: "1,234"}})
        for row in us_in_semicolons:  # no other figure in the file says which mark is decimal
            row.update({c: "12" for c in row if c.startswith("Amount spent")})
        refused(
            "ambiguous-count",
            csv_text(fmt.header, as_lists(fmt, us_in_semicolons), ";").encode(),
            f"row 2: column {count_col}",
            "could be a whole number or a fraction",
        )
        extra = csv_text(fmt.header + ["Something new"], [r + ["x"] for r in as_lists(fmt, good_rows(fmt))]).encode()
        if fmt.name.startswith("canonical"):  # rapport's own CSV names columns of one table, nothing else
            refused("extra-columns", extra, "not an export format")
        else:
            imported("extra-columns", extra, expected)
        reordered = list(reversed(fmt.header))
        imported(
            "reordered-columns",
            csv_text(reordered, [[r[c] if c in r else "" for c in reordered] for r in good_rows(fmt)]).encode(),
            expected,
        )
        imported("utf-16", "\ufeff".encode("utf-16-le") + good.encode("utf-16-le"), expected)
        if fmt.text:
            for kind, words, encoding in (
                ("cp1251-bulgarian", "Есенна промоция за кафе", "cp1251"),
                ("cp1252-swedish", "Höstens kaffe på Söder", "cp1252"),
                ("mac-roman-french", "Café très apprécié à Montréal", "mac_roman"),
                ("long-text", "fika " * 20000, "utf-8"),
                ("quoted-newline", "first line\nsecond, with a comma", "utf-8"),
            ):
                rows = good_rows(fmt, cells={1: {fmt.text: words}})
                figures = dict(expected)
                figures[fmt.key_of(1)] = (1001, words.strip() if kind != "quoted-newline" else words)
                if fmt.name == "ads-manager":
                    figures = {(words.strip() if k == "Post 1" else k): v for k, v in figures.items()}
                imported(kind, csv_text(fmt.header, as_lists(fmt, rows)).encode(encoding), figures)
        mixed = good_rows(fmt, cells={2: {fmt.date: "2026-10-03 09:00" if "/" in fmt.day(0) else "03/10/2026"}})
        refused("mixed-date-formats", csv_text(fmt.header, as_lists(fmt, mixed)).encode(), "is not a date")
    return out


def other_cases():
    """Files that are not what their name says, archives, links."""
    html = b"<!DOCTYPE html><html><body><table><tr><td>Views</td></tr></table></body></html>"
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
    fake_zip = io.BytesIO()
    with zipfile.ZipFile(fake_zip, "w") as archive:
        archive.writestr("notes.txt", "hello")
    return [
        pytest.param("page.csv", html, ("refused", ("not an export format",)), id="html-renamed-csv"),
        pytest.param("image.csv", png, ("refused", ("not an export format",)), id="png-renamed-csv"),
        pytest.param("image.xlsx", png, ("refused", ("not an export format",)), id="png-renamed-xlsx"),
        pytest.param(
            "archive.xlsx", fake_zip.getvalue(), ("refused", ("not an export format",)), id="zip-renamed-xlsx"
        ),
        pytest.param(
            "archive.zip",
            fake_zip.getvalue(),
            ("refused", ("a zip without any CSV rapport knows",)),
            id="zip-without-exports",
        ),
        pytest.param(
            "broken.zip",
            fake_zip.getvalue()[:30],
            ("refused", ("damaged zip", "download it again")),
            id="zip-truncated",
        ),
        pytest.param(
            "gibberish.csv", bytes(range(128, 256)) * 30, ("refused", ("encoding",)), id="no-encoding-reads-it"
        ),
        pytest.param("Thumbs.db", png, ("ignored", ()), id="system-file-ignored"),
    ]


# --- running them -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    """A client with a warehouse already holding one good import."""
    root = tmp_path_factory.mktemp("bad-input")
    (root / "params").mkdir()
    (root / "params" / "acme.yaml").write_text("name: Acme\ntimezone: Europe/Stockholm\n")
    raw = root / "data" / "acme" / "raw"
    raw.mkdir(parents=True)
    (raw / "first.csv").write_text("platform,post_id,published_at,impressions\nx,seed,2026-09-01T10:00:00,5\n")
    assert run(root) == (0, "")
    return root


def run(root: Path) -> tuple[int, str]:
    """`rapport ingest acme` in `root`, in this process: (exit status, what it printed on stderr)."""
    old = os.environ.get("RAPPORT_ROOT")
    os.environ["RAPPORT_ROOT"] = str(root)
    errors = io.StringIO()
    try:
        from contextlib import redirect_stderr, redirect_stdout

        with redirect_stderr(errors), redirect_stdout(io.StringIO()):
            status = cli.main(["ingest", "acme"])
    finally:
        if old is None:
            os.environ.pop("RAPPORT_ROOT")
        else:
            os.environ["RAPPORT_ROOT"] = old
    return status, errors.getvalue()


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def workspace_with(base: Path, tmp_path: Path, name: str, data: bytes) -> Path:
    root = tmp_path / "ws"
    shutil.copytree(base, root)
    target = root / "data" / "acme" / "raw" / name
    target.write_bytes(data)
    stamp = __import__("datetime").datetime.fromisoformat(TODAY_FILE).timestamp()
    os.utime(target, (stamp, stamp))
    return root


def check(root: Path, name: str, expected, table=None, key=None):
    warehouse = root / "data" / "acme" / "warehouse.duckdb"
    before = digest(warehouse)
    status, stderr = run(root)
    assert "Traceback" not in stderr
    outcome, detail = expected
    if outcome in ("refused", "ignored"):
        lines = stderr.strip().splitlines()
        if outcome == "ignored":
            assert (status, lines) == (0, [])
        else:
            assert status == 1 and len(lines) == 1, stderr
            assert lines[0].startswith(f"rapport: rejected: data/acme/raw/{name}:"), lines[0]
            for words in detail:
                assert words in lines[0], lines[0]
        assert digest(warehouse) == before  # nothing written
        return
    assert (status, stderr) == (0, ""), stderr
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        rows = con.execute(
            f"SELECT {key}, impressions{', text' if table == 'posts' else ''} FROM {table} WHERE source_file = ?",
            [f"data/acme/raw/{name}"],
        ).fetchall()
    finally:
        con.close()
    got = {row[0]: (row[1], row[2] if table == "posts" else row[0]) for row in rows}
    assert got == detail


@pytest.mark.parametrize("fmt, data, expected", cases())
def test_exports_users_drop_in(base, tmp_path, fmt, data, expected):
    name = f"{fmt.name}.csv"
    check(workspace_with(base, tmp_path, name, data), name, expected, fmt.table, fmt.key)


@pytest.mark.parametrize("name, data, expected", other_cases())
def test_files_that_are_not_what_they_seem(base, tmp_path, name, data, expected):
    check(workspace_with(base, tmp_path, name, data), name, expected)


def test_a_link_out_of_the_raw_folder_is_refused(base, tmp_path):
    secret = tmp_path / "secret.csv"
    secret.write_text("platform,post_id,published_at,impressions\nx,leak,2026-09-02T10:00:00,5\n")
    root = workspace_with(base, tmp_path, "placeholder.csv", b"")
    (root / "data" / "acme" / "raw" / "placeholder.csv").unlink()
    (root / "data" / "acme" / "raw" / "link.csv").symlink_to(secret)
    check(root, "link.csv", ("refused", ("a link to a file outside raw/",)))


def test_a_zip_entry_named_with_dot_dot_is_read_in_place_never_extracted(base, tmp_path):
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as archive:
        archive.writestr("../../escaped.csv", "platform,post_id,published_at,impressions\nx,z1,2026-09-03T10:00:00,7\n")
    root = workspace_with(base, tmp_path, "export.zip", data.getvalue())
    status, stderr = run(root)
    assert (status, stderr) == (0, "")
    assert not (root / "data" / "escaped.csv").exists() and not (root / "escaped.csv").exists()
