"""`rapport report demo` in a fresh workspace, as a consultant runs it, checked from outside:
the files it writes, what the HTML shows, and figures recomputed here from the demo's truth
(which reaches the reports only through the platforms' native export formats)."""

import json
import re
from datetime import timedelta
from html.parser import HTMLParser

import pandas as pd
import pytest

from rapport import catalog, demo, periods

import pages
from conftest import LANGUAGES, REPORTS, language_outputs, outputs, rapport


@pytest.fixture
def run(demo_reports):
    return demo_reports


def test_five_html_and_five_json(run):
    root, result, month = run
    for report, stem in outputs(root, month).items():
        assert stem.with_suffix(".html").stat().st_size > 10_000, report
        assert json.loads(stem.with_suffix(".json").read_text())["report"] == report
        assert stem.with_suffix(".ipynb").exists()
    assert result.stdout.count(" s  outputs/demo/") == 5  # one progress line per notebook
    assert "5 built, 0 failed" in result.stdout
    index = (root / "outputs" / "index.html").read_text()
    for stem in outputs(root, month).values():
        assert f'href="{stem.relative_to(root / "outputs").with_suffix(".html")}"' in index


class Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.scripts, self.title, self._in_title, self.classes, self.text = [], "", False, [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script":
            self.scripts.append(attrs)
        if tag == "title":
            self._in_title = True
        self.classes += (attrs.get("class") or "").split()

    def handle_endtag(self, tag):
        self._in_title = False if tag == "title" else self._in_title

    def handle_data(self, data):
        if self._in_title:
            self.title += data
        self.text.append(data)


@pytest.mark.parametrize("report", REPORTS)
def test_html_is_self_contained_and_shows_no_code(run, report):
    root, _, month = run
    html = outputs(root, month)[report].with_suffix(".html").read_text()
    page = Page()
    page.feed(html)
    assert [s for s in page.scripts if s.get("src")] == []
    # nothing is loaded from another host; only links a reader may follow (a post on its
    # platform) point outside, and they open in a new page
    assert not re.search(r"""src=["']?(https?:)?//""", html)
    assert not re.search(r"""<link[^>]*href=["']?(https?:)?//""", html)
    outward = re.findall(r"""<a [^>]*href=["']?(?:https?:)?//[^>]*>""", html)
    assert all('rel="noopener noreferrer"' in a for a in outward)
    assert "jp-InputArea" not in page.classes and "jp-InputPrompt" not in page.classes
    text = "".join(page.text)
    for code in ("import rapport", "open_report(", "r.save(", "output_dir"):
        assert code not in text
    title = {
        "audit": "Audit",
        "goals": "Goals and OKRs",
        "monthly": "Monthly report",
        "activity": "Activity report",
        "exceptions": "Exception report",
    }[report]
    assert page.title.startswith(f"Nordkaffe · {title} · ")
    assert "<img" in html and 'src="data:image/png;base64,' in html
    assert "Traceback" not in text and "Warning" not in text


def truth(month):
    """The demo's own record of what happened (rapport.demo.model), which the native exports
    show and the importers and metrics must reproduce."""
    return demo.model(periods.for_report("monthly", month))


def expected_kpis(month, of: str | None = None):
    """The KPIs of `of` (default: `month` itself) from the truth of the demo written up to `month`."""
    start = pd.Period(of or month).start_time.date()
    end = pd.Period(of or month).end_time.date()
    model = truth(month)
    posts = model.latest_posts()
    posts = posts[(posts["local_date"] >= start) & (posts["local_date"] <= end)].copy()
    posts["engagements"] = posts[["reactions", "comments", "shares", "saves"]].fillna(0).sum(axis=1)
    daily = model.account_daily
    followers_end = daily[daily["date"] == end].groupby("platform")["followers"].sum()
    followers_start = daily[daily["date"] == start - timedelta(days=1)].groupby("platform")["followers"].sum()
    out = {}
    for platform, rows in list(posts.groupby("platform")) + [("all", posts)]:
        with_clicks = rows[rows["clicks"].notna()]
        followers = followers_end.sum() if platform == "all" else followers_end[platform]
        before = followers_start.sum() if platform == "all" else followers_start[platform]
        out[platform] = {
            "posts": len(rows),
            "impressions": int(rows["impressions"].sum()),
            "engagements": int(rows["engagements"].sum()),
            "engagement_rate": rows["engagements"].sum() / rows["impressions"].sum(),
            "clicks": int(with_clicks["clicks"].sum()) if len(with_clicks) else None,
            "ctr": with_clicks["clicks"].sum() / with_clicks["impressions"].sum() if len(with_clicks) else None,
            "followers": int(followers),
            "follower_growth": int(followers - before),
        }
    return out


def test_monthly_json_equals_the_demo_truth_through_the_native_exports(run):
    root, _, month = run
    figures = json.loads(outputs(root, month)["monthly"].with_suffix(".json").read_text())
    expected = expected_kpis(month)
    assert set(figures["kpis"]) == set(expected)
    for platform, values in expected.items():
        for metric, value in values.items():
            got = figures["kpis"][platform][metric]
            assert got == (pytest.approx(value) if value is not None else None), (platform, metric)
    assert figures["period"] == {
        "label": month,
        "start": f"{month}-01",
        "end": pd.Period(month).end_time.date().isoformat(),
    }
    assert len(figures["inputs"]) >= 250 and all(len(i["sha256"]) == 64 for i in figures["inputs"])
    formats = {i["format"] for i in figures["inputs"]}
    for name in (
        "Meta Business Suite: Facebook posts",
        "Meta Business Suite: Instagram posts",
        "LinkedIn Page: content",
        "GA4: traffic acquisition by day",
        "Meta Ads Manager (daily)",
        "mapped: listening tool mentions",
    ):
        assert name in formats


def test_monthly_tiles_and_table_show_the_json_figures(run):
    root, _, month = run
    stem = outputs(root, month)["monthly"]
    html = stem.with_suffix(".html").read_text()
    figures = json.loads(stem.with_suffix(".json").read_text())["kpis"]
    page = pages.read(html)
    tiles = page.tiles
    assert set(tiles) == {
        "posts",
        "impressions",
        "engagements",
        "engagement_rate",
        "clicks",
        "followers",
        "follower_growth",
    }
    for metric, shown in tiles.items():
        value = figures["all"][metric]
        if metric == "engagement_rate":
            assert shown == f"{value * 100:.1f}%"
        else:
            assert int(shown.replace(",", "")) == value, metric
    cells = page.cells["instagram"]
    assert int(cells["impressions"].replace(",", "")) == figures["instagram"]["impressions"]
    assert cells["clicks"] == "–"  # Instagram's post export has no clicks: unavailable, not 0


def test_activity_report_covers_the_months_last_14_days(run):
    root, _, month = run
    figures = json.loads(outputs(root, month)["activity"].with_suffix(".json").read_text())
    end = pd.Period(month).end_time.date()
    assert figures["period"]["start"] == (end - timedelta(days=13)).isoformat()
    posts = truth(month).posts
    in_window = posts[(posts["local_date"] >= end - timedelta(days=13)) & (posts["local_date"] <= end)]
    assert sorted(p["post_id"] for p in figures["posts"]) == sorted(in_window["post_id"])


def test_provenance_footer_names_params_and_inputs(run):
    root, _, month = run
    html = outputs(root, month)["goals"].with_suffix(".html").read_text()
    import hashlib

    digest = hashlib.sha256((root / "params" / "demo.yaml").read_bytes()).hexdigest()
    assert f"sha256:{digest[:12]}" in html
    assert "data/demo/raw/" in html and "rapport version 0.1.0" in html


def test_a_second_run_imports_nothing_and_changes_no_figure(run):
    root, _, month = run
    stem = outputs(root, month)["monthly"]
    before = json.loads(stem.with_suffix(".json").read_text())
    again = rapport("report", "demo", "--report", "monthly", root=root, check=True)
    assert "ingest: 0 imported" in again.stdout
    after = json.loads(stem.with_suffix(".json").read_text())
    assert after["kpis"] == before["kpis"] and after["inputs"] == before["inputs"]


def test_audit_json_equals_the_demo_truth_over_the_quarter(run):
    root, _, month = run
    audit = json.loads(outputs(root, month)["audit"].with_suffix(".json").read_text())
    end = pd.Period(month).end_time.date()
    start = (pd.Period(month) - 2).start_time.date()
    assert (audit["period"]["start"], audit["period"]["end"]) == (start.isoformat(), end.isoformat())
    posts = truth(month).latest_posts()
    posts = posts[(posts["local_date"] >= start) & (posts["local_date"] <= end)].copy()
    days = (end - start).days + 1
    assert audit["baseline"]["all"]["posts"] == len(posts)
    assert audit["baseline"]["all"]["posts_per_week"] == pytest.approx(len(posts) * 7 / days)
    for platform, rows in posts.groupby("platform"):
        assert audit["baseline"][platform]["posts"] == len(rows)
    # best posts: engagement rate among posts seen at least the median number of times
    posts["engagements"] = posts[["reactions", "comments", "shares", "saves"]].fillna(0).sum(axis=1)
    posts["rate"] = posts["engagements"] / posts["impressions"]
    floor = posts["impressions"].median()
    best = posts[posts["impressions"] >= floor].sort_values(["rate", "published_at"], ascending=[False, False])
    assert [p["post_id"] for p in audit["top_posts"]] == list(best["post_id"].head(5))
    assert [p["post_id"] for p in audit["bottom_posts"]] == list(
        best.sort_values(["rate", "published_at"], ascending=[True, False])["post_id"].head(5)
    )
    strengths = [p["key"] for p in audit["swot"]["strengths"]]
    assert (
        "swot.best_channel" in strengths
        and audit["swot"]["opportunities"][0]["text"] == "Gift subscriptions before the holidays"
    )


def expected_posts_per_activity(model, window: pd.DataFrame, end) -> dict:
    """From the demo's truth: each activity's posts (by its campaign tag, else its channel's
    posts from its start to its due day), counted up to the report's last day."""
    posts = model.latest_posts()
    posts = posts[posts["local_date"] <= end]
    out = {}
    for activity in window.to_dict("records"):
        tag = activity["campaign"]
        if isinstance(tag, str) and tag:
            first = min(window["start"].min(), end - timedelta(days=13))
            mine = posts[(posts["campaign"] == tag) & (posts["local_date"] >= first)]
            rule = "campaign"
        else:
            mine = posts[
                (posts["platform"] == activity["channel"])
                & (posts["local_date"] >= activity["start"])
                & (posts["local_date"] <= activity["due"])
            ]
            rule = "channel_dates" if activity["channel"] in catalog.PLATFORMS else "none"
        reach = mine[mine["platform"].isin(["facebook", "instagram"])]["reach"]  # the exports that carry reach
        out[activity["id"]] = (rule, len(mine), int(reach.sum()) if reach.notna().any() else None)
    return out


def test_posts_per_activity_equal_the_truth_in_every_language(translated):
    root, month = translated
    end = pd.Period(month).end_time.date()
    model = truth(month)
    for language in LANGUAGES:
        figures = json.loads(language_outputs(root, month, language)["activity"].with_suffix(".json").read_text())
        shown = {a["id"]: (a["rule"], a["posts"], a["reach"]) for a in figures["activity_posts"]}
        window = model.plan[model.plan["id"].isin(shown)]
        assert len(window) == len(shown) > 0
        assert shown == expected_posts_per_activity(model, window, end), language
    monthly = json.loads(outputs(root, month)["monthly"].with_suffix(".json").read_text())
    due = [a for a in monthly["activity_posts"]]
    assert monthly["served"]["posts_served"] == sum(a["posts"] for a in due)
    assert monthly["served"]["activities_without_posts"] == sum(a["posts"] == 0 for a in due)


def test_the_same_month_a_year_before_equals_the_truth_in_every_language(translated):
    from bs4 import BeautifulSoup

    from rapport.present.format import Formatter

    root, month = translated
    now, then = expected_kpis(month)["all"], expected_kpis(month, of=str(pd.Period(month) - 12))["all"]
    for language in LANGUAGES:
        stem = language_outputs(root, month, language)["monthly"]
        year = json.loads(stem.with_suffix(".json").read_text())["year_before"]["all"]
        for metric in ("posts", "impressions", "engagements", "clicks", "followers"):
            assert year[metric] == then[metric], (language, metric)
        assert year["engagement_rate"] == pytest.approx(then["engagement_rate"])
        page = BeautifulSoup(stem.with_suffix(".html").read_text(), "html.parser")
        fmt = Formatter(language)
        for metric, change in (
            ("impressions", (now["impressions"] - then["impressions"]) / then["impressions"]),
            ("engagement_rate", (now["engagement_rate"] - then["engagement_rate"]) * 100),
        ):
            line = page.select_one(f'.rapport-tile[data-metric="{metric}"] .rapport-tile-year').get_text(" ")
            assert fmt.change(change, metric) in line and fmt.word("label.vs_year_before") in line, (language, line)


def test_the_exception_report_opens_with_the_crisis_plan_on_the_burst_the_truth_planted(run):
    """The demo's burnt batch: three days whose mentions the truth wrote as "bitter batch?".
    The exception report of their month (built here) names exactly those days and opens with
    the crisis box; the month reported shows the box only when its JSON has a signal."""
    from bs4 import BeautifulSoup

    root, _, month = run
    mentions = truth(month).mentions
    planted = sorted(set(mentions.loc[mentions["text"].str.contains("bitter batch"), "date"]))
    assert len(planted) == 3
    fired = []
    for label in sorted({day.strftime("%Y-%m") for day in planted}):
        rapport("report", "demo", "--period", label, "--report", "exceptions", root=root, check=True)
        stem = outputs(root, label)["exceptions"]
        document = json.loads(stem.with_suffix(".json").read_text())
        fired += [s["day"] for s in document["crisis"] if s["kind"] == "negative_mentions"]
        page = BeautifulSoup(stem.with_suffix(".html").read_text(), "html.parser")
        assert page.select("h2[id]")[0]["id"] == "crisis" and page.select(".rapport-crisis-alert li")
        assert len(page.select("ol.rapport-crisis-steps > li")) == 6  # the demo's plan follows
    assert fired == [day.isoformat() for day in planted]
    stem = outputs(root, month)["exceptions"]
    page = BeautifulSoup(stem.with_suffix(".html").read_text(), "html.parser")
    signals = json.loads(stem.with_suffix(".json").read_text())["crisis"]
    assert bool(page.select(".rapport-crisis-alert")) == bool(signals)


def test_goals_and_okrs_equal_the_truth(run):
    """Goal baselines (the month before the start), targets, current values, progress against
    time, and the OKR's key-result and objective scores, recomputed from the demo's truth
    (DESIGN 3.6: progress = (current − baseline) / (target − baseline); score =
    clip((current − start) / (target − start), 0, 1), the objective their mean)."""
    from datetime import date

    root, _, month = run
    figures = json.loads(outputs(root, month)["monthly"].with_suffix(".json").read_text())
    end = pd.Period(month).end_time.date()
    now, december, june = expected_kpis(month), expected_kpis(month, "2025-12"), expected_kpis(month, "2026-06")
    goals = {g["id"]: g for g in figures["goals"]}
    for goal, platform, metric, target_of in (
        ("G1", "instagram", "followers", lambda baseline: baseline * 1.2),
        ("G2", "all", "engagement_rate", lambda baseline: 0.06),
    ):
        baseline, current = december[platform][metric], now[platform][metric]
        target = target_of(baseline)
        shown = goals[goal]
        assert (shown["baseline"], shown["target"], shown["current"]) == pytest.approx((baseline, target, current))
        assert shown["progress"] == pytest.approx((current - baseline) / (target - baseline))
        elapsed = (end - date(2026, 1, 1)).days / (date(2026, 12, 31) - date(2026, 1, 1)).days
        assert shown["expected_progress"] == pytest.approx(min(1.0, elapsed))
        if current >= target:
            assert shown["status"] == "achieved"
        elif shown["progress"] >= shown["expected_progress"]:
            assert shown["status"] == "on track"
    okr = figures["okrs"][0]
    scores = []
    for kr, (platform, metric, target) in zip(
        okr["key_results"], [("instagram", "followers", 22000), ("all", "engagements", 40000)], strict=True
    ):
        start, current = june[platform][metric], now[platform][metric]
        score = min(1.0, max(0.0, (current - start) / (target - start)))
        assert (kr["start"], kr["current"], kr["score"]) == pytest.approx((start, current, score)), kr["name"]
        scores.append(score)
    assert okr["score"] == pytest.approx(sum(scores) / len(scores))
    assert okr["success"] == (okr["score"] >= 0.7)


def test_late_activities_and_overspending_in_the_exceptions_equal_the_truth(run):
    """The exception report's late activities and hours and money over plan or budget,
    recomputed from the demo's plan and ad spend (its truth) with the params' thresholds."""
    root, _, month = run
    figures = json.loads(outputs(root, month)["exceptions"].with_suffix(".json").read_text())
    model, end = truth(month), pd.Period(month).end_time.date()
    plan = model.plan
    waiting = plan[plan["done"].isna() & (plan["status"] != "cancelled")]
    late = {f"{r.id} {r.activity}": (end - r.due).days for r in waiting.itertuples() if (end - r.due).days > 3}
    found = {f["subject"]: f["measured"] for f in figures["findings"] if f["kind"] == "activity_late"}
    assert found == late and late  # the demo has late activities
    start = pd.Period(month).start_time.date()
    due = plan[(plan["due"] >= start) & (plan["due"] <= end) & (plan["status"] != "cancelled")]
    spend = model.ads[(model.ads["date"] >= start) & (model.ads["date"] <= end)]["spend"].sum()
    over = {
        "hours": (due["hours_spent"].fillna(0).sum(), due["hours_planned"].fillna(0).sum()),
        "hours_budget": (due["hours_spent"].fillna(0).sum(), 30),
        "money": (due["cost_spent"].fillna(0).sum(), due["cost_planned"].fillna(0).sum()),
        "money_budget": (due["cost_spent"].fillna(0).sum() + spend, 15000),
    }
    expected = {line for line, (used, planned) in over.items() if planned and (used / planned - 1) * 100 > 10}
    overspent = {
        f["subject"]: (f["measured"], f["expected"]) for f in figures["findings"] if f["kind"] == "over_budget"
    }
    assert set(overspent) == expected
    for line, (used, planned) in overspent.items():
        assert (used, planned) == pytest.approx(over[line]), line
    grouped = {s["name"] for s in figures["exceptions"] if s["kind"] == "activity"}
    assert grouped == set(late)  # each late activity is one subject of the report
