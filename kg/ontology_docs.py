"""Generate the Markdown reference of the htkg ontology, concept schemes and shapes.

The reference is derived from the Turtle files alone, so it cannot drift from them: a test
regenerates it and compares it with the committed ``docs/ontology.md``. Run
``python -m kg.ontology_docs > docs/ontology.md`` after changing ``ontology/`` or ``shapes/``.
Pure rdflib, no web stack: the service may serve the same text at the ontology IRI.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from rdflib import OWL, RDF, RDFS, SKOS, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

HTKG = Namespace("https://w3id.org/htkg/ontology#")
SH = Namespace("http://www.w3.org/ns/shacl#")
PACKAGE = Path(__file__).parent
PREFIXES = {
    "https://w3id.org/htkg/ontology#": "htkg:",
    "https://w3id.org/htkg/shapes#": "hs:",
    "https://w3id.org/htkg/id/": "id:",
    "http://www.w3.org/2002/07/owl#": "owl:",
    "http://www.w3.org/2000/01/rdf-schema#": "rdfs:",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#": "rdf:",
    "http://www.w3.org/2001/XMLSchema#": "xsd:",
    "http://www.w3.org/2004/02/skos/core#": "skos:",
    "http://purl.org/dc/terms/": "dcterms:",
    "http://www.w3.org/ns/prov#": "prov:",
    "http://www.w3.org/ns/org#": "org:",
    "http://www.w3.org/2006/time#": "time:",
    "http://data.europa.eu/eli/ontology#": "eli:",
    "https://schema.org/": "schema:",
    "https://schema.followthemoney.tech/#": "ftm:",
    "http://xmlns.com/foaf/0.1/": "foaf:",
    "http://www.w3.org/ns/dcat#": "dcat:",
    "http://www.w3.org/ns/shacl#": "sh:",
}
PROPERTY_TYPES = (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
CHARACTERISTICS = (OWL.TransitiveProperty, OWL.SymmetricProperty, OWL.FunctionalProperty,
                   OWL.InverseFunctionalProperty)


def short(node: Node) -> str:
    """A compact, readable name for an IRI or literal.

    >>> short(URIRef("https://w3id.org/htkg/ontology#Resolution"))
    'htkg:Resolution'
    >>> short(URIRef("https://example.org/x"))
    '<https://example.org/x>'
    """
    if isinstance(node, Literal):
        return f'"{node}"'
    text = str(node)
    for namespace, prefix in PREFIXES.items():
        if text.startswith(namespace):
            return prefix + text[len(namespace):]
    return f"<{text}>"


def load(folder: Path) -> dict[str, Graph]:
    """Each Turtle file of ``folder`` parsed on its own, keyed by module name (file stem)."""
    paths = sorted(folder.glob("*.ttl"))
    return {path.stem: Graph().parse(path, format="turtle") for path in paths}


def _one_line(text: object) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def _values(graph: Graph, subject: Node, predicate: URIRef) -> str:
    return ", ".join(sorted(short(o) for o in graph.objects(subject, predicate))) or ""


def _terms(graph: Graph, types: Iterable[URIRef]) -> list[URIRef]:
    found = {s for t in types for s in graph.subjects(RDF.type, t)}
    return sorted(s for s in found if isinstance(s, URIRef) and str(s).startswith(str(HTKG)))


def _class_rows(graph: Graph) -> Iterator[str]:
    for term in _terms(graph, [OWL.Class, RDFS.Datatype]):
        parents = _values(graph, term, RDFS.subClassOf)
        matches = _values(graph, term, SKOS.closeMatch) or _values(graph, term, SKOS.exactMatch)
        example = _values(graph, term, SKOS.example)
        yield (f"| `{short(term)}` | {graph.value(term, RDFS.label)} | "
               f"{_one_line(graph.value(term, SKOS.definition))} | {parents} | {matches} | "
               f"{_one_line(example)} |")


def _property_rows(graph: Graph) -> Iterator[str]:
    for term in _terms(graph, PROPERTY_TYPES):
        domain = _values(graph, term, RDFS.domain) or (
            f"(none: {_one_line(graph.value(term, HTKG.noDomainReason) or 'annotation')})")
        range_ = _values(graph, term, RDFS.range) or (
            f"(none: {_one_line(graph.value(term, HTKG.noRangeReason) or 'annotation')})")
        kinds = [short(t).removeprefix("owl:") for t in CHARACTERISTICS
                 if (term, RDF.type, t) in graph]
        inverse = _values(graph, term, OWL.inverseOf)
        notes = ", ".join(kinds + ([f"inverse of {inverse}"] if inverse else []))
        parents = _values(graph, term, RDFS.subPropertyOf) or _values(graph, term, SKOS.closeMatch)
        yield (f"| `{short(term)}` | {_one_line(graph.value(term, SKOS.definition))} | {domain} | "
               f"{range_} | {parents} | {notes} |")


def _scheme_sections(graph: Graph) -> Iterator[str]:
    for scheme in sorted(graph.subjects(RDF.type, SKOS.ConceptScheme)):
        yield f"### {graph.value(scheme, SKOS.prefLabel)}\n"
        yield f"`{scheme}`: {_one_line(graph.value(scheme, SKOS.definition))}\n"
        source = graph.value(scheme, URIRef("http://purl.org/dc/terms/source"))
        if source is not None:
            yield f"Source: {_one_line(source)}\n"
        yield "| concept | notation | definition | mapped to |\n|---|---|---|---|"
        for concept in sorted(graph.subjects(SKOS.inScheme, scheme)):
            mapped = _values(graph, concept, SKOS.closeMatch) or _values(
                graph, concept, SKOS.exactMatch)
            yield (f"| `{short(concept)}` {graph.value(concept, SKOS.prefLabel)} | "
                   f"{graph.value(concept, SKOS.notation) or ''} | "
                   f"{_one_line(graph.value(concept, SKOS.definition))} | {mapped} |")
        yield ""


def _constraint(graph: Graph, shape: Node) -> str:
    parts = []
    for name in ("minCount", "maxCount", "datatype", "class", "nodeKind", "pattern",
                 "minInclusive", "maxInclusive", "hasValue", "node"):
        value = graph.value(shape, SH[name])
        if value is not None:
            parts.append(f"{name} {value if isinstance(value, Literal) else short(value)}")
    values = graph.value(shape, SH["in"])
    if values is not None:
        items = list(Collection(graph, values))
        parts.append(f"in ({len(items)} values)" if len(items) > 8 else
                     "in (" + " ".join(short(i) for i in items) + ")")
    for name in ("or", "not", "sparql"):
        if graph.value(shape, SH[name]) is not None:
            parts.append(name)
    return _one_line("; ".join(parts))


def _messages(graph: Graph, shape: Node) -> list[str]:
    own = [str(m) for m in graph.objects(shape, SH.message)]
    nested = [str(m) for c in graph.objects(shape, SH.sparql) for m in graph.objects(c, SH.message)]
    return own + nested


def _path(graph: Graph, path: Node | None) -> str:
    """A property path in SPARQL-like syntax; only the forms the shapes use (IRI, inverse)."""
    inverse = graph.value(path, SH.inversePath) if path is not None else None
    return "^" + short(inverse) if inverse is not None else short(path) if path else "(node)"


def _shape_sections(graph: Graph) -> Iterator[str]:
    for shape in sorted(s for s in graph.subjects(RDF.type, SH.NodeShape) if isinstance(s, URIRef)):
        targets = (_values(graph, shape, SH.targetClass)
                   or _values(graph, shape, SH.targetSubjectsOf))
        yield f"#### `{short(shape)}`\n"
        yield f"Targets: {targets or '(used through sh:node)'}\n"
        yield "| path | constraint | severity | message |\n|---|---|---|---|"
        rows = [(shape, "(node)")] + [(p, _path(graph, graph.value(p, SH.path)))
                                      for p in graph.objects(shape, SH.property)]
        for node, path in sorted(rows, key=lambda r: r[1]):
            constraint = _constraint(graph, node)
            if not constraint:
                continue
            severity = short(graph.value(node, SH.severity) or SH.Violation).removeprefix("sh:")
            message = " / ".join(_one_line(m) for m in _messages(graph, node))
            yield f"| `{path}` | {constraint} | {severity} | {message} |"
        yield ""


def render_markdown(ontology_dir: Path = PACKAGE / "ontology",
                    shapes_dir: Path = PACKAGE / "shapes") -> str:
    """The whole reference as Markdown: classes and properties per module, schemes, shapes."""
    ontology, shapes = load(ontology_dir), load(shapes_dir)
    merged = Graph()
    for graph in ontology.values():
        merged += graph
    header = merged.value(URIRef("https://w3id.org/htkg/ontology"), OWL.versionInfo)
    lines = [
        "# htkg ontology reference",
        "",
        "Generated by `python -m kg.ontology_docs > docs/ontology.md` from `ontology/*.ttl` and "
        "`shapes/*.ttl`; do not edit by hand. Overview and diagram: [model.md](model.md).",
        "",
        f"Ontology `https://w3id.org/htkg/ontology`, version {header}; terms in "
        "`https://w3id.org/htkg/ontology#` (prefix `htkg:`); instances under "
        "`https://w3id.org/htkg/id/` (prefix `id:` below); shapes in "
        "`https://w3id.org/htkg/shapes#` (prefix `hs:`).",
        "",
        "## Classes and properties by module",
        "",
    ]
    for module, graph in ontology.items():
        classes, properties = list(_class_rows(graph)), list(_property_rows(graph))
        if not classes and not properties:
            continue
        lines.append(f"### Module `{module}` (`ontology/{module}.ttl`)\n")
        if classes:
            lines += ["| class | label | definition | subclass of | maps to | example |",
                      "|---|---|---|---|---|---|", *classes, ""]
        if properties:
            lines += ["| property | definition | domain | range | subproperty of / maps to | "
                      "characteristics |", "|---|---|---|---|---|---|", *properties, ""]
    lines += ["## Concept schemes", ""]
    for graph in ontology.values():
        lines += list(_scheme_sections(graph))
    lines += ["## Shapes", "", "Severity policy: see the header of `shapes/common.ttl`.", ""]
    for module, graph in shapes.items():
        lines += [f"### Shapes module `{module}` (`shapes/{module}.ttl`)", ""]
        lines += list(_shape_sections(graph))
    return "\n".join(lines).rstrip() + "\n"


def main() -> None:
    """Print the reference on standard output."""
    sys.stdout.write(render_markdown())


if __name__ == "__main__":
    main()
