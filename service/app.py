"""The application factory: it wires settings, store and blueprints, and nothing else."""

from __future__ import annotations

import os

from flask import Flask

from kg.entailment import Entailment
from kg.federation import Federation
from kg.harvest import Harvester
from kg.ingest import Ingest
from kg.partners import PartnerRegistry
from kg.validation import Validator
from kg.workers import QueryWorkers
from service import (
    admin,
    admin_partners,
    export,
    federation_route,
    graph_store,
    linked_data,
    ontology,
    ops,
    search,
    shacl,
    sparql,
    void,
)
from service.access import open_gatekeeper
from service.auth import authenticate_request
from service.cors import register_cors
from service.errors import register_error_handlers
from service.metrics import Metrics
from service.negotiation import Negotiator
from service.ontology_page import ReferencePage
from service.settings import Settings, load_settings, own_url
from service.state import Htkg, open_store


def create_app(settings: Settings | None = None) -> Flask:
    """Build an htkg app on the store the settings name, with the shipped graphs loaded.

    Without settings, they are read from ``HTKG_*`` variables (and ``HTKG_CONFIG``), so that
    ``waitress-serve --call service.app:create_app`` works.
    """
    if settings is None:
        settings = load_settings(environ=os.environ)
    store = open_store(settings)

    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = settings.max_body_bytes
    metrics = Metrics(store.triple_count)
    workers = QueryWorkers(store, workers=settings.query_workers,
                           views=settings.query_views)
    gate = open_gatekeeper(settings, store)

    def on_commit() -> None:
        workers.refresh()
        gate.graphs_changed()

    validator = Validator.from_store(store, base_iri=settings.base_iri)
    ingest = Ingest(
        store,
        base_iri=settings.base_iri,
        on_commit=on_commit,
        validator=validator,
        entailment=Entailment.from_store(store, base_iri=settings.base_iri),
        allow_load=settings.allow_load,
        allow_service=False,  # an update never calls out; partner data comes by harvest
    )
    federation = Federation(PartnerRegistry(store, base_iri=settings.base_iri),
                            allow_list=settings.service_allow_list,
                            route_base=own_url(settings), on_call=metrics.federation_call)
    harvester = Harvester(store, ingest, federation, base_iri=settings.base_iri,
                          quarantine=settings.quarantine_path(), set_policy=gate.set_policy)
    app.extensions["htkg"] = Htkg(
        settings=settings, store=store, ingest=ingest, validator=validator, workers=workers,
        metrics=metrics, negotiator=Negotiator(),
        reference=ReferencePage(), gatekeeper=gate, federation=federation,
        harvester=harvester,
        version=ops.htkg_version(),
    )
    register_error_handlers(app)
    register_cors(app, settings.cors_origins)  # first: preflights carry no token
    app.before_request(authenticate_request)
    app.register_blueprint(sparql.bp)
    app.register_blueprint(graph_store.bp)
    app.register_blueprint(ontology.bp)
    app.register_blueprint(shacl.bp)
    app.register_blueprint(ops.bp)
    app.register_blueprint(admin.bp)
    app.register_blueprint(admin_partners.bp)
    app.register_blueprint(federation_route.bp)
    app.register_blueprint(linked_data.bp)
    app.register_blueprint(search.bp)
    app.register_blueprint(export.bp)
    app.register_blueprint(void.bp)
    app.wsgi_app = metrics.wrap(app.wsgi_app)  # type: ignore[method-assign]
    return app
