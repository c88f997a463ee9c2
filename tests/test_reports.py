"""What the report sections say, against values worked out by hand: the audit's SWOT
points, the monthly summary and decisions, the activity plan's money and deviations, the
accounts found, posting times, links from the data, the explorer."""

from datetime import date
from types import SimpleNamespace

import matplotlib.pyplot as plt
import pandas as pd
import pytest
from bs4 import BeautifulSoup
from matplotlib.figure import Figure

from rapport.analysis import audit, metrics, plan, summary
from rapport.analysis.exceptions import Subject, _subject_of
from rapport.analysis.findings import Finding
from rapport.analysis.goals import GoalReport
from rapport.analysis.metrics import Voice
from rapport.analysis.scope import Scope
from rapport.config import parse_params
from rapport.jsonable import rows as records
from rapport.present import explore
from rapport.present.charts import Charts
from rapport.present.format import Formatter
from rapport.present.html import Html

from test_analysis import OCTOBER, TZ, post, store

PARAMS = parse_params(
    """name: Acme
competitors: [Rival]
swot:
  opportunities: [Holiday gifts]
  threats: ["<script>alert(1)</script>"]
""",
    "t",
)


def frame(rows: dict) -> pd.DataFrame:
    out = pd.DataFrame.from_dict(rows, orient="index").astype(object)
    out.index.name = "platform"
    return out.where(out.notna(), None)


def kpi_row(posts, rate, growth=None, growth_rate=None, per_week=2.0):
    return dict(
        posts=posts,
        engagement_rate=rate,
        follower_growth=growth,
        audience_growth_rate=growth_rate,
        posts_per_week=per_week,
        impressions=1000,
        engagements=50,
        followers=None,
    )


def test_swot_reads_strengths_and_weaknesses_from_the_data():
    kpis = frame(
        {
            "instagram": kpi_row(10, 0.08, 120, 0.12),
            "linkedin": kpi_row(5, 0.02, -3, -0.01, per_week=0.5),
            "x": kpi_row(2, 0.20),
            "all": kpi_row(17, 0.06),
        }
    )  # x: too few posts to judge
    formats = pd.DataFrame(
        [
            dict(value="reel", posts=4, engagement_rate=0.09),
            dict(value="image", posts=6, engagement_rate=0.03),
            dict(value="text", posts=1, engagement_rate=0.5),
        ]
    )
    voice = Voice(share_of_voice=0.25, brands={"Acme": {}, "Rival": {}})
    result = audit.swot(kpis, formats, voice, PARAMS)
    strengths = {p["key"]: p["values"] for p in result["strengths"]}
    weaknesses = {p["key"]: p["values"] for p in result["weaknesses"]}
    assert strengths["swot.best_channel"] == dict(platform="instagram", rate=0.08, overall=0.06)
    assert weaknesses["swot.weak_channel"]["platform"] == "linkedin"
    assert strengths["swot.growing"] == dict(platform="instagram", growth=120, rate=0.12)
    assert weaknesses["swot.shrinking"]["platform"] == "linkedin"
    assert weaknesses["swot.rare_posting"] == dict(platform="linkedin", per_week=0.5)
    assert strengths["swot.best_format"] == dict(format="reel", rate=0.09, posts=4)
    assert weaknesses["swot.weak_format"] == dict(format="image", rate=0.03, posts=6)
    assert weaknesses["swot.voice_low"] == dict(share=0.25, fair=0.5)
    assert result["opportunities"] == [{"text": "Holiday gifts"}]


def test_swot_grid_words_points_in_the_language_and_escapes_params():
    kpis = frame({"instagram": kpi_row(10, 0.08), "linkedin": kpi_row(5, 0.02), "all": kpi_row(15, 0.06)})
    result = audit.swot(kpis, pd.DataFrame(columns=["value", "posts", "engagement_rate"]), Voice(), PARAMS)
    html = Html(Formatter("fr")).swot_grid(result)
    assert "Instagram engage le mieux : taux d’engagement de 8,0\u00a0% (6,0\u00a0% sur tous les canaux)." in html
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert html.count("<section") == 4


