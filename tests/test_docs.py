"""What the analysts read runs: every cell of docs/analysts.md, in order, and every example in
the docstrings of the public API, against the demo client."""

import doctest
import importlib
import re

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pandas as pd
import pytest

from conftest import PROJECT

PUBLIC = [
    "rapport",
    "rapport.periods",
    "rapport.analysis.scope",
    "rapport.analysis.metrics",
    "rapport.analysis.goals",
    "rapport.present.report",
]


def cells(markdown: str) -> list[str]:
    return re.findall(r"```python\n(.*?)```", markdown, flags=re.S)


def test_every_recipe_of_the_analysts_guide_runs_in_order():
    recipes = cells((PROJECT / "docs" / "analysts.md").read_text(encoding="utf-8"))
    assert len(recipes) >= 5
    namespace: dict = {}
    plt.close("all")  # figures other tests left open
    for number, source in enumerate(recipes, 1):
        exec(compile(source, f"docs/analysts.md cell {number}", "exec"), namespace)
    assert str(namespace["r"]).startswith("<Report monthly · demo · ")
    assert namespace["kpis"]["posts"].dtype == "Int64" and namespace["compare"]["change (pp)"].dtype == "Float64"
    assert namespace["channel"] in namespace["kpis"].index and not namespace["weakest"].empty
    assert len(plt.get_fignums()) == 0  # r.figure showed the chart and closed it
    plt.close("all")


@pytest.fixture(scope="module")
def report():
    import rapport

    return rapport.open_report("monthly", "demo", "2026-10")


@pytest.mark.parametrize("module", PUBLIC)
def test_docstring_examples_run(module, report):
    from rapport.analysis import goals, metrics
    from rapport.analysis.month import figures

    found = doctest.DocTestFinder().find(importlib.import_module(module))
    examples = [test for test in found if test.examples]
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    for test in examples:
        test.globs.update(
            r=report, metrics=metrics, goals=goals, figures=figures, pd=pd, rapport=importlib.import_module("rapport")
        )
        runner.run(test)
    assert runner.summarize(verbose=False).failed == 0


def test_the_public_api_has_docstrings_with_examples():
    """open_report, the report façade's methods an analyst calls, the scope, and the metrics
    and goals functions: each says what it does; the main ones show it."""
    import inspect

    from rapport.analysis import goals, metrics, scope
    from rapport.present.report import Report

    public = [
        *(getattr(Report, name) for name in ("kpis", "over", "header", "section", "tiles", "table", "figure", "save")),
        *(f for name, f in inspect.getmembers(metrics, inspect.isfunction) if f.__module__ == metrics.__name__),
        *(f for name, f in inspect.getmembers(goals, inspect.isfunction) if f.__module__ == goals.__name__),
        scope.Scope.over,
        scope.Scope.between,
    ]
    undocumented = [f.__qualname__ for f in public if not f.__name__.startswith("_") and not inspect.getdoc(f)]
    assert undocumented == []
    import rapport

    with_examples = [rapport.open_report, Report, Report.kpis, Report.over, metrics.kpis, scope.Scope.over]
    assert [f.__qualname__ for f in with_examples if ">>>" not in (f.__doc__ or "")] == []


def test_reprs_are_short_and_say_what_they_are(report):
    from rapport import config, periods
    from rapport.analysis.month import figures

    assert repr(report) == "<Report monthly · demo · 2026-10-01 – 2026-10-31>"
    assert repr(report.scope) == "Scope(2026-10-01 – 2026-10-31, Europe/Stockholm)"
    assert repr(periods.of("2026-10")) == "Period(2026-10-01 – 2026-10-31)"
    assert repr(config.load_client("demo")) == "<Client demo · Nordkaffe · data/demo>"
    month = figures(report.scope, report.client)
    shown = repr(month)
    assert shown.startswith("<Month 2026-10 · ") and len(shown) < 120, shown
    for goal in month.goals:
        assert len(repr(goal)) < 120 and goal.id in repr(goal)


@pytest.mark.parametrize("period", ["2026-10", "2026-10-31", "2026-10-05"])
def test_every_function_that_takes_a_period_takes_it_as_written(report, period):
    from datetime import date

    from rapport import periods

    october = periods.of("2026-10")
    assert report.over(period).period == october
    assert report.scope.over(period).period == october
    assert report.over(date.fromisoformat(period + "-01"[: 10 - len(period)])).period == october
    assert report.kpis(period).equals(report.kpis(october))
    assert report.scope.between("2026-10-01", date(2026, 10, 31)).period.days == 31
