"""The request's side of access control: who is asking, and what they may touch.

``service.auth`` resolves the actor once per request into ``g.actor``; views then ask this
module, which asks ``kg.access`` (the only place rules live) and writes denials to the audit
log. A denied read is answered exactly like a missing graph (404, same message); a denied
write is a 403 that names neither the graph nor the reason.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable

from flask import g, request
from werkzeug.exceptions import NotFound

from kg.access import DEFAULT_GRAPH, AccessPolicy, Action, Actor, GraphPolicy, Role, Tlp
from kg.audit import AuditLog
from kg.errors import AccessDeniedError
from kg.policy_store import load_policies, save_policy
from kg.store import EmbeddedStore
from kg.tokens import TokenRegistry
from service.limits import ConcurrencyLimiter, RateLimiter
from service.settings import Settings
from service.state import htkg


class Gatekeeper:
    """Tokens, graph policies, limits and the audit log of one server."""

    def __init__(self, *, store: EmbeddedStore, policy: AccessPolicy, tokens: TokenRegistry,
                 audit: AuditLog, requests: RateLimiter, failures: RateLimiter,
                 queries: ConcurrencyLimiter) -> None:
        self.store = store
        self.policy = policy
        self.tokens = tokens
        self.audit = audit
        self.requests = requests
        self.failures = failures
        self.queries = queries
        self._lock = threading.Lock()
        self._graphs: tuple[str, ...] | None = None
        self._readable: dict[tuple[object, ...], frozenset[str]] = {}

    def graphs_changed(self) -> None:
        """Called after every commit: the set of graphs may have changed."""
        with self._lock:
            self._graphs = None
            self._readable = {}

    def all_graphs(self) -> tuple[str, ...]:
        with self._lock:
            if self._graphs is None:
                default = self.store.query("ASK { ?s ?p ?o }")  # the unnamed graph's triples
                own = (DEFAULT_GRAPH,) if getattr(default, "value", True) else ()
                self._graphs = (*own, *self.store.named_graphs())
            return self._graphs

    def readable(self, actor: Actor | None) -> frozenset[str]:
        """The graphs ``actor`` reads, of those that exist (cached until a write or a policy
        change: queries pay for it once, not each time)."""
        key = (actor, self.policy.version)
        found = self._readable.get(key)
        if found is None:
            found = self.policy.readable_graphs(actor, self.all_graphs())
            with self._lock:
                self._readable[key] = found
        return found

    def reads_everything(self, actor: Actor | None) -> bool:
        if actor is not None and actor.role is Role.ADMIN:
            return True
        return len(self.readable(actor)) == len(self.all_graphs())

    def claim_new_graphs(self, actor: Actor | None, graphs: Iterable[str | None]) -> None:
        """Give the graphs a write created, and that have no policy yet, to the writer's
        organisation at AMBER+STRICT (DESIGN section 4)."""
        org = actor.org if actor is not None else self.policy.organisation
        for graph in graphs:
            if graph and not self.policy.has_policy(graph):
                self.set_policy(GraphPolicy(graph, org, Tlp.AMBER_STRICT))

    def set_policy(self, policy: GraphPolicy) -> None:
        save_policy(self.store, policy, base_iri=self.policy.base_iri)
        self.policy.set(policy)
        self.graphs_changed()


def open_gatekeeper(settings: Settings, store: EmbeddedStore) -> Gatekeeper:
    """Build the access side of a server: stored policies, token file, audit log, limits."""
    policy = AccessPolicy(load_policies(store, base_iri=settings.base_iri),
                          organisation=settings.organisation, base_iri=settings.base_iri)
    return Gatekeeper(
        store=store, policy=policy, tokens=TokenRegistry(settings.tokens_path()),
        audit=AuditLog(settings.audit_path()),
        requests=RateLimiter(per_minute=settings.rate_limit_per_minute, what="requests"),
        failures=RateLimiter(per_minute=settings.auth_failures_per_minute,
                             what="failed authentications"),
        queries=ConcurrencyLimiter(limit=settings.max_concurrent_queries),
    )


def gatekeeper() -> Gatekeeper:
    return htkg().gatekeeper


def current_actor() -> Actor | None:
    actor: Actor | None = g.get("actor")
    return actor


def ensure_allowed(action: Action, graph: str | None = DEFAULT_GRAPH) -> None:
    """Let the request go on, or raise the denial (a read: 404, like a missing graph)."""
    try:
        gatekeeper().policy.ensure_allowed(current_actor(), action, graph or DEFAULT_GRAPH)
    except AccessDeniedError as denial:
        audit_denial(denial.reason, action=action.value, graph=graph)
        if action is Action.READ:
            raise NotFound(missing_graph_message(graph)) from None
        raise


def missing_graph_message(graph: str | None) -> str:
    return "there is no default graph" if not graph else f"there is no graph <{graph}>"


def audit_denial(reason: str, **fields: object) -> None:
    _audit("denied", reason=reason, **fields)


def audit_write(**fields: object) -> None:
    _audit("write", **fields)


def _audit(event: str, **fields: object) -> None:
    actor = current_actor()
    gatekeeper().audit.record(
        event,
        token=actor.token_id if actor else None, role=actor.role.value if actor else None,
        org=actor.org if actor else None, client=request.remote_addr,
        method=request.method, path=request.path, **fields,
    )

