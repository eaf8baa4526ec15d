"""Real server processes for the tests: htkg itself and peers such as ``oxigraph serve``."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

BIN = Path(sys.executable).parent

#: the bootstrap admin token of the test servers that set HTKG_ADMIN_TOKEN
ADMIN_TOKEN = "test-admin-token"
ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN}"}

#: an HTTP client that sends the admin token, for tests about something other than access
as_admin = httpx.Client(headers=ADMIN, timeout=30)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class ServerProcess:
    """A server started as a child process on a loopback port, with its log kept in a file."""

    command: list[str]
    port: int
    log_path: Path
    ready_path: str = "/health"
    env: dict[str, str] = field(default_factory=dict)
    cwd: Path | None = None
    process: subprocess.Popen[bytes] | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, *, timeout_s: float = 60) -> ServerProcess:
        env = {k: v for k, v in os.environ.items() if not k.startswith("HTKG_")}
        env.update(self.env)
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                self.command, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=self.cwd
            )
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited with {self.process.returncode}:\n{self.log()}")
            try:
                if httpx.get(self.base_url + self.ready_path, timeout=1).status_code < 500:
                    return self
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"server did not answer within {timeout_s}s:\n{self.log()}")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-5000:]


def htkg_server(store: Path, log_path: Path, **env: str) -> ServerProcess:
    """An ``htkg serve`` process on a free port, run from outside the source tree."""
    port = free_port()
    command = [sys.executable, "-m", "service", "serve", "--host", "127.0.0.1",
               "--port", str(port), "--store", str(store)]
    return ServerProcess(command, port, log_path, env=env, cwd=log_path.parent)


def oxigraph_server(location: Path, log_path: Path, *extra: str) -> ServerProcess:
    """A real ``oxigraph serve`` process (PyPI package ``oxigraph``, same engine as ours)."""
    port = free_port()
    command = [str(BIN / "oxigraph"), "serve", "--location", str(location),
               "--bind", f"127.0.0.1:{port}", *extra]
    return ServerProcess(command, port, log_path, ready_path="/query?query=ASK%7B%7D")
