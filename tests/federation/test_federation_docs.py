"""The examples of docs/federation.md ("Being federated") are real: each runs against a real
htkg (and a real Oxigraph for the SERVICE example) and prints what the page shows."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.federation.partners import Partners, comunica_installed, open_htkg
from tests.live import ServerProcess, oxigraph_server

__all__ = ["open_htkg"]  # the fixture, imported for its side effect

PAGE = Path(__file__).parents[2] / "docs" / "federation.md"
DOC_HTKG = "http://127.0.0.1:8000"
DOC_OXIGRAPH = "127.0.0.1:7878"
#: commands that set up what the fixtures provide (the server, the token, the peer)
SETUP = ("export HTKG_TOKEN=", "htkg ", "oxigraph serve")
BLOCK = re.compile(r"```(\w+)\n(.*?)```", re.DOTALL)


def section() -> str:
    text = PAGE.read_text()
    start = text.index("## Being federated")
    end = text.find("\n## ", start + 1)
    return text[start:] if end < 0 else text[start:end]


def blocks(kind: str) -> list[tuple[str, str]]:
    """(block, the block right after it) for every code block of ``kind`` in the section."""
    found = BLOCK.findall(section())
    return [(body, found[i + 1][1] if i + 1 < len(found) else "")
            for i, (language, body) in enumerate(found) if language == kind]


def console_examples() -> list[tuple[str, list[str]]]:
    """(command, documented output lines) for every ``$`` line of the console blocks."""
    examples: list[tuple[str, list[str]]] = []
    for body, _ in blocks("console"):
        for line in body.splitlines():
            if line.startswith("$ "):
                examples.append((line[2:], []))
            elif examples and line.strip():
                examples[-1][1].append(line.strip())
    return [(command, output) for command, output in examples
            if not command.startswith(SETUP)]


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    root = tmp_path_factory.mktemp("oxigraph")
    server = oxigraph_server(root / "store", root / "oxigraph.log").start()
    yield server
    server.stop()


def test_the_page_has_the_examples() -> None:
    assert len(blocks("python")) == 2 and all(out for _, out in blocks("python"))
    assert len(console_examples()) == 5


@pytest.mark.parametrize(("code", "expected"), blocks("python"))
def test_python_example_prints_what_the_page_shows(open_htkg: Partners, code: str,
                                                   expected: str) -> None:
    done = subprocess.run([sys.executable, "-c", code.replace(DOC_HTKG, open_htkg.server.base_url)],
                          env={**os.environ, "HTKG_TOKEN": open_htkg.token_a},
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == expected.splitlines()


@pytest.mark.parametrize(("command", "expected"), console_examples())
def test_console_example_prints_what_the_page_shows(
    open_htkg: Partners, oxigraph: ServerProcess, command: str, expected: list[str],
) -> None:
    oxigraph_address = oxigraph.base_url.removeprefix("http://")
    real = command.replace(DOC_HTKG, open_htkg.server.base_url).replace(DOC_OXIGRAPH,
                                                                         oxigraph_address)
    done = subprocess.run(["bash", "-c", real], cwd=comunica_installed(),
                          env={**os.environ, "HTKG_TOKEN": open_htkg.token_a},
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    printed = {line.strip() for line in done.stdout.replace(open_htkg.server.base_url, DOC_HTKG)
               .splitlines()}
    missing = [line for line in expected if line not in printed]
    assert not missing, done.stdout
