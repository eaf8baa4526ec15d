"""CORS: which web pages may call htkg's read endpoints from a browser (the Fetch standard).

A SPARQL editor such as YASGUI, or Comunica running in a page, is served from another origin
than htkg; the browser lets its scripts read our answers only when the answer says
``Access-Control-Allow-Origin``. The setting ``cors_origins`` lists the origins allowed
(``*``: any; empty: CORS off, no hook installed). It applies to the endpoints other tools
federate against and people read from (``CORS_ENDPOINTS``), not to the Graph Store, ``/shacl``
or the admin API, which are for programs and operators rather than pages.

Identity is the bearer token, which a page's script sends itself; cookies play no part, so
``Access-Control-Allow-Credentials`` is never sent and ``*`` is safe: a page learns nothing
its own token (or anonymity) would not tell it anyway.

A preflight (``OPTIONS`` with ``Access-Control-Request-Method``) carries no token by design,
so it is answered here, before authentication, and never reaches a view: ``register_cors``
must be called before ``authenticate_request`` is registered (``create_app`` does).
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit

from flask import Flask, Response, request

from service.settings import SettingsError

#: the views CORS applies to: SPARQL, VoID, entity pages, search and exports
CORS_ENDPOINTS = frozenset({"sparql.sparql", "void.void", "linked_data.entity",
                            "search.search", "export.export"})
ALLOWED_METHODS = "GET, POST"
ALLOWED_HEADERS = "Accept, Content-Type, Authorization"
#: headers of ours a page's script may read (the browser hides the rest)
EXPOSED_HEADERS = ("HTKG-Result-Truncated, Warning, Link, Content-Disposition, Retry-After, "
                   "WWW-Authenticate")
#: how long a browser may remember a preflight; Chromium caps it at 2 hours anyway
PREFLIGHT_MAX_AGE_S = 7200
ANY = "*"


class CorsPolicy:
    """The origins allowed by the settings, and the CORS headers of an answer to one."""

    def __init__(self, origins: Iterable[str]) -> None:
        allowed = [normalised_origin(origin) for origin in origins]
        self.any_origin = ANY in allowed
        self.origins = frozenset(allowed) - {ANY}

    def allow_origin(self, origin: str | None) -> str | None:
        """The ``Access-Control-Allow-Origin`` value for a request from ``origin``, if any.

        >>> CorsPolicy(["https://a.example"]).allow_origin("https://a.example")
        'https://a.example'
        >>> CorsPolicy(["https://a.example"]).allow_origin("https://b.example") is None
        True
        >>> CorsPolicy(["*"]).allow_origin("https://b.example")
        '*'
        """
        if self.any_origin:
            return ANY
        if origin is not None and origin.lower() in self.origins:
            return origin
        return None

    def headers(self, origin: str | None) -> dict[str, str]:
        """CORS headers for an answer to ``origin``: none when it is not allowed."""
        allowed = self.allow_origin(origin)
        if allowed is None:
            return {}
        return {"Access-Control-Allow-Origin": allowed,
                "Access-Control-Expose-Headers": EXPOSED_HEADERS}

    @property
    def echoes(self) -> bool:
        """Whether answers depend on ``Origin`` (so caches must key on it: ``Vary``)."""
        return not self.any_origin


def normalised_origin(origin: str) -> str:
    """An origin of the settings as browsers send it, or ``*``; refuse what cannot match.

    >>> normalised_origin("https://Example.org:8443/")
    'https://example.org:8443'

    :raises SettingsError: for a value with a path, query or fragment, or not http(s).
    """
    text = origin.strip()
    if text == ANY:
        return ANY
    parts = urlsplit(text.rstrip("/"))
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc or parts.path \
            or parts.query or parts.fragment or "@" in parts.netloc:
        raise SettingsError(f"setting 'cors_origins' has value {origin!r}; expected * or an "
                            "origin such as https://example.org (scheme, host, optional port)")
    return f"{parts.scheme}://{parts.netloc}".lower()


def register_cors(app: Flask, origins: Iterable[str]) -> None:
    """Answer preflights and add CORS headers on ``CORS_ENDPOINTS``; nothing if no origin.

    Call it before the authentication hook is registered: hooks run in that order, and a
    preflight, which carries no token, must be answered before it would be refused.
    """
    policy = CorsPolicy(origins)
    if not policy.any_origin and not policy.origins:
        return

    def answer_preflight() -> Response | None:
        """The preflight's answer (Fetch standard, CORS-preflight fetch): 204, no body."""
        if (request.method != "OPTIONS" or request.endpoint not in CORS_ENDPOINTS
                or "Access-Control-Request-Method" not in request.headers):
            return None
        response = Response(status=204)
        response.headers.remove("Content-Type")  # no body, so no type
        allowed = policy.headers(request.headers.get("Origin"))
        if allowed:
            response.headers.update(allowed)
            response.headers["Access-Control-Allow-Methods"] = ALLOWED_METHODS
            response.headers["Access-Control-Allow-Headers"] = ALLOWED_HEADERS
            response.headers["Access-Control-Max-Age"] = str(PREFLIGHT_MAX_AGE_S)
        return response

    def add_cors_headers(response: Response) -> Response:
        """Every answer of a CORS endpoint, errors included: a page may read a 401 or 404."""
        if request.endpoint not in CORS_ENDPOINTS:
            return response
        if policy.echoes:
            response.vary.add("Origin")
        for name, value in policy.headers(request.headers.get("Origin")).items():
            response.headers.setdefault(name, value)
        return response

    app.before_request(answer_preflight)
    app.after_request(add_cors_headers)