def goal_report(status, name="Grow"):
    return GoalReport(
        id="G",
        name=name,
        type="engaged_community",
        metric="followers",
        platform="all",
        start=date(2026, 1, 1),
        deadline=date(2026, 12, 31),
        baseline=100,
        baseline_measured=True,
        target=200,
        current=150,
        progress=0.5,
        expected_progress=0.8,
        status=status,
        forecast=190,
        forecast_low=170,
        forecast_high=210,
        needed_monthly_growth=0.1,
        growth_percentile=0.6,
        achievability="realistic",
        history=[("2026-08", 120), ("2026-09", 140), ("2026-10", 150)],
    )


def figures(goal_statuses=("on track", "off track"), findings=(), roi=None, previous_impressions=8000, year_ago=None):
    kpis = frame(
        {
            "instagram": dict(
                impressions=6000, engagements=300, engagement_rate=0.05, follower_growth=None, followers=None
            ),
            "x": dict(impressions=4000, engagements=100, engagement_rate=0.025, follower_growth=None, followers=None),
            "all": dict(impressions=10000, engagements=400, engagement_rate=0.04, follower_growth=25, followers=1025),
        }
    )
    previous = frame(
        {
            "all": dict(
                impressions=previous_impressions,
                engagements=300,
                engagement_rate=0.05,
                follower_growth=None,
                followers=1000,
            )
        }
    )
    # a year before: no posts (the data does not reach back) unless `year_ago` impressions are given
    year_before = frame({"all": dict(posts=0 if year_ago is None else 30, impressions=year_ago)})
    # the fields of analysis.month.Month that the summary reads
    return SimpleNamespace(
        kpis=kpis,
        previous=previous,
        year_before=year_before,
        findings=list(findings),
        exceptions=[Subject(*_subject_of(f), f.severity, 1.0, {}, None, [f]) for f in findings],
        roi=SimpleNamespace(roi=roi),
        goals=[goal_report(s, f"Goal {i}") for i, s in enumerate(goal_statuses)],
    )


def test_monthly_summary_says_what_happened_in_at_most_five_sentences():
    story = summary.summarise(figures(roi=0.5))
    said = {s["key"]: s["values"] for s in story.sentences}
    assert len(story.sentences) == 5  # the sixth (ROI) is left out
    assert said["summary.impressions"] == dict(value=10000, change_pct=pytest.approx(0.25))
    assert said["summary.engagement_rate"] == dict(rate=0.04, change_pp=pytest.approx(-1.0))
    assert said["summary.top_channel"] == dict(platform="instagram", share=0.75)
    assert said["summary.followers"] == dict(growth=25, value=1025)
    assert said["summary.goals"] == dict(good=1, total=2)
    words = Html(Formatter("sv")).sentences(story.sentences)
    assert "Inläggen visades 10\u00a0000 gånger, +25,0\u00a0% jämfört med föregående månad." in words
    pp = Formatter("sv").word("label.pp")
    assert f"Engagemangsgraden var 4,0\u00a0% (\u22121,0\u00a0{pp} jämfört med föregående månad)." in words


def test_decisions_name_goals_off_track_overspending_and_critical_deviations():
    drop = Finding("kpi_drop", "critical", "x", "impressions", 1, 2, "exception.kpi_drop")
    money = Finding("over_budget", "critical", "money_budget", None, 130, 100, "exception.over_budget")
    mild = Finding("over_budget", "warning", "hours", None, 11.5, 10, "exception.over_budget")
    story = summary.summarise(figures(findings=[drop, money, mild]))
    assert story.decisions == [
        {"key": "decision.goal", "values": {"goal": "Goal 1"}},
        {"key": "decision.budget", "values": {"budget": "money_budget"}},
        {"key": "decision.critical", "values": {"count": 1}},
    ]
    assert summary.summarise(figures(goal_statuses=("on track",))).decisions == [{"key": "decision.none", "values": {}}]
    assert summary.summarise(figures(previous_impressions=None)).sentences[0]["key"] == "summary.impressions_only"


