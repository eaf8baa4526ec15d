"""Who is asking: the bearer token of a request, checked once, before anything else.

``authenticate_request`` runs before every view that touches data and leaves the actor in
``g.actor`` (``None``: anonymous, allowed only when ``anonymous_read`` is on, and then it
reads CLEAR graphs only). The bootstrap token of the settings (``HTKG_ADMIN_TOKEN``) is an
admin of the installation's organisation; every other token comes from ``htkg token
create``. A client address that keeps failing to authenticate is refused without any token
being hashed (only tokens it already proved stay usable), so a flood of guesses costs
neither CPU (scrypt) nor the service of the clients behind the same address.
"""

from __future__ import annotations

import hmac

from flask import g, request
from werkzeug.datastructures import WWWAuthenticate
from werkzeug.exceptions import Unauthorized

from kg.access import Actor, Role
from kg.errors import AuthenticationError, RateLimitedError
from service.access import audit_denial, gatekeeper
from service.state import htkg

BOOTSTRAP_TOKEN_ID = "bootstrap"
MAX_HEADER_CHARS = 1024

#: endpoints anyone may call: liveness, metrics, and the published ontology and shapes
PUBLIC_ENDPOINTS = frozenset({"ops.health", "ops.metrics", "ontology.ontology",
                              "ontology.shapes", "static",
                              "federation_route.forward"})  # loopback, a per-query capability


def authenticate_request() -> None:
    """Set ``g.actor`` for this request, or refuse it (401, or 429 when rate limited)."""
    if request.endpoint in PUBLIC_ENDPOINTS or request.endpoint is None:
        return
    gate = gatekeeper()
    client = request.remote_addr or "unknown"
    header = request.headers.get("Authorization")
    if header is None:
        if not htkg().settings.anonymous_read:
            raise Unauthorized("this server needs 'Authorization: Bearer <token>'",
                               www_authenticate=_challenge())
        gate.requests.take(f"address:{client}")
        g.actor = None
        return
    flooded = gate.failures.exhausted(client)
    try:
        actor = _actor_of(header, verified_only=flooded)
    except AuthenticationError as exc:
        if flooded:  # refused unchecked: a flood of guesses costs no scrypt
            audit_denial("too many failed authentications", action="authenticate")
            raise RateLimitedError("too many failed authentications from this address; "
                                   "retry in a minute", retry_after_s=60) from exc
        try:
            gate.failures.take(client)
        except RateLimitedError:
            pass  # the address is out of attempts: its next request is refused unchecked
        audit_denial(exc.message, action="authenticate")
        raise Unauthorized(exc.message, www_authenticate=_challenge(error=True)) from None
    if actor.role is not Role.ADMIN:  # operators are trusted; a stolen admin token is worse
        gate.requests.take(f"token:{actor.token_id}")
    g.actor = actor


def _actor_of(header: str, *, verified_only: bool) -> Actor:
    if len(header) > MAX_HEADER_CHARS:
        raise AuthenticationError(f"the Authorization header is over {MAX_HEADER_CHARS} "
                                  "characters")
    scheme, _, token = header.strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token or " " in token:
        raise AuthenticationError("the Authorization header must read 'Bearer <token>'")
    settings = htkg().settings
    bootstrap = settings.admin_token
    if bootstrap and hmac.compare_digest(token.encode(), bootstrap.encode()):
        return Actor(BOOTSTRAP_TOKEN_ID, Role.ADMIN, settings.organisation)
    return gatekeeper().tokens.authenticate(token, verified_only=verified_only)


def _challenge(*, error: bool = False) -> WWWAuthenticate:
    values = {"realm": "htkg"}
    if error:
        values["error"] = "invalid_token"
    return WWWAuthenticate("bearer", values)
