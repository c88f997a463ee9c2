"""rapport: social media reporting from platform exports, as parameterised notebooks."""

__version__ = "0.1.0"


def open_report(name: str, client: str, period: str = "", output_dir: str = ""):
    """The notebooks' entry point: see rapport.report.Report."""
    from .report import open_report as _open

    return _open(name, client, period, output_dir)
