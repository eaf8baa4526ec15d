"""Who is asking: the bearer token of a request, checked once, before anything else.

Until per-organisation tokens exist, one admin token from the settings (``admin_token``,
``HTKG_ADMIN_TOKEN``) may write; reads need no token.
"""

from __future__ import annotations

import hmac

from flask import request
from werkzeug.datastructures import WWWAuthenticate
from werkzeug.exceptions import Forbidden, Unauthorized

from service.state import htkg


def require_writer() -> None:
    """Allow the request only with the admin bearer token.

    :raises Unauthorized: without a token or with a wrong one (with a Bearer challenge).
    :raises Forbidden: when the server has no admin token, so nobody may write.
    """
    expected = htkg().settings.admin_token
    if not expected:
        raise Forbidden("writes are disabled on this server: no admin token is configured")
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized(
            "this request writes and needs 'Authorization: Bearer <token>'",
            www_authenticate=_challenge(),
        )
    if not hmac.compare_digest(token.strip().encode(), expected.encode()):
        raise Unauthorized("the bearer token is not valid", www_authenticate=_challenge())


def _challenge() -> WWWAuthenticate:
    return WWWAuthenticate("bearer", {"realm": "htkg"})
