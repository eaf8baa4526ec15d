"""``htkg load``: validated, journalled bulk loading of RDF files into one graph."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import click
import pyoxigraph as ox

from kg.entailment import Entailment
from kg.errors import UnsupportedFormatError, ValidationFailedError
from kg.ingest import Document, GraphTarget, Ingest, Writer
from kg.validation import Validator
from service.cli_options import store_options
from service.settings import Settings
from service.state import open_store


class _Progress(io.RawIOBase):
    """A file reader that advances a progress bar by the bytes read."""

    def __init__(self, file: io.BufferedReader, bar: Any) -> None:
        self._file = file
        self._bar = bar

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:  # type: ignore[override]
        count = self._file.readinto(buffer)
        self._bar.update(count)
        return count


@click.command()
@click.argument("files", nargs=-1, required=True,
                type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--graph", "graph", required=True, help="IRI of the graph to add the files to.")
@click.option("--replace", is_flag=True, help="Replace the graph instead of adding to it.")
@store_options
def load(settings: Settings, files: tuple[Path, ...], graph: str, replace: bool) -> None:
    """Load RDF files into a graph, validated against the shapes, with provenance.

    Each file is streamed to the journal (never held whole in memory) with a progress bar,
    parsed once (a malformed file is refused, naming file, line and column), validated, then
    committed all-or-nothing with one provenance record; an interrupted load is finished or
    undone at the next start. The format comes from the extension (.ttl, .nt, .nq, .trig,
    .rdf, .jsonld). The store must not be in use by a running server.

    \b
    Example:
        htkg load cases.ttl more-cases.nt --graph https://example.org/graph/cases
    """
    store = open_store(settings)
    ingest = Ingest(store, base_iri=settings.base_iri,
                    validator=Validator.from_store(store, base_iri=settings.base_iri),
                    entailment=Entailment.from_store(store, base_iri=settings.base_iri))
    opened = [path.open("rb") for path in files]
    try:
        with click.progressbar(length=sum(p.stat().st_size for p in files), label="loading",
                               file=click.get_text_stream("stderr")) as bar:
            documents = [Document(io.BufferedReader(_Progress(file, bar)), _format(path),
                                  path.resolve().as_uri(), path.name)
                         for path, file in zip(files, opened, strict=True)]
            write = ingest.replace_graph if replace else ingest.add_to_graph
            outcome = write(GraphTarget(graph), documents,
                            writer=Writer(agent="cli", source=", ".join(p.name for p in files)))
    except ValidationFailedError as refused:
        for result in refused.report.violations:
            click.echo(result.line(), err=True)
        raise click.ClickException(refused.message) from refused
    finally:
        for file in opened:
            file.close()
    warnings = outcome.report.warnings if outcome.report else ()
    for warning in warnings:
        click.echo(warning.line(), err=True)
    click.echo(f"loaded {outcome.record.triples_added} triples into <{graph}> "
               f"({len(warnings)} warnings)", err=True)


def _format(path: Path) -> ox.RdfFormat:
    found = ox.RdfFormat.from_extension(path.suffix.lstrip("."))
    if found is None:
        raise UnsupportedFormatError(f"cannot tell the RDF format of {path.name} from its "
                                     "extension (.ttl, .nt, .nq, .trig, .rdf, .jsonld)")
    return found
