"""Query and update evaluation tests: load the test data, run over HTTP, compare the answer.

Data placement follows the manifests: ``qt:data`` / ``ut:data`` go to the default graph,
``qt:graphData`` to a named graph called by the file's IRI, ``ut:graphData`` to the graph its
``rdfs:label`` names. A query's own FROM / FROM NAMED naming a test file (resolved against the
query file, as the query's base) gets that file loaded under the same IRI, since a service
under test must not fetch it from anywhere.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from urllib.parse import urljoin

import httpx
from rdflib import BNode, URIRef
from rdflib.term import Node

from .client import ANSWER_ACCEPT, Dataset, Session
from .comparison import (
    Mode,
    by_value,
    compare_answers,
    compare_datasets,
    strict,
)
from .manifest import MF, QT, UT, Case, file_path
from .model import Status, Verdict
from .rdfio import Quad, Triple, ntriples, parse_triples, rdf_format, read_file_triples
from .results import Answer, from_result_graph, parse_results, results_format
from .sparqltext import scan, with_base

_ACCEPT_BY_SUFFIX = {".tsv": "text/tab-separated-values", ".csv": "text/csv"}


def judge(compare: Callable[[Mode], str | None]) -> Verdict:
    """Run a comparison strictly, and by value only if the strict one failed."""
    reason = compare(strict)
    if reason is None:
        return Verdict.passed()
    value = Status.PASS if compare(by_value) is None else Status.FAIL
    return Verdict(Status.FAIL, value, reason)


def http_failure(response: httpx.Response) -> Verdict:
    return Verdict.failed(f"HTTP {response.status_code}: {response.text[:300]}")


@lru_cache(maxsize=2048)
def expected_answer(path: Path) -> Answer:
    """The answer a result file describes (parsed once per run, shared by all endpoints)."""
    fmt = {".srx": "xml", ".srj": "json", ".tsv": "tsv", ".csv": "csv"}.get(path.suffix)
    if fmt is not None:
        return parse_results(path.read_bytes(), fmt)
    triples = read_file_triples(path)
    return from_result_graph(triples) or triples


def parse_answer(response: httpx.Response) -> Answer:
    """Read a service's answer by its Content-Type; raises ValueError/SyntaxError."""
    media_type = response.headers.get("content-type")
    fmt = results_format(media_type)
    if fmt is not None:
        return parse_results(response.content, fmt)
    rdf = rdf_format(media_type)
    if rdf is None:
        raise ValueError(f"unexpected Content-Type {media_type!r}")
    return parse_triples(response.content, rdf, str(response.request.url))


def _named(case: Case, node: Node) -> tuple[str, Path]:
    """A graphData value: either a file (named by its IRI) or a node with a label."""
    if isinstance(node, BNode):
        source = case.one(UT.graph, node) or case.one(QT.graph, node)
        name = case.label(node)
        if source is None or name is None:
            raise ValueError(f"{case.iri}: graphData without graph file or label")
        return name, file_path(source)
    return str(node), file_path(node)


def graph_files(case: Case, node: Node | None, data: Node, graph_data: Node) -> dict[
        str | None, list[Path]]:
    graphs: dict[str | None, list[Path]] = {}
    if node is None:
        return graphs
    for value in case.all(data, node):
        graphs.setdefault(None, []).append(file_path(value))
    for value in case.all(graph_data, node):
        name, path = _named(case, value)
        graphs.setdefault(name, []).append(path)
    return graphs


def payload(graphs: dict[str | None, list[Path]]) -> Dataset:
    return {name: ntriples(paths) for name, paths in graphs.items()}


def _query_graphs(case: Case, action: Node, query: Path, text: str) -> dict[
        str | None, list[Path]]:
    graphs = graph_files(case, action, QT.data, QT.graphData)
    for iri in scan(text).from_iris:
        resolved = urljoin(query.as_uri(), iri)
        if resolved.startswith("file:") and resolved not in graphs:
            path = file_path(resolved)
            if path.is_file():
                graphs[resolved] = [path]
    return graphs


def run_query(case: Case, session: Session) -> Verdict:
    """``mf:QueryEvaluationTest`` and ``mf:CSVResultFormatTest``."""
    action = case.one(MF.action)
    result = case.one(MF.result)
    if action is None or result is None:
        return Verdict.failed("manifest gives no action or no result")
    query = file_path(case.one(QT.query, action) or action)
    text = query.read_text(encoding="utf-8")
    expected_path = file_path(result)
    session.reset()
    session.load(payload(_query_graphs(case, action, query, text)))
    accept = _ACCEPT_BY_SUFFIX.get(expected_path.suffix, ANSWER_ACCEPT)
    response = session.query(with_base(text, query.as_uri()), accept=accept)
    if not response.is_success:
        return http_failure(response)
    try:
        actual = parse_answer(response)
    except (ValueError, SyntaxError) as error:
        return Verdict.failed(f"unreadable answer: {error}")
    expected = expected_answer(expected_path)
    facts = scan(text)
    variables = getattr(expected, "variables", [])
    keys = facts.order_vars
    if keys and not set(keys) <= set(variables):
        keys = None  # sorted on something not projected: only the multiset can be checked
    lax = case.one(MF.resultCardinality) == MF.LaxCardinality
    return judge(lambda mode: compare_answers(expected, actual, mode=mode, order_keys=keys,
                                              lax=lax))


def _file_quads(graphs: dict[str | None, list[Path]]) -> list[Quad]:
    """Expected dataset; blank nodes are kept apart per file, as separate documents are."""
    quads: list[Quad] = []
    for number, (name, paths) in enumerate(graphs.items()):
        graph = None if name is None else URIRef(name)
        for index, path in enumerate(paths):
            prefix = f"f{number}x{index}x"
            quads.extend((*_relabel(t, prefix), graph) for t in read_file_triples(path))
    return quads


def _relabel(triple: Triple, prefix: str) -> Triple:
    s, p, o = (BNode(prefix + str(t)) if isinstance(t, BNode) else t for t in triple)
    return s, p, o


def run_update(case: Case, session: Session) -> Verdict:
    """``mf:UpdateEvaluationTest``: the whole store afterwards must match the expected one."""
    action = case.one(MF.action)
    result = case.one(MF.result)
    request = case.one(UT.request, action) if action is not None else None
    if request is None:
        return Verdict.failed("manifest gives no ut:request")
    path = file_path(request)
    session.reset()
    session.load(payload(graph_files(case, action, UT.data, UT.graphData)))
    response = session.update(with_base(path.read_text(encoding="utf-8"), path.as_uri()))
    if not response.is_success:
        return http_failure(response)
    actual = session.dump()
    expected = _file_quads(graph_files(case, result, UT.data, UT.graphData))
    return judge(lambda mode: compare_datasets(expected, actual, mode=mode))
