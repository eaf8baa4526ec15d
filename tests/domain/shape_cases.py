"""One or more invalid examples per shape: a SPARQL Update that breaks the curated graph, and
the result the shape must report (shape, constraint component, focus node, severity, message).

Each example starts from the curated graph plus the ontology (which holds the concept schemes),
so it is realistic: the update changes one thing, and the expected result names what a data
steward would read.
"""

from __future__ import annotations

from dataclasses import dataclass

ID = "https://w3id.org/htkg/id/"
PREFIXES = f"""
PREFIX htkg: <https://w3id.org/htkg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX actor: <{ID}actor/>
PREFIX res: <{ID}resolution/>
PREFIX doc: <{ID}document/>
PREFIX sec: <{ID}document/cted-briefing-ht-terrorism/section/>
PREFIX group: <{ID}person-group/>
PREFIX person: <{ID}person/>
PREFIX evidence: <{ID}evidence/>
PREFIX finding: <{ID}finding/>
PREFIX claim: <{ID}claim/>
PREFIX activity: <{ID}activity/>
PREFIX scheme: <{ID}scheme/>
PREFIX tactic: <{ID}concept/tactic/>
PREFIX role: <{ID}concept/role/>
"""
P2388 = f"{ID}resolution/2388/op/financial-flows-data"
SALARIES = f"{ID}flow/salaries-to-al-shabaab"
PROFITS = f"{ID}flow/ht-annual-profits"


@dataclass(frozen=True)
class Case:
    """An invalid example and the validation result it must produce."""

    name: str
    update: str
    shape: str
    component: str
    focus: str
    message: str
    severity: str = "Violation"


def _case(name: str, update: str, shape: str, component: str, focus: str, message: str,
          severity: str = "Violation") -> Case:
    return Case(name, PREFIXES + update, shape, component + "ConstraintComponent", focus,
                message, severity)


def _replace(node: str, path: str, old: str, new: str) -> str:
    """An update that swaps one value of ``node``'s ``path``."""
    return f"DELETE DATA {{ {node} {path} {old} }} ; INSERT DATA {{ {node} {path} {new} }}"


def _drop(node: str, path: str) -> str:
    return f"DELETE WHERE {{ {node} {path} ?value }}"
