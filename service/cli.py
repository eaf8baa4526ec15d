"""The ``htkg`` command line: thin commands over the same ``kg`` calls the server makes."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click
import pyoxigraph as ox

from kg.query import Dataset, evaluate_query
from kg.results import BooleanResult, GraphResult, SolutionsResult
from service.cli_access import graph, token
from service.cli_load import load
from service.cli_options import store_options
from service.cli_partners import harvest, partner
from service.cli_validate import validate
from service.settings import Settings
from service.state import open_store

C = TypeVar("C", bound=Callable[..., Any])

DUMP_FORMATS = {"nquads": ox.RdfFormat.N_QUADS, "trig": ox.RdfFormat.TRIG}
TABLE_FORMATS = {
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
}


@click.group()
@click.version_option(package_name="htkg")
def main() -> None:
    """htkg: the human trafficking / terrorism knowledge graph and its SPARQL service."""


@main.command()
@click.option("--host", default=None, help="Interface to listen on (default 127.0.0.1).")
@click.option("--port", type=int, default=None, help="Port to listen on (default 8000).")
@click.option("--threads", type=int, default=None, help="HTTP worker threads (default 8).")
@store_options
def serve(settings: Settings, **_: Any) -> None:
    """Serve the SPARQL endpoint and the operations endpoints over HTTP.

    Loads (or refreshes) the ontology, shapes and curated briefing graph on start, then
    serves with waitress until interrupted. Only one process may use a store directory.

    \b
    Example:
        htkg serve --port 8000 --store ./var/store
        curl 'http://127.0.0.1:8000/sparql?query=SELECT+(COUNT(*)+AS+?n)+{?s+?p+?o}'
    """
    import waitress

    from service.app import create_app

    logging.basicConfig(
        level=settings.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s %(message)s"
    )
    app = create_app(settings)
    click.echo(f"htkg serving http://{settings.host}:{settings.port}/sparql", err=True)
    waitress.serve(
        app, host=settings.host, port=settings.port, threads=settings.threads, ident="htkg",
        clear_untrusted_proxy_headers=True,
        # waitress buffers whole bodies: refuse an oversized one before reading it
        max_request_body_size=settings.max_body_bytes,
    )


@main.command()
@click.argument("sparql", required=False)
@click.option("-f", "--file", "query_file", type=click.File("r", encoding="utf-8"),
              help="Read the query from a file ('-' for standard input).")
@click.option("--format", "output_format", default="table",
              type=click.Choice(["table", *TABLE_FORMATS, "turtle", "ntriples"]),
              help="Output: table (default), csv, tsv, json, xml; turtle or ntriples for graphs.")
@store_options
def query(settings: Settings, sparql: str | None, query_file: Any, output_format: str) -> None:
    """Run a SPARQL query against the store and print the answer.

    The query sees the same default graph as the server's (the union of all graphs unless
    configured otherwise). The store must not be in use by a running server.

    \b
    Example:
        htkg query 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }'
        htkg query -f queries/gaps.rq --format csv > gaps.csv
    """
    if (sparql is None) == (query_file is None):
        raise click.UsageError("give the query as an argument or with -f FILE, not both")
    text = sparql if sparql is not None else query_file.read()
    store = open_store(settings)
    result = evaluate_query(
        store, text, dataset=Dataset(union_default_graph=settings.union_default_graph)
    )
    out = sys.stdout.buffer
    if isinstance(result, GraphResult):
        rdf = ox.RdfFormat.N_TRIPLES if output_format == "ntriples" else ox.RdfFormat.TURTLE
        ox.serialize(result.triples, out, rdf)
    elif output_format in TABLE_FORMATS:
        result.write(out, TABLE_FORMATS[output_format])
    elif isinstance(result, BooleanResult):
        click.echo("true" if result.value else "false")
    else:
        _print_table(result)


@main.command()
@click.argument("output", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--format", "dump_format", default="nquads", type=click.Choice(list(DUMP_FORMATS)),
              help="nquads (default) or trig.")
@store_options
def dump(settings: Settings, output: Path | None, dump_format: str) -> None:
    """Write every graph of the store to FILE (or standard output).

    A dump holds every quad, system graphs included, so that restore gives back the same
    store. Blank-node labels are kept, so dump -> restore -> dump is identical after sorting.

    \b
    Example:
        htkg dump backup.nq
        htkg dump --format trig > backup.trig
    """
    store = open_store(settings)
    if output is None:
        store.dump(sys.stdout.buffer, format=DUMP_FORMATS[dump_format])
        return
    with output.open("wb") as file:
        store.dump(file, format=DUMP_FORMATS[dump_format])


@main.command()
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "dump_format", default=None, type=click.Choice(list(DUMP_FORMATS)),
              help="nquads or trig (default: from the file extension).")
@store_options
def restore(settings: Settings, source: Path, dump_format: str | None) -> None:
    """Replace the whole store with a dump made by 'htkg dump'.

    Everything in the store is removed first. Restore into a stopped server's store.

    \b
    Example:
        htkg restore backup.nq --store ./var/store
    """
    fmt = DUMP_FORMATS[dump_format] if dump_format else _format_from_extension(source)
    store = open_store(settings)
    with source.open("rb") as file:
        count = store.restore(file, format=fmt)
    click.echo(f"restored {count} quads from {source}", err=True)


def _format_from_extension(path: Path) -> ox.RdfFormat:
    if path.suffix in (".trig",):
        return ox.RdfFormat.TRIG
    if path.suffix in (".nq", ".nquads"):
        return ox.RdfFormat.N_QUADS
    raise click.UsageError(f"cannot tell the format of {path.name}; pass --format nquads|trig")


def _print_table(result: SolutionsResult) -> None:
    rows = [[_cell(solution[v]) for v in result.variables] for solution in result.solutions]
    widths = [max([len(v) + 1, *(len(r[i]) for r in rows)]) for i, v in enumerate(result.variables)]
    click.echo("  ".join(f"?{v}".ljust(w) for v, w in zip(result.variables, widths, strict=True)))
    for row in rows:
        click.echo("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)))
    click.echo(f"({len(rows)} rows)", err=True)


def _cell(term: Any) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.Literal):
        return term.value
    return str(term)


main.add_command(validate)
main.add_command(load)
main.add_command(token)
main.add_command(graph)
main.add_command(partner)
main.add_command(harvest)
