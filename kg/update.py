"""Preparing a SPARQL 1.1 Update for the store: the protocol's dataset.

pyoxigraph's ``update`` takes no dataset, so the protocol's ``using-graph-uri`` and
``using-named-graph-uri`` (SPARQL 1.1 Protocol 2.2.3) become ``USING`` clauses written into
each ``DELETE``/``INSERT ... WHERE`` operation, which is exactly their meaning.
"""

from __future__ import annotations

from collections.abc import Sequence

from kg.errors import QuerySyntaxError, UpdateDatasetConflictError
from kg.sparql_text import tokens


def with_using_clauses(
    text: str, *, using_graphs: Sequence[str], using_named_graphs: Sequence[str]
) -> str:
    """Write the protocol's ``using-graph-uri``/``using-named-graph-uri`` into the update.

    :raises UpdateDatasetConflictError: when the update has its own USING or WITH, which the
        protocol forbids combining with these parameters.

    >>> with_using_clauses("DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    ...                    using_graphs=["http://ex/g"], using_named_graphs=[])
    'DELETE { ?s ?p ?o } USING <http://ex/g> WHERE { ?s ?p ?o }'
    """
    if not using_graphs and not using_named_graphs:
        return text
    clauses = "".join(f"USING <{iri}> " for iri in using_graphs) + "".join(
        f"USING NAMED <{iri}> " for iri in using_named_graphs
    )
    insert_at: list[int] = []
    previous = ""
    for token in tokens(text):
        if token.depth != 0 or token.kind == "comment":
            continue
        if token.is_keyword("USING", "WITH"):
            raise UpdateDatasetConflictError(
                "using-graph-uri/using-named-graph-uri cannot be combined with USING or WITH "
                "in the update (SPARQL 1.1 Protocol, 2.2.3)"
            )
        if token.is_keyword("WHERE") and previous not in ("DELETE", "INSERT"):
            insert_at.append(token.start)
        previous = token.text.upper()
    for position in reversed(insert_at):
        text = text[:position] + clauses + text[position:]
    return text


def without_silent_loads(text: str) -> str:
    """Drop ``LOAD SILENT`` operations, for a server where LOAD is disabled.

    SILENT asks that a failed operation still succeed (SPARQL 1.1 Update 3.1.1); a LOAD the
    server refuses to run is such a failure, so it becomes a no-op instead of an error. The
    ``;`` that joined it to the next operation (or the previous one) goes with it.

    >>> without_silent_loads("LOAD SILENT <http://ex/x> INTO GRAPH <http://ex/g> ; CLEAR ALL")
    ' CLEAR ALL'
    >>> without_silent_loads("CLEAR ALL ; LOAD SILENT <http://ex/x>")
    'CLEAR ALL '
    """
    found = [t for t in tokens(text) if t.kind != "comment"]
    spans: list[tuple[int, int]] = []
    for i, token in enumerate(found):
        words = [t.text.upper() if t.kind == "word" else t.kind for t in found[i : i + 6]]
        if token.depth != 0 or words[:3] != ["LOAD", "SILENT", "iri"]:
            continue
        last = i + 5 if words[3:6] == ["INTO", "GRAPH", "iri"] else i + 2
        first = i
        if last + 1 < len(found) and found[last + 1].text == ";":
            last += 1
        elif i > 0 and found[i - 1].text == ";":
            first = i - 1
        spans.append((found[first].start, found[last].start + len(found[last].text)))
    for start, end in reversed(spans):
        text = text[:start] + text[end:]
    return text


def require_valid_update(text: str) -> None:
    """A malformed update is a 400 even when it also asks for a disabled feature.

    pyoxigraph can only check an update by running it, and running LOAD fetches; rdflib's
    parser (parsing only, nothing is evaluated) decides on this rare path instead.
    """
    from pyparsing import ParseException
    from rdflib.plugins.sparql.parser import parseUpdate

    try:
        parseUpdate(text)
    except ParseException as exc:
        raise QuerySyntaxError(exc.msg, line=exc.lineno, column=exc.col) from None
