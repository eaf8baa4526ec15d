"""Run W3C suites against endpoints: choose the tests, decide skips, dispatch, time, collect.

This is the Python entry point a pytest fixture calls::

    report = run_suites(Endpoint("htkg", q, u, gsp), suites=["protocol", "query-1.1"])
    assert report.counts("query-1.1").passed >= GATE

Tests run one after another per endpoint (they share the endpoint's store, reset with
``DROP ALL`` before each test); several endpoints run side by side in threads, each with its
own store and connection pool, sharing the manifests and parsed expected results.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from .client import EndpointError, Loader, Session, gsp_loader
from .evaluation import run_query, run_update
from .graph_store import run_graph_store
from .httpspec import read_requests
from .manifest import DAWGT, MF, QT, UT, W3C_DIR, Case, Manifests, file_path
from .model import Endpoint, Outcome, Report, Verdict
from .protocol import is_update as is_update_request
from .protocol import run_protocol
from .service_description import run_service_description
from .sparqltext import scan
from .syntax import is_update, run_syntax

Handler = Callable[[Case, Session], Verdict]

#: Suite name -> manifests (relative to ``w3c/rdf-tests/sparql``), in report order.
SUITES: dict[str, tuple[str, ...]] = {
    "protocol": ("sparql11/protocol/manifest.ttl",),
    "graph-store": ("sparql11/graph-store-protocol/manifest.ttl",),
    "service-description": ("sparql11/service-description/manifest.ttl",),
    "query-1.1": ("sparql11/manifest-sparql11-query.ttl", "sparql11/manifest-sparql11-results.ttl",
                  "sparql11/manifest-sparql11-fed.ttl", "sparql11/entailment/manifest.ttl"),
    "update-1.1": ("sparql11/manifest-sparql11-update.ttl",),
    "query-1.0": ("sparql10/manifest.ttl",),
}

_SYNTAX_KINDS = {"PositiveSyntaxTest", "PositiveSyntaxTest11", "NegativeSyntaxTest",
                 "NegativeSyntaxTest11", "PositiveUpdateSyntaxTest11",
                 "NegativeUpdateSyntaxTest11"}
HANDLERS: dict[str, Handler] = {
    "ProtocolTest": run_protocol,
    "GraphStoreProtocolTest": run_graph_store,
    "ServiceDescriptionTest": run_service_description,
    "QueryEvaluationTest": run_query,
    "CSVResultFormatTest": run_query,
    "UpdateEvaluationTest": run_update,
    **dict.fromkeys(_SYNTAX_KINDS, run_syntax),
}

ENTAILMENT = "needs an entailment regime (RDF, RDFS, D, OWL or RIF); tested: simple entailment"
REMOTE_SERVICE = "SERVICE evaluation needs remote SPARQL endpoints (network)"


def row_name(suite: str, case: Case) -> str:
    """Report row: syntax tests of the query and update suites get rows of their own."""
    return f"{suite}-syntax" if case.kind in _SYNTAX_KINDS else suite


class Catalog:
    """The parsed manifests of a run, shared by every endpoint tested in it."""

    def __init__(self, root: Path = W3C_DIR) -> None:
        self.root = root
        self.manifests = Manifests()
        self._cases: dict[str, list[Case]] = {}

    def cases(self, suite: str) -> list[Case]:
        if suite not in SUITES:
            raise ValueError(f"unknown suite {suite!r}; known: {', '.join(SUITES)}")
        if suite not in self._cases:
            self._cases[suite] = [case for manifest in SUITES[suite]
                                  for case in self.manifests.cases(self.root / manifest)]
        return self._cases[suite]


def _request_text(case: Case) -> str | None:
    """The query or update text a test sends, when it is a file named by the manifest."""
    action = case.one(MF.action)
    if action is None:
        return None
    source = case.one(QT.query, action) or case.one(UT.request, action) or action
    try:
        return file_path(source).read_text(encoding="utf-8")
    except (ValueError, OSError):
        return None


_UPDATE_KINDS = {"UpdateEvaluationTest", "PositiveUpdateSyntaxTest11",
                 "NegativeUpdateSyntaxTest11"}
_DATA_KINDS = {"QueryEvaluationTest", "CSVResultFormatTest", "UpdateEvaluationTest"}
NO_UPDATE = "endpoint offers no SPARQL Update (no update URL)"
NO_LOADING = "needs test data loaded, and the endpoint offers no update and Graph Store URL"


def _capability_reason(case: Case, endpoint: Endpoint, can_load: bool) -> str | None:
    """Skips for a service without update or Graph Store: what it cannot run at all."""
    if case.kind == "GraphStoreProtocolTest" and not endpoint.graph_store_url:
        return "endpoint offers no Graph Store Protocol (no Graph Store URL)"
    if not endpoint.update_url and (case.kind in _UPDATE_KINDS or (
            case.kind in _SYNTAX_KINDS and is_update(case)) or (
            case.kind == "ProtocolTest" and any(map(is_update_request, read_requests(case))))):
        return NO_UPDATE
    needs_data = case.kind in _DATA_KINDS or (
        case.kind == "ProtocolTest" and bool(case.all(UT.graphData)))
    return NO_LOADING if needs_data and not can_load else None


def skip_reason(case: Case, endpoint: Endpoint, *, can_load: bool = True) -> str | None:
    """Why a test is not run against ``endpoint``, or None to run it."""
    if case.kind not in HANDLERS:
        return f"test type mf:{case.kind} is not run by this runner"
    if "entailment" in case.manifest.parts:
        return ENTAILMENT
    action = case.one(MF.action)
    if "service" in case.manifest.parts or (action is not None and case.all(QT.serviceData,
                                                                             action)):
        return REMOTE_SERVICE
    if case.one(DAWGT.approval) == DAWGT.Withdrawn:
        return "withdrawn by the working group"
    required = {str(r).rsplit("#", 1)[-1] for r in case.all(MF.requires)}
    if declared := sorted(required & endpoint.unsupported):
        return f"endpoint declares it does not offer {', '.join(declared)}"
    if reason := _capability_reason(case, endpoint, can_load):
        return reason
    if {"LOAD", "SERVICE"} & endpoint.unsupported and case.kind in _SYNTAX_KINDS | {
            "UpdateEvaluationTest", "QueryEvaluationTest"}:
        text = _request_text(case)
        if text is not None and scan(text).needs_network:
            return "endpoint declares it does not offer LOAD/SERVICE, which this test uses"
    return None


def run_case(case: Case, suite: str, session: Session) -> Outcome:
    started = time.perf_counter()
    endpoint = session.endpoint
    can_load = bool(endpoint.update_url) and (
        bool(endpoint.graph_store_url) or session.loader is not gsp_loader)
    reason = skip_reason(case, endpoint, can_load=can_load)
    if reason is not None:
        verdict = Verdict.skipped(reason)
    else:
        try:
            verdict = HANDLERS[case.kind](case, session)
        except (EndpointError, httpx.HTTPError, ValueError, SyntaxError, OSError) as error:
            session.dirty = True
            verdict = Verdict.failed(f"{type(error).__name__}: {error}")
    return Outcome(case.iri, case.name, row_name(suite, case), verdict.strict, verdict.value,
                   verdict.reason, round(time.perf_counter() - started, 4))


def run_suites(endpoint: Endpoint, suites: Iterable[str] = tuple(SUITES), *,
               catalog: Catalog | None = None, loader: Loader = gsp_loader,
               timeout_s: float = 30.0,
               progress: Callable[[Outcome], None] | None = None) -> Report:
    """Run the named suites against one endpoint and return every outcome."""
    catalog = catalog or Catalog()
    chosen = [(suite, catalog.cases(suite)) for suite in suites]
    report = Report(endpoint.name)
    started = time.perf_counter()
    with Session(endpoint, loader=loader, timeout_s=timeout_s) as session:
        for suite, cases in chosen:
            for case in cases:
                outcome = run_case(case, suite, session)
                report.outcomes.append(outcome)
                if progress is not None:
                    progress(outcome)
    report.seconds = time.perf_counter() - started
    return report


def run_many(endpoints: Sequence[Endpoint], suites: Iterable[str] = tuple(SUITES), *,
             timeout_s: float = 30.0) -> list[Report]:
    """Run the same suites against several endpoints at once, one thread per endpoint."""
    suites = list(suites)
    catalog = Catalog()
    for suite in suites:
        catalog.cases(suite)  # parse every manifest before the threads share the catalog
    with ThreadPoolExecutor(max_workers=max(1, len(endpoints))) as pool:
        futures = [pool.submit(run_suites, e, suites, catalog=catalog, timeout_s=timeout_s)
                   for e in endpoints]
        return [f.result() for f in futures]
