"""``/export``: every named graph the caller may read, as one N-Quads or TriG download.

A partner or an analyst takes a copy of what they can see without knowing SPARQL or the graph
names. The export is the SPARQL query ``SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }``
run through ``run_for_caller`` like any other read, so the graphs in it are exactly those the
caller's queries see. Its answer arrives as TSV (whose cells are RDF terms) in chunks from a
query worker, is parsed lazily and re-serialized a batch of quads at a time: the server never
holds the whole export in memory (STYLE H12), however large the store.

The store's unnamed default graph is not part of an export: with the union default graph it
would repeat every named graph, and htkg keeps its data in named graphs.
"""

from __future__ import annotations

import io
from collections.abc import Generator, Iterable, Iterator
from typing import Any

import pyoxigraph as ox
from flask import Blueprint, Response, request
from werkzeug.exceptions import NotAcceptable

from kg.results import ResultKind
from service.linked_data import ask_for_caller
from service.negotiation import GRAPH_FORMATS, Choice, _choose
from service.params import parse_params
from service.sparql import QueryRequest, run_for_caller
from service.state import htkg

bp = Blueprint("export", __name__)

# ?format= name -> media type; the first is the default, for */* and browsers too.
EXPORT_FORMATS = {"nquads": "application/n-quads", "trig": "application/trig"}
EXPORT_QUERY = "SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }"
TSV = Choice("text/tab-separated-values", ox.QueryResultsFormat.TSV)
GRAPH_NQUADS = Choice("application/n-quads", ox.RdfFormat.N_QUADS)  # never used
QUADS_PER_CHUNK = 2000
READ_BUFFER_BYTES = 64 * 1024


@bp.after_request
def _vary_on_accept(response: Response) -> Response:
    response.vary.add("Accept")
    return response


@bp.route("/export", methods=["GET", "HEAD"])
def export() -> Response:
    """Stream the caller's named graphs; 406 when neither ``?format=`` nor Accept fits.

    The format is chosen and the query started (raising any 4xx) before the first byte.
    """
    choice = _export_format(request.headers.get("Accept"))
    headers = {"Content-Disposition":
               f'attachment; filename="htkg-export.{choice.format.file_extension}"'}
    if request.method == "HEAD":
        # Same checks as a GET, without starting an export that would only be thrown away
        # (abandoning a streaming answer costs a query worker).
        ask_for_caller("ASK {}")
        return Response(status=200, content_type=choice.media_type, headers=headers)
    # every quad, not the first max_result_rows: an export is whole graphs by definition
    answer = run_for_caller(_query(EXPORT_QUERY), choose=_tsv, unlimited_rows=True)
    return Response(QuadStream(answer.body, choice.format), content_type=choice.media_type,
                    headers=headers)


class QuadStream:
    """The export body: TSV solutions in, serialized quads out, one batch at a time.

    A class rather than a generator so that ``close`` (called by the WSGI server at the end,
    also when the client went away early) always reaches the query answer and frees its
    worker. An error after the first byte cannot change the status: it ends the stream, and
    the client sees the connection closed before the last chunk.
    Each batch is serialized on its own: N-Quads are line based, and TriG allows a graph's
    block to appear more than once, so the concatenation is one valid document.
    """

    def __init__(self, solutions_tsv: bytes | Iterable[bytes], fmt: ox.RdfFormat) -> None:
        self._tsv = solutions_tsv
        self._format = fmt
        self._batches: Generator[bytes, None, None] | None = None

    def __iter__(self) -> Iterator[bytes]:
        self._batches = self._serialize()
        return self._batches

    def _serialize(self) -> Generator[bytes, None, None]:
        source: bytes | io.BufferedReader
        if isinstance(self._tsv, bytes):
            source = self._tsv
        else:
            source = io.BufferedReader(_ChunkReader(self._tsv), READ_BUFFER_BYTES)
        solutions = ox.parse_query_results(source, ox.QueryResultsFormat.TSV)
        assert isinstance(solutions, ox.QuerySolutions)
        batch: list[ox.Quad] = []
        for solution in solutions:
            graph, subject, predicate, obj = (solution[v] for v in ("g", "s", "p", "o"))
            batch.append(ox.Quad(subject, predicate, obj, graph))  # type: ignore[arg-type]
            if len(batch) >= QUADS_PER_CHUNK:
                yield ox.serialize(batch, format=self._format)
                batch = []
        if batch:
            yield ox.serialize(batch, format=self._format)

    def close(self) -> None:
        # pyoxigraph's parser belongs to the thread that made it: end it here, not in the GC
        if self._batches is not None:
            self._batches.close()
        close = getattr(self._tsv, "close", None)
        if close is not None:
            close()


class _ChunkReader(io.RawIOBase):
    """A readable file over an iterable of byte chunks, for pyoxigraph's streaming parser."""

    def __init__(self, chunks: Iterable[bytes]) -> None:
        self._chunks = iter(chunks)
        self._pending = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        while not self._pending:
            next_chunk = next(self._chunks, None)
            if next_chunk is None:
                return 0
            self._pending = next_chunk
        size = min(len(buffer), len(self._pending))
        buffer[:size] = self._pending[:size]
        self._pending = self._pending[size:]
        return size


def _export_format(accept: str | None) -> Choice[ox.RdfFormat]:
    """``?format=nquads|trig`` if given, else the Accept header; N-Quads by default."""
    name = parse_params(request.query_string, where="URL").at_most_once("format")
    if name is not None:
        if name not in EXPORT_FORMATS:
            raise NotAcceptable(f"format {name!r} is not available for exports; use one of: "
                                f"{', '.join(EXPORT_FORMATS)}")
        accept = EXPORT_FORMATS[name]
    table = {media_type: GRAPH_FORMATS[media_type] for media_type in EXPORT_FORMATS.values()}
    default = next(iter(table))
    return _choose(accept, table, (default, table[default]))


def _query(text: str) -> QueryRequest:
    return QueryRequest(text=text, inference=htkg().settings.inference)


def _tsv(kind: ResultKind) -> Choice[Any]:
    """TSV for the export's SELECT; never raises (see ``linked_data._results_only``)."""
    return TSV if kind is ResultKind.SOLUTIONS else GRAPH_NQUADS
