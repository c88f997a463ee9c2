"""rapport: social media reporting from platform exports, as parameterised notebooks."""

import sys

__version__ = "0.1.0"

# jsonschema (which nbformat uses to validate notebooks) imports rfc3987_syntax when it is
# installed (jupyter-events pulls it in), and that module builds a grammar parser at import:
# 0.8 s in every process that touches a notebook. Notebook validation never checks IRIs, so
# rapport's processes do without it (jsonschema treats it as not installed).
sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]


def open_report(name: str, client: str, period: str = "", output_dir: str = ""):
    """The report `name` (audit, goals, monthly, activity, exceptions) of `client` over
    `period` ('' for the last complete month, "2026-10", or for the activity report its last
    day "2026-10-31"): what a notebook and an analyst work with (rapport.present.report.Report;
    recipes in docs/analysts.md). `output_dir` is set by `rapport report` only.

    >>> r = rapport.open_report("monthly", "demo", "2026-10")
    >>> r
    <Report monthly · demo · 2026-10-01 – 2026-10-31>
    >>> r.kpis().loc["all", "posts"] >= 0
    np.True_
    """
    from .present.report import open_report as _open

    return _open(name, client, period, output_dir)
