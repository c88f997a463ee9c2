"""Mutation testing (`make mutation`): how many small plausible bugs the tests catch.

mutmut changes one thing at a time in the modules below (a `>=` into `>`, a constant, a
dropped argument…) and runs the tests that reach the changed function; a mutant the tests
catch is killed, one they pass with survived. The run happens in a scratch copy
(build/mutation/; mutmut wants the package under src/), with only the in-process tests
(a test that runs `python -m rapport.cli` in a subprocess would import the unmutated code).

Writes docs/mutation.md: the score per module and every surviving mutant, to be killed by a
new test or explained as equivalent (docs/mutation.md, "Survivors explained").

    .venv/bin/python bench/mutation.py [module ...]    # default: all of MODULES
    MUTATION_CHILDREN=1 .venv/bin/python bench/mutation.py …  # one test process (default 2)
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
SCRATCH = PROJECT / "build" / "mutation"
MUTMUT = Path(sys.executable).parent / "mutmut"
# module (under lib/rapport) → the in-process tests that check it
MODULES = {
    "analysis/metrics.py": [
        "tests/test_metrics.py",
        "tests/test_metrics_sources.py",
        "tests/test_analysis.py",
        "tests/test_reports.py",
        "tests/test_boundaries.py",
        "tests/test_properties.py",
        "tests/test_metrics_rules.py",
    ],
    "analysis/goals.py": ["tests/test_analysis.py", "tests/test_boundaries.py", "tests/test_goals_rules.py"],
    "analysis/plan.py": ["tests/test_analysis.py", "tests/test_reports.py", "tests/test_plan_rules.py"],
    "analysis/findings.py": [
        "tests/test_analysis.py",
        "tests/test_reports.py",
        "tests/test_boundaries.py",
        "tests/test_findings_rules.py",
    ],
    "analysis/exceptions.py": ["tests/test_exceptions.py", "tests/test_exceptions_rules.py"],
    "data/sources/values.py": [
        "tests/test_numbers.py",
        "tests/test_dates.py",
        "tests/test_values.py",
        "tests/test_sources.py",
        "tests/test_periods.py",
        "tests/test_values_rules.py",
    ],
}
# tests that need the demo's whole build (a subprocess): left out of the mutation runs
DESELECT = ["tests/test_reports.py::test_explorer_headline_is_the_reports_figure_for_every_channel_and_metric"]
TARGET = PROJECT / "docs" / "mutation.md"


def main(modules: list[str]) -> int:
    modules = modules or list(MODULES)
    scratch = prepare(modules)
    env = dict(os.environ, RAPPORT_TESTS_NO_DEMO="1", PYTHONDONTWRITEBYTECODE="1")
    children = os.environ.get("MUTATION_CHILDREN", "2")  # MUTATION_CHILDREN=1 leaves a core to others
    run = subprocess.run([str(MUTMUT), "run", "--max-children", children], cwd=scratch, env=env)
    if run.returncode != 0:
        print(f"mutation: mutmut failed ({run.returncode}); see above", file=sys.stderr)
        return run.returncode
    results = {module: outcomes(scratch, module) for module in modules}
    write(results, {module: survivors(scratch, results[module]) for module in modules})
    for module, counts in results.items():
        print(f"{module}: {score(counts)}")
    return 0


def prepare(modules: list[str]) -> Path:
    """The scratch copy: the tracked files, lib/ as src/, mutmut's settings."""
    shutil.rmtree(SCRATCH, ignore_errors=True)
    tracked = subprocess.run(["git", "ls-files"], cwd=PROJECT, capture_output=True, text=True, check=True)
    for name in tracked.stdout.splitlines():
        source = PROJECT / name
        target = SCRATCH / (("src" + name[3:]) if name.startswith("lib/") else name)
        if source.is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    wanted = {f"src/rapport/{module}" for module in modules}
    tests = sorted({test for module in modules for test in MODULES[module] if (SCRATCH / test).is_file()})
    selection = tests + [arg for test in DESELECT for arg in ("--deselect", test)] + ["-p", "no:cacheprovider"]
    settings = (
        "\n[tool.mutmut]\n"
        f"source_paths = {json.dumps(['src/'])}\n"
        f"only_mutate = {json.dumps(sorted(wanted))}\n"
        f"pytest_add_cli_args_test_selection = {json.dumps(selection)}\n"
        f"also_copy = {json.dumps(['params/', 'notebooks/', 'docs/'])}\n"
    )
    with open(SCRATCH / "pyproject.toml", "a", encoding="utf-8") as config:
        config.write(settings)
    return SCRATCH