ACTIVITIES = pd.DataFrame(
    [
        dict(
            id="A1",
            activity="Reels",
            owner="Eva",
            due=date(2026, 10, 20),
            done=date(2026, 10, 24),
            status="done",
            hours_planned=10,
            hours_spent=14,
            cost_planned=1000,
            cost_spent=1000,
        ),
        dict(
            id="A2",
            activity="Ads",
            owner="Olle",
            due=date(2026, 10, 25),
            done=None,
            status="in progress",
            hours_planned=4,
            hours_spent=2,
            cost_planned=None,
            cost_spent=None,
        ),
        dict(
            id="A3",
            activity="Quiz",
            owner="Eva",
            due=date(2026, 11, 5),
            done=None,
            status="not started",
            hours_planned=None,
            hours_spent=None,
            cost_planned=500,
            cost_spent=700,
        ),
    ]
)


def test_deviations_of_an_activity_window():
    window = plan.activity_window(ACTIVITIES, date(2026, 10, 18), date(2026, 10, 31))
    assert list(window["state"]) == ["done late", "late", "due soon"]
    found = plan.deviations(window, date(2026, 10, 31), over_pct=10)
    assert found == [  # A2's hours are under plan; A3's 40 % cost overrun counts though not yet due
        {"key": "deviation.done_late", "values": {"activity": "A1 Reels", "days": 4}},
        {"key": "deviation.late", "values": {"activity": "A2 Ads", "days": 6}},
        {
            "key": "deviation.hours",
            "values": {"activity": "A1 Reels", "actual": 14.0, "planned": 10.0, "change_pct": pytest.approx(0.4)},
        },
        {
            "key": "deviation.cost",
            "values": {"activity": "A3 Quiz", "money": 700.0, "money_planned": 500.0, "change_pct": pytest.approx(0.4)},
        },
    ]
    assert plan.deviations(window, date(2026, 10, 31), over_pct=50)[2:] == []


def test_accounts_come_from_posts_and_daily_figures():
    con = store(
        posts=[
            post(1, date(2026, 10, 2), 10) | dict(account="acme"),
            post(2, date(2026, 10, 9), 10) | dict(account="acme"),
            post(3, date(2026, 9, 1), 10, platform="x") | dict(account="acme_x"),
        ],
        account_daily=[
            dict(platform="instagram", account="acme", date=date(2026, 10, d), followers=5) for d in (1, 2, 3)
        ],
    )
    found = metrics.accounts(Scope(con, OCTOBER, TZ)).to_dict("records")
    assert [(a["platform"], a["account"], a["posts"], a["days"]) for a in found] == [
        ("instagram", "acme", 2, 3),
        ("x", "acme_x", 1, 0),
    ]
    assert (found[0]["first_date"], found[0]["last_date"]) == (pd.Timestamp(2026, 10, 1), pd.Timestamp(2026, 10, 9))


