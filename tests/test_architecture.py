"""House rules that a reviewer would otherwise check by hand (STYLE.md H1, H17)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).parents[1]
WEB_STACK = {"flask", "werkzeug", "click", "waitress", "service"}
MAX_MODULE_LINES = 500


def python_files(*folders: str) -> list[Path]:
    return [p for folder in folders for p in (ROOT / folder).rglob("*.py")
            if "w3c" not in p.parts]


def test_kg_never_imports_the_web_stack() -> None:
    for path in python_files("kg"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                assert name.split(".")[0] not in WEB_STACK, f"{path}: imports {name}"


def test_modules_stay_small() -> None:
    for path in python_files("kg", "service", "tests", "bench"):
        lines = len(path.read_text().splitlines())
        assert lines <= MAX_MODULE_LINES, f"{path.relative_to(ROOT)} has {lines} lines"
