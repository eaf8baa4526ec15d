"""A SPARQL endpoint that misbehaves on purpose, run as its own process by the tests.

``python -m tests.federation.misbehaving PORT``: ``/slow`` answers after 30 s, ``/garbage``
answers 200 with a body that is not SPARQL results, ``/redirect`` sends a redirect to a host
that is on no allow-list, ``/health`` answers 200.
"""

from __future__ import annotations

import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Misbehaving(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self._answer()

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self._answer()

    def _answer(self) -> None:
        if self.path.startswith("/slow"):
            time.sleep(30)
        if self.path.startswith("/redirect"):
            self.send_response(302)
            self.send_header("Location", "http://169.254.169.254/latest/meta-data/")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        body = b'{"head": {"vars": ["x"]}, "results": {"bindings": [' \
            if self.path.startswith("/garbage") else b"ok"
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        return


if __name__ == "__main__":
    ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Misbehaving).serve_forever()