def test_posting_times_in_blocks_and_the_heat_map():
    con = store(
        posts=[
            post(1, date(2026, 10, 5), 1000, 50, hour=7),
            post(2, date(2026, 10, 5), 3000, 30, hour=8),
            post(3, date(2026, 10, 6), 1000, 10, hour=20),
        ]
    )
    times = metrics.posting_times(Scope(con, OCTOBER, TZ), hours=3).set_index(["weekday", "hour"])
    assert times.at[(0, 6), "posts"] == 2 and times.at[(0, 6), "engagement_rate"] == pytest.approx(80 / 4000)
    assert times.at[(1, 18), "engagement_rate"] == pytest.approx(10 / 1000)
    fig = Charts(Formatter("en")).posting_heatmap(times.reset_index(), 3)
    assert isinstance(fig, Figure)
    labels = [t.get_text() for t in fig.axes[0].texts if t.get_text()]
    assert sorted(labels) == ["1.0%\n(1)", "2.0%\n(2)"]
    assert [t.get_text() for t in fig.axes[0].get_xticklabels()] == ["06–09", "18–21"]  # empty blocks take no room
    assert Charts(Formatter("en")).posting_heatmap(times.reset_index().iloc[0:0], 3) is None


def test_goal_chart_shows_history_target_and_needed_growth():
    charts = Charts(Formatter("en"))
    fig = charts.goal(goal_report("on track"))
    left, right = fig.axes
    assert list(left.lines[0].get_ydata()) == [120, 140, 150]
    assert any(list(line.get_ydata()) == [200, 200] for line in left.lines)  # the target
    assert any(list(line.get_xdata()) == [10.0, 10.0] for line in right.lines)  # 10 % a month needed
    assert charts.goal(goal_report("on track").__class__(**{**goal_report("x").__dict__, "history": []})) is None


@pytest.mark.parametrize(
    "url, shown",
    [
        (
            "https://www.instagram.com/p/1/",
            '<a href="https://www.instagram.com/p/1/" rel="noopener noreferrer">instagram.com&nbsp;↗</a>',
        ),
        ("javascript:alert(1)", "javascript:alert(1)"),
        (
            'https://x.com/a"onmouseover="alert(1)',
            '<a href="https://x.com/a&#34;onmouseover=&#34;alert(1)" rel="noopener noreferrer">x.com&nbsp;↗</a>',
        ),
        ("<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert(1)&gt;"),
    ],
)
def test_links_from_data_cannot_run_script(url, shown):
    table = Html(Formatter("en")).rows_table([{"url": url}], [("url", "col.link", "link")])
    assert f'<td class="rapport-link" data-field="url">{shown}</td>' in table


def test_explorer_view_compares_a_range_with_the_one_before():
    con = store(
        posts=[
            post(1, date(2026, 10, 2), 1000, 40),
            post(2, date(2026, 10, 9), 1000, 10, platform="x"),
            post(3, date(2026, 9, 25), 1000, 20),
        ]
    )
    fmt = Formatter("en")
    report = SimpleNamespace(scope=Scope(con, OCTOBER, TZ), html=Html(fmt), charts=Charts(fmt))  # what view reads
    html, figure = explore.view(report, "instagram", "engagements", date(2026, 10, 1), date(2026, 10, 14))
    reader_tiles = __import__("pages").read(html)
    assert reader_tiles.tiles["engagements"] == "40"
    assert reader_tiles.cells["instagram"]["engagements"] == "40" and "x" not in reader_tiles.cells
    assert "+100.0%" in html  # 40 against 20 in the 14 days before
    assert isinstance(figure, Figure)


def test_explorer_headline_is_the_reports_figure_for_every_channel_and_metric(demo_reports):
    """The explorer over the report's month says what monthly.json says, for all channels
    together and for each channel; only channels with data are offered; an empty one says so."""
    import json

    import duckdb

    from rapport import periods
    from rapport.catalog import METRICS

    root, _, month = demo_reports
    report_json = json.loads((root / "outputs" / "demo" / month / "monthly.json").read_text())
    con = duckdb.connect(str(root / "data" / "demo" / "warehouse.duckdb"), read_only=True)
    try:
        period = periods.for_report("monthly", month)
        fmt = Formatter("en")
        report = SimpleNamespace(scope=Scope(con, period, "Europe/Stockholm"), html=Html(fmt), charts=Charts(fmt))
        offered = explore.channels(report.scope)
        assert offered == [p for p in report_json["kpis"] if p != "all"]
        for platform, figures in report_json["kpis"].items():
            for metric in [m for m in figures if m in METRICS]:
                html, figure = explore.view(report, platform, metric, period.start, period.end)
                if figure is not None:
                    plt.close(figure)
                tiles = __import__("pages").read(html).tiles
                if figures[metric] is None:  # a figure no export carries: no tile, a line naming the export
                    assert metric not in tiles and f'data-metric="{metric}"' in html, (platform, metric)
                else:
                    assert tiles[metric] == fmt.metric(figures[metric], metric), (platform, metric)
        empty, figure = explore.view(report, "youtube", "impressions", period.start, period.end)
        assert "No data for YouTube in this range" in empty and figure is None
    finally:
        con.close()


