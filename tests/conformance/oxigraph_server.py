"""Start a real ``oxigraph serve`` on a free loopback port, for tests and for side-by-side runs.

The reference endpoint of the conformance runs: the Oxigraph server from the PyPI package
``oxigraph`` (same engine as pyoxigraph), so that every difference htkg shows against it is
htkg's own. Nothing here is Oxigraph-specific beyond its command line and its three URLs.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from .model import Endpoint


def oxigraph_binary() -> Path:
    """The ``oxigraph`` executable of the running virtual environment, else one on PATH."""
    beside = Path(sys.executable).parent / "oxigraph"
    if beside.exists():
        return beside
    found = shutil.which("oxigraph")
    if found is None:
        raise FileNotFoundError("no oxigraph executable (pip install oxigraph)")
    return Path(found)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_until_up(process: subprocess.Popen[bytes], url: str, log: Path,
                   timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"oxigraph exited with {process.returncode}:\n"
                               f"{log.read_text(errors='replace')}")
        try:
            if httpx.get(url, timeout=1.0).status_code < 500:
                return
        except httpx.TransportError:
            time.sleep(0.05)
    raise TimeoutError(f"oxigraph did not answer at {url} within {timeout_s} s")


@contextmanager
def oxigraph_server(directory: Path, *, name: str = "oxigraph",
                    timeout_s: float = 20.0) -> Iterator[Endpoint]:
    """Run ``oxigraph serve`` with its store in ``directory``; yield its endpoint; stop it.

    The server keeps its default: a plain (not union) default graph, as the suites expect.
    """
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = directory / "oxigraph.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [str(oxigraph_binary()), "serve", "--location", str(directory / "store"),
             "--bind", f"127.0.0.1:{port}"],
            stdout=out, stderr=subprocess.STDOUT)
    try:
        _wait_until_up(process, f"{base}/query", log, timeout_s)
        yield Endpoint(name, f"{base}/query", f"{base}/update", f"{base}/store")
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
