from pathlib import Path

import pytest

from rapport import config, paths
from rapport.errors import ParamsError, UserError

from conftest import rapport

DEMO = (Path(__file__).resolve().parents[1] / "params" / "demo.yaml").read_text()


def errors(text: str) -> list[str]:
    with pytest.raises(ParamsError) as caught:
        config.parse_params(text, "params/acme.yaml")
    return caught.value.lines


def test_demo_and_template_params_validate():
    demo = config.parse_params(DEMO, "params/demo.yaml")
    assert demo.name == "Nordkaffe" and demo.currency == "SEK" and len(demo.goals) == 4
    assert demo.goals[0].start.isoformat() == "2026-01-01"
    template = config.parse_params((paths.PROJECT / "params" / "_template.yaml").read_text(), "t")
    assert template.goals == [] and template.thresholds.kpi_drop_pct == 20


def test_bad_date_names_file_key_and_value():
    text = DEMO.replace('deadline: "2026-12-31"', 'deadline: "2026-13-01"', 2)
    assert errors(text)[0] == "params/acme.yaml: goals[0].deadline: '2026-13-01' is not a date (write it as YYYY-MM-DD)"


def test_unquoted_bad_date_is_a_clear_error_not_a_crash():
    text = DEMO.replace('deadline: "2026-12-31"', "deadline: 2026-13-01", 1)
    assert "goals[0].deadline: '2026-13-01' is not a date" in errors(text)[0]


def test_an_integer_is_not_a_date():
    text = DEMO.replace('start: "2026-01-01"', "start: 20260101", 1)
    assert "goals[0].start: 20260101 is not a date" in errors(text)[0]


def test_unknown_key_suggests_the_right_one():
    assert errors(DEMO + "langauge: sv\n") == ["params/acme.yaml: langauge: unknown key; did you mean 'language'?"]
    nested = DEMO.replace("  hourly_rate: 650", "  hourly_rates: 650")
    assert errors(nested) == ["params/acme.yaml: budget.hourly_rates: unknown key; did you mean 'hourly_rate'?"]


def test_wrong_type_and_choices():
    assert errors(DEMO.replace("money: 15000", "money: lots"))[0].startswith("params/acme.yaml: budget.money: 'lots'")
    assert errors(DEMO.replace("language: en", "language: de"))[0].startswith(
        "params/acme.yaml: language: 'de' is not allowed"
    )
    line = errors(
        DEMO.replace(
            "metric: followers\n    platform: instagram\n    target_change_pct",
            "metric: folowers\n    platform: instagram\n    target_change_pct",
        )
    )[0]
    assert line == "params/acme.yaml: goals[0].metric: unknown value 'folowers'; did you mean 'followers'?"
    assert "timezone" in errors(DEMO.replace("Europe/Stockholm", "Europe/Stokholm"))[0]
    assert "colour" in errors(DEMO.replace('"#7a4b2a"', '"brown"'))[0]
    assert "currency: 'SKR'" in errors(DEMO.replace("currency: SEK", "currency: SKR"))[0]


def test_goal_needs_exactly_one_target():
    text = DEMO.replace("    target_change_pct: 20\n", "    target_change_pct: 20\n    target: 5\n", 1)
    assert errors(text) == ["params/acme.yaml: goals[0]: give exactly one of target or target_change_pct"]


def test_missing_required_key():
    assert errors(DEMO.replace("name: Nordkaffe\n", "")) == ["params/acme.yaml: name: is required"]


def test_yaml_1_1_coercions_do_not_happen():
    params = config.parse_params("name: no\nobjective: on\ncompetitors: [007, yes, off]\n", "x")
    assert params.name == "no" and params.objective == "on"
    assert params.competitors == ["007", "yes", "off"]


def test_yaml_syntax_error_and_duplicate_key_name_the_line():
    assert errors("name: [unclosed\n")[0].startswith("params/acme.yaml: line 2: not valid YAML")
    assert errors("name: a\nname: b\n")[0] == "params/acme.yaml: line 2: not valid YAML: duplicate key 'name'"


def test_unknown_client_and_bad_slug(workspace):
    with pytest.raises(UserError, match=r"unknown client 'acme': params/acme.yaml not found \(clients: demo"):
        config.load_client("acme")
    for bad in ("../x", "a/b", "Acme", ""):
        with pytest.raises(UserError, match="not a simple name"):
            config.load_client(bad)


def test_missing_data_folder(workspace):
    with pytest.raises(ParamsError, match=r"params/demo.yaml: data_dir: folder 'data/demo' does not exist"):
        config.load_client("demo")


@pytest.mark.parametrize(
    "args, status, message",
    [
        (["check", "acme"], 1, "rapport: unknown client 'acme'"),
        (["report", "../etc"], 1, "rapport: client '../etc' is not a simple name"),
        (["check", "demo"], 2, "rapport: params/demo.yaml: goals[1].deadline: '2026-02-30' is not a date"),
        (["report", "demo", "--period", "2026-13"], 1, "rapport: PERIOD=2026-13: not a month"),
    ],
)
def test_cli_user_errors_are_one_line_without_traceback(workspace, args, status, message):
    (workspace / "data" / "demo").mkdir(parents=True)
    params = workspace / "params" / "demo.yaml"
    if args == ["check", "demo"]:
        params.write_text(
            DEMO.replace('deadline: "2026-12-31"', 'deadline: "2026-02-30"').replace(
                'deadline: "2026-02-30"', 'deadline: "2026-12-31"', 1
            )
        )
    before = params.read_bytes()
    result = rapport(*args, root=workspace)
    assert result.returncode == status
    assert result.stderr.splitlines()[0].startswith(message), result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert params.read_bytes() == before


def test_the_brand_logo_must_be_an_image_file_that_exists(workspace):
    (workspace / "data" / "demo").mkdir(parents=True)
    params = workspace / "params" / "demo.yaml"
    params.write_text(DEMO.replace("logo: params/demo-logo.svg", "logo: params/logo.gif"))
    with pytest.raises(
        ParamsError, match=r"params/demo.yaml: brand.logo: 'params/logo.gif' must be a .png, .svg or .jpg file"
    ):
        config.load_client("demo")
    params.write_text(DEMO.replace("logo: params/demo-logo.svg", "logo: params/missing.png"))
    with pytest.raises(ParamsError, match=r"params/demo.yaml: brand.logo: file 'params/missing.png' not found"):
        config.load_client("demo")
    params.write_text(DEMO)
    assert config.load_client("demo").logo_path == (workspace / "params" / "demo-logo.svg").resolve()


def test_deadlines_come_after_their_start():
    text = (
        "name: A\ngoals:\n  - {id: G1, name: g, type: leads, metric: clicks, target: 5, start: 2026-10-01, "
        "deadline: 2026-09-01}\nokrs:\n  - {objective: o, start: 2026-10-01, deadline: 2026-10-01, "
        "key_results: [{name: k, metric: clicks, target: 3}]}\n"
    )
    with pytest.raises(ParamsError) as error:
        config.parse_params(text, "params/a.yaml")
    assert error.value.lines == [
        "params/a.yaml: goals[0]: deadline 2026-09-01 is not after start 2026-10-01: swap them, or move the deadline",
        "params/a.yaml: okrs[0]: deadline 2026-10-01 is not after start 2026-10-01: swap them, or move the deadline",
    ]
