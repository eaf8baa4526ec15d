"""Access control for writes: who may write at all, and what one SPARQL update may touch.

An admin's update goes to the store as sent (Oxigraph parses it). Anyone else's is first
read by ``kg.access_update``: each graph it writes must be writable by the caller, its reads
are cut down to the graphs the caller reads, and LOAD must name an allow-listed URL.
"""

from __future__ import annotations

from flask import request
from werkzeug.exceptions import Unauthorized

from kg.access import Action, Actor, Role
from kg.access_query import is_allowed_url
from kg.access_update import UpdatePlan, plan_update
from kg.errors import FeatureDisabledError
from kg.ingest import Writer
from kg.sparql_text import iris_after
from kg.update import require_valid_update
from service.access import current_actor, ensure_allowed, gatekeeper
from service.state import htkg


def ensure_may_write() -> None:
    """Refuse early, before a body is read, a caller who can never write."""
    actor = current_actor()
    if actor is None:
        raise Unauthorized("writes need 'Authorization: Bearer <token>'")
    if actor.role is Role.READER:
        ensure_allowed(Action.WRITE, "")


def writer_of(actor: Actor | None) -> Writer:
    """The provenance agent of a write: the token id (never the token), and the address."""
    agent = actor.token_id if actor is not None else "anonymous"
    return Writer(agent=agent, source=request.remote_addr)


def authorize_update(text: str) -> UpdatePlan:
    """Check an update against the caller's rights; return what to apply.

    :raises AccessDeniedError: when it writes a graph the caller may not write, acts on all
        graphs at once, or copies from a graph the caller may not read.
    :raises FeatureDisabledError: for a LOAD of a URL that is not allow-listed.
    """
    ensure_may_write()
    actor = current_actor()
    settings = htkg().settings
    if actor is not None and actor.role is Role.ADMIN:
        plan = UpdatePlan(text)
    else:
        require_valid_update(text)  # a malformed update is a 400, not an access question
        plan = plan_update(text, base_iri=request.base_url,
                           readable=gatekeeper().readable(actor))
    if plan.all_graphs:
        ensure_allowed(Action.WRITE_ALL)
    for graph in sorted(plan.written):
        ensure_allowed(Action.WRITE, graph)
    for graph in sorted(plan.read):
        ensure_allowed(Action.READ, graph)
    for _, url in iris_after(text, "LOAD", base_iri=request.base_url, skipping=("SILENT",)):
        if not settings.allow_load:
            continue  # refused, or dropped if SILENT, by the ingest path (setting allow_load)
        if url is None or not is_allowed_url(url, settings.load_allow_list):
            raise FeatureDisabledError(f"LOAD <{url}> is not on this server's allow-list "
                                       "(setting load_allow_list)")
    return plan
