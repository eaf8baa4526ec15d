"""IRIs shared by the generator and the query parameters, so both agree on the data's shape.

The instance IRIs follow DESIGN.md section 2 (`https://w3id.org/htkg/id/{kind}/{key}`); the
benchmark's graphs live under `graph/bench/` so they never collide with the curated graphs that
htkg loads on start.
"""

from __future__ import annotations

BASE = "https://w3id.org/htkg/"
HTKG = BASE + "ontology#"
ID = BASE + "id/"
GRAPH = BASE + "graph/bench/"

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCTERMS = "http://purl.org/dc/terms/"
XSD = "http://www.w3.org/2001/XMLSchema#"
PROV = "http://www.w3.org/ns/prov#"
ORG = "http://www.w3.org/ns/org#"
SCHEMA = "https://schema.org/"

#: The grading concepts of ontology/scheme-grading.ttl (htkg loads them; the data only points).
RELIABILITY_CONCEPT = ID + "concept/reliability/"
CREDIBILITY_CONCEPT = ID + "concept/credibility/"

#: Generated resolutions are numbered from here, clear of real ones in the curated graph.
FIRST_RESOLUTION = 10_000

#: The named graphs the generator writes, by short name.
GRAPHS = ("reference", "resolutions", "cases", "finance")

#: NATO/Admiralty grading: source reliability A-F, information credibility 1-6.
RELIABILITY = ("A", "B", "C", "D", "E", "F")
CREDIBILITY = ("1", "2", "3", "4", "5", "6")

CURRENCIES = ("USD", "EUR", "GBP", "AED", "TRY", "KES", "NGN", "IQD", "SOS", "USDT")

WORDS = (
    "member states terrorist groups human trafficking financing recruitment exploitation "
    "victims women children forced labour sexual slavery marriage ransom smuggling networks "
    "organized crime revenue cash flows hawala remittance border camps displacement reporting "
    "assessment cooperation data sharing monitoring sanctions designation prosecution evidence "
    "investigation judicial capacity awareness prevention protection assistance referral "
    "indicators typologies corruption arms drugs deception employment education transport"
).split()

TACTIC_NAMES = (
    "deceptive recruitment", "forced marriage", "sexual slavery", "forced labour",
    "child recruitment", "kidnapping for ransom", "extortion of migrants", "smuggling fees",
    "debt bondage", "organ removal", "forced criminality", "sale of captives",
)

#: (key, label, parent key or None): a small fixed SKOS scheme of transfer mechanisms.
MECHANISMS = (
    ("value-transfer", "value transfer", None),
    ("cash", "cash", "value-transfer"),
    ("cash-courier", "cash courier", "cash"),
    ("informal", "informal value transfer", "value-transfer"),
    ("hawala", "hawala", "informal"),
    ("formal", "formal financial system", "value-transfer"),
    ("bank-transfer", "bank transfer", "formal"),
    ("money-service", "money service business", "formal"),
    ("mobile-money", "mobile money", "money-service"),
    ("virtual-asset", "virtual asset", "value-transfer"),
    ("stablecoin", "stablecoin", "virtual-asset"),
    ("trade-based", "trade-based transfer", "value-transfer"),
)


#: Years covered by dates in the data (inclusive).
FIRST_YEAR = 2001
LAST_YEAR = 2024


def graph_iri(name: str) -> str:
    """The IRI of the benchmark graph `name` (one of GRAPHS)."""
    return GRAPH + name


def instance_iri(kind: str, key: int | str) -> str:
    """The IRI of generated instance number `key` of `kind` (e.g. `evidence`, 17)."""
    return f"{ID}{kind}/{key}"
