"""Bounded answers: a query result cut after a number of rows, as a complete document.

A server that caps its answers must still send valid documents (closed JSON, closed XML, whole
Turtle), and it must know whether it cut before it sends the status and headers. So a bounded
answer is written whole into a file first (``kg.workers`` spools it), and the caller learns
whether rows were left out.

Graphs are easy: ``ox.serialize`` takes any iterable of triples, so ``islice`` bounds them.
Solutions are not: pyoxigraph serializes only a whole ``QuerySolutions`` and cannot build one
from Python objects. They go through SPARQL TSV, the one results format that is both exact
(it keeps IRIs, blank nodes, literals with language tags or datatypes, triple terms, unbound
cells) and line-oriented (a header line, then one line per solution; newlines inside literals
are escaped). pyoxigraph writes the TSV itself; a writer keeps the header and the next
``max_rows`` lines, and stops the evaluation as soon as a byte of one more solution arrives;
pyoxigraph then parses those lines back into a ``QuerySolutions`` and writes them in the
requested format (a TSV answer is already done). Writing the TSV in Rust is about 3x faster
than formatting each term with ``str(term)`` in Python (0.14 s against 0.42 s for 200k
solutions), keeps blank node labels as the unbounded answer shows them, and costs the
evaluation of at most one more buffer (8 KB) of solutions than asked for.
``tests/kg/test_answers.py`` checks the round trip for the hard cases.
"""

from __future__ import annotations

import io
import tempfile
from itertools import islice
from typing import BinaryIO, cast

import pyoxigraph as ox

from kg.results import GraphResult, QueryResult, SolutionsResult

Format = ox.QueryResultsFormat | ox.RdfFormat
SPOOL_BYTES = 4 * 1024 * 1024  # kept in memory; beyond, a spool moves to a temporary file


def write_bounded(
    result: QueryResult, output: BinaryIO, format: Format, *, max_rows: int
) -> bool:
    """Write at most ``max_rows`` solutions or triples of ``result``; return whether it cut.

    The output is a complete document in ``format``. Exactly ``max_rows`` rows is not a cut:
    the answer is cut only when at least one more row exists, so evaluation goes one row past
    the limit (for solutions, up to one TSV buffer). Solutions come in their evaluation order,
    so a cut answer is the first ``max_rows`` of the unbounded one. A boolean is never cut.

    :raises ValueError: when ``max_rows`` is negative.
    :raises OSError: when the query fails while it is evaluated (as for ``result.write``).

    >>> from kg.store import EmbeddedStore
    >>> store = EmbeddedStore.in_memory()
    >>> result = store.query("SELECT ?n { VALUES ?n { 1 2 3 } }")
    >>> output = io.BytesIO()
    >>> write_bounded(result, output, ox.QueryResultsFormat.CSV, max_rows=2)
    True
    >>> output.getvalue()
    b'n\\r\\n1\\r\\n2\\r\\n'
    """
    if max_rows < 0:
        raise ValueError(f"max_rows must not be negative, got {max_rows}")
    if isinstance(result, GraphResult):
        triples = iter(result.triples)
        GraphResult(islice(triples, max_rows)).write(output, format)
        return next(triples, None) is not None
    if not isinstance(result, SolutionsResult):
        result.write(output, format)
        return False
    if format == ox.QueryResultsFormat.TSV:
        return _first_lines(result.solutions, output, max_rows + 1)
    with tempfile.SpooledTemporaryFile(SPOOL_BYTES) as tsv:
        cut = _first_lines(result.solutions, tsv, max_rows + 1)  # type: ignore[arg-type]
        tsv.seek(0)
        solutions = ox.parse_query_results(tsv, ox.QueryResultsFormat.TSV)
        assert isinstance(solutions, ox.QuerySolutions)
        SolutionsResult(result.variables, solutions).write(output, format)
    return cut


def _first_lines(solutions: ox.QuerySolutions, output: BinaryIO, lines: int) -> bool:
    """Write the first ``lines`` lines of the solutions' TSV; True when more existed."""
    cutter = _LineCutter(output, lines)
    try:
        solutions.serialize(cast(BinaryIO, cutter), ox.QueryResultsFormat.TSV)
    except _LimitReachedError:
        pass
    return cutter.cut


class _LimitReachedError(Exception):
    """Raised into pyoxigraph's serializer to stop the evaluation: the limit is reached."""


class _LineCutter(io.RawIOBase):
    """Passes on the first ``lines`` lines written; at the first byte after them, stops."""

    def __init__(self, output: BinaryIO, lines: int) -> None:
        self._output = output
        self._left = lines
        self.cut = False

    def writable(self) -> bool:
        return True

    def write(self, data: bytes | bytearray | memoryview) -> int:  # type: ignore[override]
        size = len(data)
        if self.cut or not size:  # after the stop, a dropped buffer may still flush
            return size
        chunk = bytes(data)
        newlines = chunk.count(b"\n")
        if newlines < self._left:
            self._left -= newlines
            self._output.write(chunk)
            return size
        end = -1
        for _ in range(self._left):
            end = chunk.index(b"\n", end + 1)
        self._output.write(chunk[: end + 1])
        self._left = 0
        if end + 1 < size:
            self.cut = True
            raise _LimitReachedError
        return size
