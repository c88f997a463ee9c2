"""The publish stage's own page templates (publish/templates/): the outputs index and the
e-mail body; autoescaped, as the report fragments are (present/templates)."""

from __future__ import annotations

from jinja2 import Environment, FileSystemLoader, Template

from rapport import paths

PAGES = Environment(
    loader=FileSystemLoader(paths.TEMPLATES),
    autoescape=True,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)


def template(name: str) -> Template:
    return PAGES.get_template(name)
