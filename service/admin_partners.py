"""``/admin/partners`` and ``/admin/quarantine``: the partner registry and harvests, for admins.

``PUT /admin/partners/{id}`` with JSON registers or replaces a partner (its endpoints join the
SERVICE allow-list at once), ``DELETE`` removes it, ``POST /admin/partners/{id}/harvest``
harvests its shared graphs now, ``GET /admin/quarantine`` lists harvests refused by validation.
"""

from __future__ import annotations

from flask import Blueprint, Response, request
from werkzeug.exceptions import BadRequest, NotFound

from kg.access import Action, Tlp
from kg.partners import Partner, SharedGraph
from service.access import ensure_allowed
from service.admin import audit_admin, json_body, json_response
from service.state import htkg

bp = Blueprint("admin_partners", __name__, url_prefix="/admin")


@bp.before_request
def admins_only() -> None:
    ensure_allowed(Action.ADMINISTER)


@bp.route("/partners", methods=["GET"])
def list_partners() -> Response:
    return json_response({"partners": [p.public() for p in htkg().federation.registry.all()]})


@bp.route("/partners/<partner_id>", methods=["GET", "PUT", "DELETE"])
def partner(partner_id: str) -> Response:
    registry = htkg().federation.registry
    if request.method == "GET":
        found = registry.get(partner_id)
        if found is None:
            raise NotFound(f"there is no partner {partner_id!r}")
        return json_response(found.public())
    if request.method == "DELETE":
        if not registry.remove(partner_id):
            raise NotFound(f"there is no partner {partner_id!r}")
        audit_admin("partner removed", partner=partner_id)
        return Response(status=204)
    registered = partner_from_json(partner_id, json_body())
    registry.save(registered)
    audit_admin("partner registered", partner=partner_id)
    return json_response(registered.public())


@bp.route("/partners/<partner_id>/harvest", methods=["POST"])
def harvest(partner_id: str) -> Response:
    state = htkg()
    found = state.federation.registry.get(partner_id)
    if found is None:
        raise NotFound(f"there is no partner {partner_id!r}")
    outcomes = state.harvester.harvest(found)
    audit_admin("harvest", partner=partner_id, outcomes=[o.outcome for o in outcomes])
    return json_response({"partner": partner_id, "graphs": [o.as_json() for o in outcomes]})


@bp.route("/quarantine", methods=["GET"])
def quarantine() -> Response:
    return json_response({"quarantined": htkg().harvester.quarantined()})


def partner_from_json(partner_id: str, body: dict[str, object]) -> Partner:
    """A partner from the admin API's JSON (the same fields as ``htkg partner add``).

    :raises BadRequest: naming the field that is wrong.
    """
    try:
        endpoints = body["endpoints"]
        headers = body.get("headers", {})
        shared = body.get("shared", [])
        if not isinstance(endpoints, list) or not isinstance(headers, dict) \
                or not isinstance(shared, list):
            raise TypeError("endpoints and shared are lists, headers an object")
        return Partner(
            id=partner_id, org=str(body["org"]),
            endpoints=tuple(str(e) for e in endpoints),
            headers=tuple((str(k), str(v)) for k, v in headers.items()),
            timeout_s=float(body.get("timeout_s", 10.0)),  # type: ignore[arg-type]
            max_rows=int(body.get("max_rows", 10_000)),  # type: ignore[call-overload]
            shared=tuple(SharedGraph(str(g["name"]), str(g["remote"]),
                                     Tlp(g.get("tlp", "AMBER")), tuple(g.get("grants", ())))
                         for g in shared),
        )
    except KeyError as missing:
        raise BadRequest(f"a partner needs the field {missing}") from None
    except (TypeError, ValueError, AttributeError) as exc:
        raise BadRequest(f"the partner is not valid: {exc}") from None

