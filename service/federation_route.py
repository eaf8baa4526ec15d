"""``/federation/{call}/{n}``: where a running query's SERVICE calls come back in.

The query workers' pyoxigraph sends each SERVICE request here (``kg.federation`` rewrote the
endpoint); this view hands it to ``Federation.forward``, which calls the partner with its
credentials and limits. Only loopback callers are served, and only for a call id that a
running query holds: an unknown id is a 404 like any unknown path.
"""

from __future__ import annotations

from flask import Blueprint, Response, request
from werkzeug.exceptions import NotFound

from service.params import decode_utf8, parse_params
from service.state import htkg

bp = Blueprint("federation_route", __name__)

LOOPBACK = ("127.0.0.1", "::1")


@bp.route("/federation/<call_id>/<int:index>", methods=["POST"])
def forward(call_id: str, index: int) -> Response:
    if request.remote_addr not in LOOPBACK:
        raise NotFound()
    body = request.get_data(cache=False)
    if request.mimetype == "application/x-www-form-urlencoded":
        query = parse_params(body, where="form").at_most_once("query") or ""
    else:
        query = decode_utf8(body, what="query")
    try:
        status, answer, media_type = htkg().federation.forward(call_id, index, query)
    except (KeyError, IndexError):
        raise NotFound() from None
    return Response(answer, status=status, content_type=media_type)