def test_accounts_merge_spellings_and_fold_unnamed_files_into_the_only_account():
    con = store(
        posts=[
            post(1, date(2026, 10, 2), 10) | dict(account="Acme"),
            post(2, date(2026, 10, 3), 10, platform="linkedin") | dict(account=None),
            post(3, date(2026, 10, 4), 10, platform="x") | dict(account="one"),
            post(4, date(2026, 10, 5), 10, platform="x") | dict(account="two"),
        ],
        account_daily=[
            dict(platform="instagram", account=a, date=date(2026, 9, d), followers=5)
            for a, d in (("acme", 1), ("page", 1), ("page", 2))
        ]
        + [
            dict(platform="linkedin", account="acme-li", date=date(2026, 10, 1), followers=5),
            dict(platform="x", account="account", date=date(2026, 10, 1), followers=5),
        ],
    )
    found = [
        (a["platform"], a["account"], a["posts"], a["days"]) for a in records(metrics.accounts(Scope(con, OCTOBER, TZ)))
    ]
    assert found == [
        ("instagram", "Acme", 1, 2),  # acme, Acme and the page file: one account, two distinct days
        ("linkedin", "acme-li", 1, 1),  # the post export names no account: the platform's only one
        ("x", "one", 1, 0),
        ("x", "two", 1, 0),
        ("x", None, 0, 1),  # two accounts: an unnamed file stays apart
    ]


def test_posts_per_activity_by_campaign_tag_else_channel_and_dates():
    """Hand-computed: A1 has a tag (its posts wherever they are, by the export's campaign field
    or #autumn in the text), A2 none but a platform (its
    channel's posts from start to due, in the client's days), A3 neither (no rule: no post)."""
    from rapport.analysis import plan as plan_analysis

    con = store(
        posts=[
            post(1, date(2026, 10, 3), 1000, 50, campaign="autumn"),
            post(2, date(2026, 10, 4), 3000, 30, platform="tiktok", campaign="autumn"),
            post(3, date(2026, 10, 5), 2000, 40, platform="tiktok"),
            post(4, date(2026, 10, 9), 500, 5, platform="tiktok", hour=23),  # 10 October in Stockholm
            post(5, date(2026, 10, 12), 800, 8, platform="linkedin"),
            dict(post(6, date(2026, 10, 6), 100, 10, platform="facebook"), text="Autumn is here #Autumn"),
            dict(post(7, date(2026, 10, 6), 100, 10, platform="facebook"), text="not ours: #autumnal, x#autumn"),
        ]
    )
    activities = pd.DataFrame(
        [
            dict(
                id="A1",
                activity="Autumn launch",
                channel="instagram",
                start=date(2026, 10, 1),
                due=date(2026, 10, 14),
                campaign="autumn",
            ),
            dict(
                id="A2",
                activity="TikTok week",
                channel="tiktok",
                start=date(2026, 10, 5),
                due=date(2026, 10, 9),
                campaign=None,
            ),
            dict(
                id="A3",
                activity="Newsletter",
                channel="email",
                start=date(2026, 10, 1),
                due=date(2026, 10, 14),
                campaign=None,
            ),
        ]
    )
    per_activity, posts = plan_analysis.served(Scope(con, OCTOBER, "Europe/Stockholm"), activities)
    rows = per_activity.set_index("id")
    assert rows["rule"].tolist() == ["campaign", "channel_dates", "none"]
    assert rows["posts"].tolist() == [3, 1, 0]  # post 4 is published on 10 October, after A2's due day
    assert rows.at["A1", "engagements"] == 90 and rows.at["A1", "engagement_rate"] == pytest.approx(90 / 4100)
    assert rows.at["A2", "impressions"] == 2000 and pd.isna(rows.at["A3", "engagement_rate"])
    assert sorted(zip(posts["activity_id"], posts["post_id"])) == [("A1", "1"), ("A1", "2"), ("A1", "6"), ("A2", "3")]
    assert plan_analysis.served_totals(per_activity) == dict(
        posts_served=4, activities_with_posts=2, activities_without_posts=1
    )


