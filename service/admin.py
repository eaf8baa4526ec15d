"""``/admin/...``: tokens, graph policies and the audit log, for admins only.

JSON in, JSON out. The same operations exist on the command line (``htkg token``, ``htkg
graph policy``); the API is how they are done while a server holds the store.
"""

from __future__ import annotations

import json
from datetime import date
from enum import StrEnum
from typing import TypeVar

from flask import Blueprint, Response, request
from werkzeug.exceptions import BadRequest, NotFound

from kg.access import ORG_PATTERN, Action, GraphPolicy, Role, Tlp
from kg.policy_store import delete_policy
from service.access import current_actor, ensure_allowed, gatekeeper
from service.params import parse_params

E = TypeVar("E", bound=StrEnum)
bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
def admins_only() -> None:
    ensure_allowed(Action.ADMINISTER)


@bp.route("/tokens", methods=["GET"])
def list_tokens() -> Response:
    return json_response({"tokens": [r.public() for r in gatekeeper().tokens.records()]})


@bp.route("/tokens", methods=["POST"])
def create_token() -> Response:
    """Create a token; the answer is the only place the token ever appears."""
    body = json_body()
    role = _choice(body, "role", Role)
    org = _org(body.get("org"))
    expires = body.get("expires")
    try:
        expiry = date.fromisoformat(expires) if expires is not None else None
    except (TypeError, ValueError):
        raise BadRequest(f"'expires' is a date like 2027-01-31, not {expires!r}") from None
    token, record = gatekeeper().tokens.create(role=role, org=org, expires=expiry)
    audit_admin("token created", token_id=record.id)
    return json_response({**record.public(), "token": token}, status=201)


@bp.route("/tokens/<token_id>", methods=["DELETE"])
def revoke_token(token_id: str) -> Response:
    try:
        record = gatekeeper().tokens.revoke(token_id)
    except KeyError:
        raise NotFound(f"there is no token {token_id!r}") from None
    audit_admin("token revoked", token_id=token_id)
    return json_response(record.public())


@bp.route("/policies", methods=["GET", "PUT", "DELETE"])
def policies() -> Response:
    """All explicit policies (GET without ``graph``), or one graph's policy."""
    gate = gatekeeper()
    graph = parse_params(request.query_string, where="URL").at_most_once("graph")
    if graph is None:
        if request.method != "GET":
            raise BadRequest("name the graph with ?graph=IRI")
        return json_response({"policies": [p.as_json() for p in gate.policy.explicit().values()]})
    if request.method == "GET":
        return json_response(gate.policy.policy(graph).as_json())
    if request.method == "DELETE":
        delete_policy(gate.store, graph, base_iri=gate.policy.base_iri)
        gate.policy.remove(graph)
        gate.graphs_changed()
        audit_admin("policy removed", graph=graph)
        return Response(status=204)
    body = json_body()
    grants = body.get("grants", [])
    if not isinstance(grants, list) or not all(isinstance(g, str) and g for g in grants):
        raise BadRequest("'grants' is a list of organisation identifiers or token ids")
    policy = GraphPolicy(graph, _org(body.get("owner")), _choice(body, "tlp", Tlp),
                         frozenset(grants))
    gate.set_policy(policy)
    audit_admin("policy set", graph=graph, policy=policy.as_json())
    return json_response(policy.as_json())


@bp.route("/audit", methods=["GET"])
def audit() -> Response:
    """The audit log as JSON lines, oldest first: ``?since=ISO-TIME&event=denied&limit=N``."""
    params = parse_params(request.query_string, where="URL")
    limit_text = params.at_most_once("limit") or "1000"
    if not limit_text.isdigit() or not 0 < int(limit_text) <= 100_000:
        raise BadRequest("'limit' is a number of lines from 1 to 100000")
    lines = gatekeeper().audit.read(since=params.at_most_once("since"),
                                    event=params.at_most_once("event"), limit=int(limit_text))
    body = "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines)
    return Response(body, mimetype="application/x-ndjson")


def json_body() -> dict[str, object]:
    """The request body as a JSON object, or a 400 that says what is wrong."""
    try:
        body = json.loads(request.get_data(cache=False) or b"null")
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise BadRequest(f"the body is not JSON: {exc}") from None
    if not isinstance(body, dict):
        raise BadRequest("the body is a JSON object")
    return body


def _choice(body: dict[str, object], key: str, kind: type[E]) -> E:
    value = body.get(key)
    try:
        return kind(value)
    except ValueError:
        allowed = ", ".join(member.value for member in kind)
        raise BadRequest(f"'{key}' is one of {allowed}, not {value!r}") from None


def _org(value: object) -> str:
    if not isinstance(value, str) or not ORG_PATTERN.match(value):
        raise BadRequest(f"an organisation is lower-case letters, digits and '-', not {value!r}")
    return value


def audit_admin(what: str, **fields: object) -> None:
    actor = current_actor()
    gatekeeper().audit.record("admin", action=what, token=actor.token_id if actor else None,
                              client=request.remote_addr, **fields)


def json_response(value: object, *, status: int = 200) -> Response:
    return Response(json.dumps(value, ensure_ascii=False), status=status,
                    mimetype="application/json")
