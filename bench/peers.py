"""The servers under test: load a store, start the server, wait for it, measure its CPU, stop it.

Both peers run as separate processes on loopback ports with their own on-disk store, so the
only difference the clients see is the server itself: htkg (Flask + waitress over pyoxigraph)
or `oxigraph serve` (the same engine behind Oxigraph's own Rust HTTP server).
"""

from __future__ import annotations

import http.client
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

CLOCK_TICKS_PER_S = os.sysconf("SC_CLK_TCK")
TRUNCATED_HEADER = "HTKG-Result-Truncated"


@dataclass
class Peer:
    """A running server: where to send queries, and the process to measure and stop."""

    name: str
    host: str
    port: int
    query_path: str
    process: subprocess.Popen[bytes]
    log_path: Path
    headers: dict[str, str] = field(default_factory=dict)

    def query_target(self, query: str) -> str:
        """The request target of a GET query (path and query string)."""
        return f"{self.query_path}?{urllib.parse.urlencode({'query': query})}"

    def get(self, query: str, accept: str, timeout_s: float = 600.0) -> tuple[int, bytes]:
        """One GET query on a fresh connection: for checks, not for timing."""
        return self.fetch(self.query_target(query), accept, timeout_s)

    def fetch(self, target: str, accept: str, timeout_s: float = 600.0) -> tuple[int, bytes]:
        """GET ``target`` (path and query string) on a fresh connection.

        :raises RuntimeError: when the server cut the answer (htkg's row limit): a check
            or a copy made from a cut answer would compare or copy part of the data.
        """
        conn = http.client.HTTPConnection(self.host, self.port, timeout=timeout_s)
        try:
            conn.request("GET", target, headers={"Accept": accept, **self.headers})
            response = conn.getresponse()
            body = response.read()
            if response.getheader(TRUNCATED_HEADER):
                raise RuntimeError(f"{self.name} cut its answer to {target[:200]} "
                                   f"({TRUNCATED_HEADER}: {response.getheader(TRUNCATED_HEADER)})")
            return response.status, body
        finally:
            conn.close()

    def cpu_s(self) -> tuple[float, float]:
        """CPU seconds (user + system) used so far by the server's main process and by all
        its descendants (htkg's query workers, for instance)."""
        return process_tree_cpu_s(self.process.pid)

    def stop(self) -> None:
        """Terminate, then kill if the server ignores SIGTERM for 15 s."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def find_executable(name: str) -> str:
    """The command beside the running interpreter (the venv's bin), else on PATH."""
    found = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    if found is None:
        raise FileNotFoundError(f"{name!r} is not installed beside {sys.executable} nor on PATH")
    return found


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def run_timed(command: list[str], log_path: Path) -> float:
    """Run a loading command to completion; seconds taken. Fails with the log's tail."""
    started = time.perf_counter()
    with log_path.open("ab") as log:
        log.write(f"$ {' '.join(command)}\n".encode())
        log.flush()
        result = subprocess.run(command, stdout=log, stderr=subprocess.STDOUT, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"{command[0]} exited with {result.returncode}:\n{_tail(log_path)}")
    return time.perf_counter() - started


def fresh_directory(path: Path) -> Path:
    if path.exists():
        shutil.rmtree(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def load_oxigraph(files: list[Path], location: Path, log_path: Path) -> float:
    command = [find_executable("oxigraph"), "load", "--location", str(fresh_directory(location))]
    for file in files:
        command += ["--file", str(file)]
    return run_timed(command, log_path)


def optimize_oxigraph(location: Path, log_path: Path) -> float:
    """`oxigraph optimize`, which `oxigraph load` recommends before a read-heavy workload."""
    return run_timed([find_executable("oxigraph"), "optimize", "--location", str(location)],
                     log_path)


def load_htkg(file: Path, store: Path, log_path: Path) -> float:
    command = [find_executable("htkg"), "restore", str(file), "--store",
               str(fresh_directory(store))]
    return run_timed(command, log_path)


def start_oxigraph(name: str, location: Path, log_path: Path) -> Peer:
    port = free_port()
    command = [find_executable("oxigraph"), "serve", "--location", str(location),
               "--bind", f"127.0.0.1:{port}", "--union-default-graph"]
    return _start(name, command, port, "/query", log_path)


def start_htkg(store: Path, log_path: Path, headers: dict[str, str]) -> Peer:
    """Start htkg on ``store``. Without an Authorization header given, the server gets a
    fresh bootstrap admin token and every request carries it (htkg refuses anonymous
    callers by default; an admin's queries see the whole store, as oxigraph's do)."""
    port = free_port()
    command = [find_executable("htkg"), "serve", "--store", str(store),
               "--host", "127.0.0.1", "--port", str(port)]
    env = dict(os.environ)
    if "Authorization" not in headers:
        token = secrets.token_urlsafe(24)
        env["HTKG_ADMIN_TOKEN"] = token
        headers = {**headers, "Authorization": f"Bearer {token}"}
    return _start("htkg", command, port, "/sparql", log_path, headers, env=env)


def _start(name: str, command: list[str], port: int, query_path: str, log_path: Path,
           headers: dict[str, str] | None = None, env: dict[str, str] | None = None) -> Peer:
    log = log_path.open("ab")
    log.write(f"$ {' '.join(command)}\n".encode())
    log.flush()
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT,
                               stdin=subprocess.DEVNULL, env=env)
    log.close()  # the child keeps its own descriptor
    return Peer(name, "127.0.0.1", port, query_path, process, log_path, headers or {})


def wait_until_ready(peer: Peer, timeout_s: float = 180.0) -> float:
    """Poll with `ASK {}` until the server answers 200; seconds waited.

    Fails at once, with the server's log, if the process exits while we wait.
    """
    started = time.perf_counter()
    while True:
        if peer.process.poll() is not None:
            raise RuntimeError(f"{peer.name} exited with {peer.process.returncode}:\n"
                               f"{_tail(peer.log_path)}")
        try:
            status, body = peer.get("ASK {}", "application/sparql-results+json", timeout_s=5)
            if status == 200:
                return time.perf_counter() - started
        except OSError:
            pass
        if time.perf_counter() - started > timeout_s:
            peer.stop()
            raise TimeoutError(f"{peer.name} did not answer in {timeout_s} s:\n"
                               f"{_tail(peer.log_path)}")
        time.sleep(0.2)


def wait_until_quiet(peers: list[Peer], *, idle_cores: float = 0.05,
                     timeout_s: float = 120.0) -> float:
    """Wait until no peer uses CPU (RocksDB compacts in the background after a bulk load,
    which would slow whichever peer runs first); seconds waited."""
    started = time.perf_counter()
    before = [sum(peer.cpu_s()) for peer in peers]
    quiet_seconds = 0
    while quiet_seconds < 2 and time.perf_counter() - started < timeout_s:
        time.sleep(1.0)
        after = [sum(peer.cpu_s()) for peer in peers]
        busy = max(b - a for a, b in zip(before, after, strict=True))
        quiet_seconds = quiet_seconds + 1 if busy < idle_cores else 0
        before = after
    return time.perf_counter() - started


def machine_busy_s() -> float:
    """CPU seconds all cores spent busy since boot (everything but idle and iowait): with the
    servers' and clients' own CPU, it shows how much other load shared the machine."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
    return (sum(fields[:8]) - idle) / CLOCK_TICKS_PER_S


def process_tree_cpu_s(pid: int) -> tuple[float, float]:
    """CPU seconds of `pid` itself, and of its descendants (live ones, and reaped ones)."""
    stats = _all_stats()
    children: dict[int, list[int]] = {}
    for child, (parent, _, _) in stats.items():
        children.setdefault(parent, []).append(child)
    if pid not in stats:
        return 0.0, 0.0
    own, reaped = stats[pid][1], stats[pid][2]
    descendants, todo = reaped, list(children.get(pid, []))
    while todo:
        current = todo.pop()
        descendants += stats[current][1] + stats[current][2]
        todo.extend(children.get(current, []))
    return own, descendants


def _all_stats() -> dict[int, tuple[int, float, float]]:
    """pid -> (parent pid, own CPU seconds, reaped children's CPU seconds) for every process."""
    stats: dict[int, tuple[int, float, float]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            raw = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        fields = raw[raw.rindex(")") + 2:].split()  # the command name may hold spaces
        own = (int(fields[11]) + int(fields[12])) / CLOCK_TICKS_PER_S  # utime stime
        reaped = (int(fields[13]) + int(fields[14])) / CLOCK_TICKS_PER_S  # cutime cstime
        stats[int(entry)] = (int(fields[1]), own, reaped)
    return stats


def _tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"
