"""The per-app state every view reaches through one accessor."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from flask import current_app

from kg.curated import load_curated_graphs
from kg.entailment import Entailment
from kg.federation import Federation
from kg.harvest import Harvester
from kg.ingest import Ingest
from kg.store import EmbeddedStore
from kg.validation import Validator
from kg.workers import QueryWorkers
from service.metrics import Metrics
from service.negotiation import Negotiator
from service.ontology_page import ReferencePage
from service.settings import Settings

if TYPE_CHECKING:
    from service.access import Gatekeeper

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Htkg:
    """What ``create_app`` builds once: settings, store, query workers, metrics, version."""

    settings: Settings
    store: EmbeddedStore
    ingest: Ingest
    validator: Validator
    workers: QueryWorkers
    metrics: Metrics
    negotiator: Negotiator
    reference: ReferencePage
    gatekeeper: Gatekeeper
    federation: Federation
    harvester: Harvester
    version: str


def htkg() -> Htkg:
    state: Htkg = current_app.extensions["htkg"]
    return state


def open_store(settings: Settings) -> EmbeddedStore:
    """Open the store the settings name and bring the shipped graphs up to date.

    The server and every CLI command go through here, so they all see the same data. When
    the shipped graphs changed (a first start, an upgrade), the inferred graph is rebuilt.
    """
    store = EmbeddedStore.open(settings.store)
    changed = False
    for load in load_curated_graphs(store, base_iri=settings.base_iri):
        state = "loaded" if load.replaced else "unchanged"
        log.info("%s: %s (%d files)", load.graph, state, load.files)
        changed = changed or load.replaced
    if changed:
        change = Entailment.from_store(store, base_iri=settings.base_iri).rebuild(store)
        log.info("inferred graph rebuilt: %d added, %d removed", change.added, change.removed)
        store.optimize()  # the query workers' checkpoints are never compacted: do it first
    return store
