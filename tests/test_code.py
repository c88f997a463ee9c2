"""The code's shape, as the house style asks: short functions with few positional parameters,
and the import layers (data → analysis → present → publish) kept by `make lint`."""

import ast
from pathlib import Path

LIB = Path(__file__).resolve().parents[1] / "lib" / "rapport"
MAX_LINES = 50
MAX_POSITIONAL = 5


def functions():
    for path in sorted(LIB.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                yield f"{path.relative_to(LIB.parent)}:{node.lineno} {node.name}", node


def test_no_function_is_longer_than_50_lines():
    long = [
        f"{where} ({node.end_lineno - node.lineno + 1} lines)"
        for where, node in functions()
        if node.end_lineno - node.lineno + 1 > MAX_LINES
    ]
    assert long == []


def test_no_function_takes_more_than_5_positional_parameters():
    def positional(node):
        names = [a.arg for a in node.args.posonlyargs + node.args.args]
        return [n for n in names if n not in ("self", "cls")]

    many = [
        f"{where}: {', '.join(positional(node))}"
        for where, node in functions()
        if len(positional(node)) > MAX_POSITIONAL
    ]
    assert many == []
