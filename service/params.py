"""Strict reading of protocol parameters from URLs and form bodies.

werkzeug decodes parameters with ``errors="replace"``, which would silently turn a non-UTF-8
query into a different one; the SPARQL protocol asks for a 4xx instead. Repeated single-valued
parameters and parameters given both in the URL and the body are errors too, each naming the
parameter (as Oxigraph's server does).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import parse_qsl

from werkzeug.exceptions import BadRequest, UnsupportedMediaType


@dataclass
class Params:
    """Decoded parameters of one request part, keeping repeats."""

    values: dict[str, list[str]] = field(default_factory=dict)

    def all(self, name: str) -> list[str]:
        return self.values.get(name, [])

    def at_most_once(self, name: str) -> str | None:
        """The value of a single-valued parameter.

        :raises BadRequest: when it is given more than once.
        """
        found = self.all(name)
        if len(found) > 1:
            raise BadRequest(f"parameter '{name}' must be given at most once, got {len(found)}")
        return found[0] if found else None

    def __contains__(self, name: str) -> bool:
        return name in self.values


def parse_params(raw: bytes, *, where: str) -> Params:
    """Decode ``application/x-www-form-urlencoded`` bytes strictly as UTF-8.

    >>> parse_params(b"query=ASK%7B%7D&named-graph-uri=a&named-graph-uri=b", where="URL").values
    {'query': ['ASK{}'], 'named-graph-uri': ['a', 'b']}

    :raises BadRequest: when the bytes are not UTF-8 once percent-decoded.
    """
    try:
        pairs = parse_qsl(
            raw.decode("utf-8"), keep_blank_values=True, encoding="utf-8", errors="strict"
        )
    except UnicodeDecodeError as exc:
        raise BadRequest(
            f"the {where} parameters are not valid UTF-8 (byte {exc.start}); "
            "percent-encode UTF-8 text"
        ) from None
    params = Params()
    for name, value in pairs:
        params.values.setdefault(name, []).append(value)
    return params


def decode_utf8(body: bytes, *, what: str) -> str:
    """Decode a request body that the protocol says is UTF-8.

    :raises BadRequest: naming the first offending byte.
    """
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadRequest(f"the {what} is not valid UTF-8 (byte {exc.start})") from None


def require_utf8_charset(media_type_params: dict[str, str], *, what: str) -> None:
    """Refuse a body whose Content-Type names a charset other than UTF-8.

    >>> require_utf8_charset({"charset": "utf-8"}, what="a SPARQL request")

    :raises UnsupportedMediaType: naming the charset.
    """
    charset = media_type_params.get("charset")
    if charset is not None and charset.lower().replace("_", "-") not in ("utf-8", "utf8"):
        raise UnsupportedMediaType(f"charset {charset!r} is not supported; {what} must be UTF-8")