def outcomes(scratch: Path, module: str) -> dict[str, int]:
    """Each mutant of `module` and the exit status of the tests run on it (1: killed, 0: survived)."""
    meta = scratch / "mutants" / "src" / "rapport" / (module + ".meta")
    return json.loads(meta.read_text())["exit_code_by_key"] if meta.is_file() else {}


def status(code: int | None) -> str:
    """killed, timeout (counted as caught), survived, no tests (counted as survived), …"""
    from mutmut.stats import status_by_exit_code

    return status_by_exit_code.get(code, "suspicious")


def caught(counts: dict[str, int]) -> int:
    return sum(1 for code in counts.values() if status(code) in ("killed", "timeout"))


def score(counts: dict[str, int]) -> str:
    killed = caught(counts)
    return f"{killed}/{len(counts)} killed ({100 * killed / len(counts):.1f} %)" if counts else "no mutants"


def survivors(scratch: Path, counts: dict[str, int]) -> list[tuple[str, str]]:
    """Each surviving mutant and its diff, as `mutmut show` gives it."""
    found = []
    for name, code in sorted(counts.items()):
        if status(code) not in ("killed", "timeout"):
            shown = subprocess.run([str(MUTMUT), "show", name], cwd=scratch, capture_output=True, text=True)
            found.append((name, shown.stdout.strip()))
    return found


def write(results: dict, left: dict) -> None:
    """docs/mutation.md with this run's modules; the modules it did not run keep their row
    and survivors from the last run that did, and the explanations written by hand are kept."""
    before = TARGET.read_text() if TARGET.is_file() else ""
    rows, sections = earlier(before)
    for module, counts in results.items():
        killed = caught(counts)
        share = f"{100 * killed / len(counts):.1f} %" if counts else "–"
        rows[module] = f"| `{module}` | {len(counts)} | {killed} | {share} | {date.today().isoformat()} |"
        lines = [f"### `{module}` ({len(left[module])})", ""]
        for name, diff in left[module]:
            lines += [f"`{name}` ({status(counts[name])})", "", "```diff", diff, "```", ""]
        sections[module] = "\n".join(lines).rstrip()
    order = [m for m in MODULES if m in rows] + [m for m in rows if m not in MODULES]
    lines = [
        "# Mutation score",
        "",
        "`make mutation`: mutmut's mutants of each module, run against the in-process tests that",
        "reach them (bench/mutation.py). Killed: a test failed on the mutant.",
        "",
        "| module | mutants | killed | score | run |",
        "|---|---|---|---|---|",
        *[rows[m] for m in order],
        "",
        "## Surviving mutants",
        "",
        *[sections[m] + "\n" for m in order if m in sections],
    ]
    if "## Survivors explained" in before:
        lines += ["## Survivors explained" + before.split("## Survivors explained", 1)[1].rstrip()]
    TARGET.write_text("\n".join(lines).rstrip() + "\n", encoding="utf-8")


def earlier(text: str) -> tuple[dict[str, str], dict[str, str]]:
    """The table row and the survivors' section of each module in docs/mutation.md as it is."""
    rows = {m.group(1): m.group(0) for m in re.finditer(r"^\| `([^`]+)` \|.*$", text, re.M)}
    surviving = text.split("## Surviving mutants", 1)[-1].split("## Survivors explained", 1)[0]
    sections = {
        m.group(1): m.group(0).rstrip() for m in re.finditer(r"^### `([^`]+)`.*?(?=^### `|\Z)", surviving, re.M | re.S)
    }
    if rows and not any(row.count("|") == 6 for row in rows.values()):  # written before the run column
        when = re.search(r"`make mutation` \((\d{4}-\d\d-\d\d)\)", text)
        rows = {m: f"{row} {when.group(1) if when else '–'} |" for m, row in rows.items()}
    return rows, sections


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
