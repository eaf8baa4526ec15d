"""``htkg validate FILE...``: check RDF files against the shapes without storing anything."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
import pyoxigraph as ox

from kg.errors import UnsupportedFormatError
from kg.validation import Validator
from kg.validation_context import parse_document
from service.cli_options import store_options
from service.settings import Settings


@click.command()
@click.argument("files", nargs=-1, required=True,
                type=click.Path(exists=True, dir_okay=False, path_type=Path))
@store_options
def validate(settings: Settings, files: tuple[Path, ...], **_: Any) -> None:
    """Validate RDF files against the shipped SHACL shapes and print a readable report.

    Each file is parsed by its extension (.ttl, .nt, .nq, .trig, .rdf, .jsonld) and
    validated together with the ontology, as a write would be; nothing is stored and the
    store is not opened, so it runs beside a server. One line per result: severity, focus
    node, path, message. Exits 1 when there is a violation (warnings are printed but pass),
    and names file, line and column when a file does not parse.

    \b
    Example:
        htkg validate evidence.ttl flows.nt
        Violation: <https://w3id.org/htkg/id/evidence/e1> <...#reliability>: Evidence needs ...
        1 file, 1 violation, 0 warnings
    """
    validator = Validator.from_package(base_iri=settings.base_iri)
    violations = warnings = 0
    for path in files:
        format = ox.RdfFormat.from_extension(path.suffix.lstrip("."))
        if format is None:
            raise UnsupportedFormatError(f"{path}: cannot tell the RDF format from its extension")
        document = parse_document(path.read_bytes(), format, base_iri=path.resolve().as_uri(),
                                  name=str(path))
        report = validator.validate_graph(document)
        for result in report.results:
            click.echo(f"{path}: {result.line()}")
        violations += len(report.violations)
        warnings += len(report.warnings)
    noun = "file" if len(files) == 1 else "files"
    click.echo(f"{len(files)} {noun}, {violations} violation{'s' * (violations != 1)}, "
               f"{warnings} warning{'s' * (warnings != 1)}", err=True)
    if violations:
        raise SystemExit(1)