def test_the_summary_reads_the_month_against_last_year_when_that_is_the_larger_change():
    said = {s["key"]: s["values"] for s in summary.summarise(figures(year_ago=5000)).sentences}
    assert said["summary.impressions_year"] == dict(
        value=10000, change_pct=pytest.approx(1.0), change_month=pytest.approx(0.25)
    )
    said = {s["key"]: s["values"] for s in summary.summarise(figures(year_ago=9500)).sentences}
    assert "summary.impressions" in said and "summary.impressions_year" not in said  # +25 % beats +5.3 %
    words = Html(Formatter("en")).sentences(summary.summarise(figures(year_ago=5000)).sentences)
    assert (
        "Posts were seen 10,000 times, +100.0% on the same month a year before (+25.0% on the previous month)." in words
    )


def test_tiles_say_the_change_against_a_year_before_or_that_the_data_does_not_reach_back():
    fmt = Formatter("en")
    now, before = {"impressions": 1200, "engagement_rate": 0.05}, {"impressions": 1000, "engagement_rate": 0.04}
    shown = ["impressions", "engagement_rate"]

    def year_lines(year_before):
        page = BeautifulSoup(Html(fmt).tiles(now, before, shown, year_before), "html.parser")
        return [line.get_text(" ", strip=True) for line in page.select(".rapport-tile-year")]

    assert year_lines({"impressions": 800, "engagement_rate": 0.06}) == [
        f"▲ {fmt.change(0.5, 'impressions')} vs a year before",
        f"▼ {fmt.change(-1.0, 'engagement_rate')} vs a year before",
    ]
    assert year_lines({}) == ["a year before: not in the data yet"] * 2
    assert year_lines(None) == []  # not asked: the e-mail and the slides keep one comparison


def test_a_posts_excerpt_links_to_the_post_and_the_rest_fold_under_n_more():
    posts = [
        {
            "text": f"Post <{n}>",
            "url": "https://www.instagram.com/p/1/" if n else "javascript:alert(1)",
            "platform": "x",
        }
        for n in range(4)
    ]
    soup = BeautifulSoup(Html(Formatter("en")).posts_table(posts, shown=3), "html.parser")
    first, folded = soup.select("table")[0], soup.select("details.rapport-more table")
    assert [td.get_text() for td in first.select("td[data-field=text]")] == ["Post <0>", "Post <1>", "Post <2>"]
    assert [a["href"] for a in first.select("td[data-field=text] a")] == ["https://www.instagram.com/p/1/"] * 2
    assert soup.select_one("details.rapport-more summary").get_text() == "1 more"
    assert [td.get_text() for td in folded[0].select("td[data-field=text]")] == ["Post <3>"]
    assert "col.link" not in str(soup) and not soup.select("td[data-field=url]")
    everything = BeautifulSoup(Html(Formatter("fr")).posts_table(posts), "html.parser")
    assert len(everything.select("tbody tr")) == 4 and not everything.select("details")
