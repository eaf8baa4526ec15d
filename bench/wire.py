"""A minimal HTTP/1.1 client for the load generators: pre-encoded GETs on one kept-alive socket.

Why not http.client: on this 2-core machine the clients share the CPU with the server under
test. http.client costs about 85 us of CPU per request (header objects, email parsing, buffered
file wrappers); a fast server answering a lookup in 70 us would then be measured against its
own client. This module sends bytes prepared once per request target and parses only what it
needs of the answer: the status, Content-Length or chunked framing, and Connection: close.
"""

from __future__ import annotations

import socket

RECV_BYTES = 256 * 1024


class ProtocolError(OSError):
    """The server's answer is not HTTP/1.1 as this client reads it."""


def encode_get(host: str, port: int, target: str, headers: dict[str, str]) -> bytes:
    """The bytes of one GET request, prepared once and sent many times."""
    lines = [f"GET {target} HTTP/1.1", f"Host: {host}:{port}"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


class Connection:
    """One persistent connection; reopened by the caller after any OSError."""

    def __init__(self, host: str, port: int, timeout_s: float = 600.0) -> None:
        self._sock = socket.create_connection((host, port), timeout=timeout_s)
        self._sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self._buffer = b""
        self.closed = False

    def close(self) -> None:
        self.closed = True
        self._sock.close()

    def _fill(self) -> None:
        data = self._sock.recv(RECV_BYTES)
        if not data:
            raise ProtocolError("connection closed by the server")
        self._buffer += data

    def _take(self, size: int) -> bytes:
        while len(self._buffer) < size:
            self._fill()
        data, self._buffer = self._buffer[:size], self._buffer[size:]
        return data

    def _line(self) -> bytes:
        while (end := self._buffer.find(b"\r\n")) < 0:
            self._fill()
        line, self._buffer = self._buffer[:end], self._buffer[end + 2:]
        return line

    def request(self, raw: bytes) -> tuple[int, bytes]:
        """Send one encoded request and read the whole answer: (status, body)."""
        self._sock.sendall(raw)
        while (end := self._buffer.find(b"\r\n\r\n")) < 0:
            self._fill()
        head, self._buffer = self._buffer[:end], self._buffer[end + 4:]
        status_line, *header_lines = head.split(b"\r\n")
        if not status_line.startswith(b"HTTP/1."):
            raise ProtocolError(f"not an HTTP status line: {status_line[:80]!r}")
        status = int(status_line[9:12])
        length, chunked, close = None, False, status_line.startswith(b"HTTP/1.0")
        for line in header_lines:
            name, _, value = line.partition(b":")
            name = name.strip().lower()
            if name == b"content-length":
                length = int(value)
            elif name == b"transfer-encoding":
                chunked = b"chunked" in value.lower()
            elif name == b"connection":
                close = value.strip().lower() == b"close"
        if chunked:
            body = self._chunked()
        elif length is not None:
            body = self._take(length)
        else:  # the body runs to the end of the connection
            body = self._buffer + self._read_to_close()
            self._buffer, close = b"", True
        if close:
            self.close()
        return status, body

    def _chunked(self) -> bytes:
        parts = []
        while True:
            size = int(self._line().split(b";", 1)[0], 16)
            if size == 0:
                while self._line():  # trailers, then the empty line
                    pass
                return b"".join(parts)
            parts.append(self._take(size))
            self._take(2)  # CRLF after the chunk

    def _read_to_close(self) -> bytes:
        parts = []
        while data := self._sock.recv(RECV_BYTES):
            parts.append(data)
        return b"".join(parts)
