"""docs/cli.md is the --help text of every command; this test keeps them equal.

Regenerate with ``UPDATE_DOCS=1 pytest tests/service/test_cli_docs.py``.
"""

from __future__ import annotations

import os
from pathlib import Path

import click
from click.testing import CliRunner

from service.cli import main

CLI_DOC = Path(__file__).parents[2] / "docs" / "cli.md"

INTRO = """# Command line: `htkg`

Every command takes `--store DIR` and `--config FILE` (see [configuration](configuration.md)),
works on the same data as a server on that store, and says clearly when it cannot (only one
process may open a store directory: stop the server, or query it over HTTP instead). Results go
to standard output, messages and progress to standard error. This page is generated from the
commands' own `--help`.
"""


def render() -> str:
    parts = [INTRO]
    runner = CliRunner()
    top = runner.invoke(main, ["--help"], prog_name="htkg").output
    parts.append(f"## htkg\n\n```text\n{top}```\n")
    for name in sorted(main.commands):
        command = main.commands[name]
        names = [name]
        if isinstance(command, click.Group):
            names += [f"{name} {sub}" for sub in sorted(command.commands)]
        for full in names:
            text = runner.invoke(main, [*full.split(), "--help"], prog_name="htkg").output
            parts.append(f"## htkg {full}\n\n```text\n{text}```\n")
    return "\n".join(parts)


def test_cli_reference_is_up_to_date() -> None:
    expected = render()
    if os.environ.get("UPDATE_DOCS"):
        CLI_DOC.write_text(expected)
    assert CLI_DOC.read_text() == expected, "regenerate with UPDATE_DOCS=1 (see the docstring)"
