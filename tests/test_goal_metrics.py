"""A goal can follow any KPI the catalogue recommends for its type, and its current value is
the monthly report's own figure for that month (ROI included); a metric a goal cannot follow
on a platform is refused by check with the reason."""

import json

import duckdb
import pytest
import yaml

from rapport import periods
from rapport.analysis import goals
from rapport.analysis.scope import Scope
from rapport.catalog import GOAL_TYPES
from rapport.config import Goal, parse_params
from rapport.data import plan_files

from conftest import rapport


def reported(month_json: dict, metric: str):
    """Where the monthly report's JSON holds each recommended KPI for all channels."""
    if metric == "roi":
        return month_json["roi"]["roi"]
    if metric in ("conversions", "conversion_rate"):
        return month_json["web"][metric]
    if metric in ("share_of_voice", "net_sentiment", "mentions"):
        return month_json["voice"][metric]
    if metric == "cpc":
        return month_json["paid"]["all"]["cpc"]
    return month_json["kpis"]["all"][metric]


@pytest.fixture(scope="module")
def demo_month(demo_reports):
    root, _, month = demo_reports
    report = json.loads((root / "outputs" / "demo" / month / "monthly.json").read_text())
    params = parse_params((root / "params" / "demo.yaml").read_bytes(), "params/demo.yaml")
    con = duckdb.connect(str(root / "data" / "demo" / "warehouse.duckdb"), read_only=True)
    try:
        scope = Scope(con, periods.for_report("monthly", month), params.timezone)
        yield scope, params, plan_files.load_plan(root / "data" / "demo"), report
    finally:
        con.close()


# each recommended KPI once, under the first goal type that recommends it (the type does not
# change how a metric is measured)
RECOMMENDED = {metric: kind for kind, metrics in reversed(GOAL_TYPES.items()) for metric in metrics}


@pytest.mark.parametrize("metric, goal_type", sorted(RECOMMENDED.items()))
def test_a_goal_on_every_recommended_kpi_is_measured_as_the_monthly_report_measures_it(demo_month, goal_type, metric):
    scope, params, activities, report = demo_month
    goal = Goal(
        id="K1", name=metric, type=goal_type, metric=metric, target=1, start="2026-01-01", deadline="2027-12-31"
    )
    result = goals.evaluate(scope, params, goal, activities=activities)
    expected = reported(report, metric)
    assert expected is not None, f"the demo's monthly report has no {metric}"
    assert result.current == pytest.approx(expected, rel=1e-9), metric
    assert result.status != "no data" and result.baseline is not None
    assert len(result.history) >= (6 if metric == "cpc" else 12)  # the demo's ads run some months only
    assert result.forecast is not None and result.smart["M"]["ok"]


def test_the_demos_roi_goal_has_its_history_forecast_and_chart(demo_reports):
    root, _, month = demo_reports
    goals_json = json.loads((root / "outputs" / "demo" / month / "goals.json").read_text())
    (roi,) = [g for g in goals_json["goals"] if g["metric"] == "roi"]
    monthly = json.loads((root / "outputs" / "demo" / month / "monthly.json").read_text())
    assert roi["current"] == pytest.approx(monthly["roi"]["roi"])
    assert len(roi["history"]) >= 12 and roi["forecast"] is not None
    html = (root / "outputs" / "demo" / month / "goals.html").read_text()
    assert html.count("<img") >= len(goals_json["goals"])  # a chart per goal, ROI's included


@pytest.mark.parametrize(
    "change, message",
    [
        (
            {"metric": "conversions", "platform": "instagram"},
            "conversions is measured for all channels together (GA4 gives no figure per channel): "
            "remove platform: instagram (or set platform: all)",
        ),
        (
            {"metric": "share_of_voice", "platform": "x"},
            "share_of_voice is measured for all channels together (a social listening export gives no figure",
        ),
        ({"metric": "roi", "platform": "tiktok"}, "roi is measured for all channels together (its costs and value"),
    ],
)
def test_check_refuses_a_goal_a_platform_cannot_measure(workspace, change, message):
    params = yaml.safe_load((workspace / "params" / "demo.yaml").read_text())
    params["goals"][0].update(change)
    (workspace / "params" / "demo.yaml").write_text(yaml.safe_dump(params, allow_unicode=True))
    checked = rapport("check", "demo", root=workspace)
    assert checked.returncode == 2 and "Traceback" not in checked.stderr  # 2: the params are wrong
    assert "params/demo.yaml: goals[0]: " + message in checked.stderr


def test_check_refuses_a_roi_goal_without_an_hourly_rate(workspace):
    params = yaml.safe_load((workspace / "params" / "demo.yaml").read_text())
    del params["budget"]["hourly_rate"]
    (workspace / "params" / "demo.yaml").write_text(yaml.safe_dump(params, allow_unicode=True))
    checked = rapport("check", "demo", root=workspace)
    assert checked.returncode == 2
    assert "budget.hourly_rate is missing: G4 follows roi, whose cost counts the hours spent" in checked.stderr
