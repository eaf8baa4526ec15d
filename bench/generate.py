"""Deterministic synthetic data in the domain's shape, written as N-Quads.

Why synthetic: the curated graph is a few hundred triples; a benchmark needs 100k-1M triples whose
shape (resolutions and paragraphs, actors, graded evidence, financial flows, findings, SKOS
hierarchies) makes the analyst queries of bench/queries do realistic work. The same seed and size
always give the same bytes, so a cached file and a fresh one are interchangeable and two runs
compare like with like.

Size is exact: sections are scaled from the target, the last section (financial flows) is
cut at the target, and no quad is written twice, so a store holds exactly `--triples` quads.

``--conforming`` writes data that conforms to the shipped shapes (kg/shapes), for the write
benchmarks (bench/ingest.py): a write that links new data to invalid nodes would be refused.
Every instance then carries what its shapes require (labels, sources, grades, `htkg:Actor` and
`htkg:Document` typings, symbols that agree with the adoption year, flow bases, typed amounts),
links to the shipped concepts where the shapes list the allowed values (tactics of findings,
flow mechanisms, TLP levels), and is written whole: the last quads up to the exact size are
`rdfs:comment`s of one node no shape targets. Its files are cached apart (`-valid`). Without the
flag the output is the one the query benchmark (bench/run.py) has always used.

Example:
    python -m bench.generate --triples 100000 --output bench/results/data.nq
    python -m bench.generate --triples 100000 --conforming --output bench/results/valid.nq
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import TextIO

from bench import vocabulary as v

GENERATOR_VERSION = 1

@dataclass(frozen=True)
class Plan:
    """How many instances of each kind the generator writes for a target size."""

    tactic: int
    state: int
    group: int
    source: int
    resolution: int
    person: int
    evidence: int
    finding: int

    @classmethod
    def for_triples(cls, triples: int) -> Plan:
        """Scale each kind from the target; flows fill the rest (about 40%)."""

        def share(divisor: int, low: int, high: int | None = None) -> int:
            n = max(low, triples // divisor)
            return n if high is None else min(n, high)

        return cls(
            tactic=share(2500, 12, 400),
            state=share(1000, 10, 193),
            group=share(2500, 5, 2000),
            source=share(500, 10),
            resolution=share(1200, 2),  # about 124 triples each: ~10%
            person=share(100, 5),  # about 8.3 triples with memberships: ~8%
            evidence=triples * 30 // 100 // 9,  # 9 triples each: 30%
            finding=triples * 10 // 100 // 7,  # 7 triples on average: 10%
        )


@dataclass
class Manifest:
    """What a generated file holds: the runner draws query parameters from these counts."""

    triples: int
    seed: int
    version: int = GENERATOR_VERSION
    counts: dict[str, int] = field(default_factory=dict)
    graphs: list[str] = field(default_factory=list)
    conforming: bool = False

    def write(self, path: Path) -> None:
        path.write_text(json.dumps(asdict(self), indent=2, sort_keys=True) + "\n")

    @classmethod
    def read(cls, path: Path) -> Manifest:
        return cls(**json.loads(path.read_text()))


class _QuadWriter:
    """Buffers N-Quads lines for one graph and counts them against the budget."""

    def __init__(self, out: TextIO, budget: int, *, whole: bool = False) -> None:
        self.out = out
        self.budget = budget
        self.whole = whole  # never cut an instance: pad with comments of a node nobody targets
        self.count = 0
        self._lines: list[str] = []

    def graph(self, name: str) -> str:
        return f" <{v.graph_iri(name)}> .\n"

    def emit(self, lines: list[str], graph: str) -> bool:
        """Write the triples of one instance; False once the budget is reached."""
        room = self.budget - self.count
        if room <= 0:
            return False
        if len(lines) > room and self.whole:
            lines = [f"{PADDING} {COMMENT} {_literal(f'padding {k}')}" for k in range(room)]
        elif len(lines) > room:
            lines = lines[:room]
        self._lines.extend(line + graph for line in lines)
        self.count += len(lines)
        if len(self._lines) >= 8192:
            self.flush()
        return self.count < self.budget

    def flush(self) -> None:
        self.out.write("".join(self._lines))
        self._lines.clear()


def _iri(kind: str, key: int | str) -> str:
    return f"<{v.ID}{kind}/{key}>"


def _literal(text: str) -> str:
    return f'"{text}"'


def _typed(text: str, datatype: str) -> str:
    return f'"{text}"^^<{v.XSD}{datatype}>'


TYPE = f"<{v.RDF_TYPE}>"
LABEL = f"<{v.RDFS_LABEL}>"
PREF = f"<{v.SKOS}prefLabel>"
ALT = f"<{v.SKOS}altLabel>"
NOTATION = f"<{v.SKOS}notation>"
BROADER = f"<{v.SKOS}broader>"
IN_SCHEME = f"<{v.SKOS}inScheme>"
CONCEPT = f"<{v.SKOS}Concept>"
DATE = f"<{v.DCTERMS}date>"
TITLE = f"<{v.DCTERMS}title>"
IDENTIFIER = f"<{v.DCTERMS}identifier>"
DESCRIPTION = f"<{v.DCTERMS}description>"
DERIVED_FROM = f"<{v.PROV}wasDerivedFrom>"
ATTRIBUTED_TO = f"<{v.PROV}wasAttributedTo>"
COMMENT = "<http://www.w3.org/2000/01/rdf-schema#comment>"
DEFINITION = f"<{v.SKOS}definition>"
SCOPE_NOTE = f"<{v.SKOS}scopeNote>"
PADDING = f"<{v.ID}bench/padding>"
SECURITY_COUNCIL = f"<{v.ID}actor/security-council>"
#: the values the shapes allow (sh:in) where the data points to a shipped concept
SHIPPED_TACTICS = tuple(f"<{v.ID}concept/tactic/{name}>" for name in (
    "spread-terror-advance-ideology", "intimidate-decimate-communities", "deceptive-recruitment",
    "diversion-of-earnings", "revenue-generation", "forced-marriage", "sexual-slavery",
    "forced-recruitment"))
SHIPPED_MECHANISMS = tuple(f"<{v.ID}concept/mechanism/{name}>" for name in (
    "trafficking-proceeds", "wage-diversion", "sale-of-persons", "ransom"))
TLP = tuple(f"<{v.ID}concept/tlp/{name}>" for name in ("clear", "green", "amber", "red"))
BASES = tuple(f"<{v.ID}concept/flow-basis/{name}>" for name in ("observed", "estimated"))


def H(name: str) -> str:  # noqa: N802 - reads like the prefix it stands for
    """The N-Triples form of `htkg:name`."""
    return f"<{v.HTKG}{name}>"


class _Generator:
    """Writes the sections in order; each section yields (triples of one instance, graph).

    Terms follow ontology/ where it has them (htkg:paragraphOf, htkg:involves, org:member,
    htkg:amount -> htkg:amountValue / htkg:currency, the grading concepts...).
    """

    def __init__(self, triples: int, seed: int, out: TextIO, *, conforming: bool = False) -> None:
        self.rng = random.Random(seed)
        self.plan = Plan.for_triples(triples)
        self.valid = conforming
        self.w = _QuadWriter(out, triples, whole=conforming)
        first = date(v.FIRST_YEAR, 1, 1)
        days = (date(v.LAST_YEAR, 12, 31) - first).days + 1
        self.dates = [_typed((first + timedelta(d)).isoformat(), "date") for d in range(days)]
        self.reliability = [f"<{v.RELIABILITY_CONCEPT}{g}>" for g in v.RELIABILITY]
        self.credibility = [f"<{v.CREDIBILITY_CONCEPT}{g}>" for g in v.CREDIBILITY]
        self.counts: dict[str, int] = {}

    def words(self, low: int, high: int) -> str:
        return " ".join(self.rng.choices(v.WORDS, k=self.rng.randint(low, high)))

    def date(self) -> str:
        return self.dates[self.rng.randrange(len(self.dates))]

    def pick(self, kind: str) -> str:
        """A random instance of `kind` among those planned."""
        return _iri(kind, self.rng.randrange(getattr(self.plan, kind)))

    def run(self) -> None:
        sections: tuple[Callable[[], Iterator[tuple[list[str], str]]], ...] = (
            self.concepts, self.actors, self.resolutions, self.cases, self.finance,
        )
        for section in sections:
            for lines, graph in section():
                if not self.w.emit(lines, graph):
                    self.w.flush()
                    return
        self.w.flush()

    def concepts(self) -> Iterator[tuple[list[str], str]]:
        g, p = self.w.graph("reference"), self.plan
        scheme = _iri("scheme", "bench-tactics")
        if self.valid:  # the shapes want every tactic in the shipped scheme
            scheme = _iri("scheme", "tactic")
        else:
            yield [f"{scheme} {TYPE} <{v.SKOS}ConceptScheme>"], g
        for i in range(p.tactic):
            name = v.TACTIC_NAMES[i % len(v.TACTIC_NAMES)]
            label = name if i < len(v.TACTIC_NAMES) else f"{name} variant {i}"
            t = _iri("tactic", i)
            lines = [f"{t} {TYPE} {CONCEPT}", f"{t} {TYPE} {H('Tactic')}",
                     f"{t} {PREF} {_literal(label)}@en", f"{t} {IN_SCHEME} {scheme}"]
            if self.valid:
                lines += [f"{t} {DEFINITION} {_literal(f'The tactic of {label}.')}@en",
                          f"{t} {SCOPE_NOTE} {_literal('Generated; no briefing names it.')}@en"]
            if i >= 4:  # four top concepts, then a random recursive tree (depth ~ ln n)
                lines.append(f"{t} {BROADER} {_iri('tactic', self.rng.randrange(i))}")
            yield lines, g
        for key, label, parent in v.MECHANISMS:
            m = _iri("mechanism", key)
            lines = [f"{m} {TYPE} {CONCEPT}", f"{m} {TYPE} {H('FinancialMechanism')}",
                     f"{m} {PREF} {_literal(label)}@en"]
            if self.valid:
                lines += [f"{m} {IN_SCHEME} {_iri('scheme', 'mechanism')}",
                          f"{m} {DEFINITION} {_literal(f'Money moved by {label}.')}@en"]
            if parent:
                lines.append(f"{m} {BROADER} {_iri('mechanism', parent)}")
            yield lines, g
        self.counts.update(tactic=p.tactic, mechanism=len(v.MECHANISMS))

    def actors(self) -> Iterator[tuple[list[str], str]]:
        g, p, rng = self.w.graph("reference"), self.plan, self.rng
        for i in range(p.state):
            s = _iri("state", i)
            yield [f"{s} {TYPE} {H('MemberState')}", f"{s} {LABEL} {_literal(f'State {i}')}",
                   f"{s} {NOTATION} {_literal(f'S{i:03d}')}",
                   *([f"{s} {TYPE} {H('Actor')}"] if self.valid else [])], g
        for i in range(p.group):
            grp = _iri("group", i)
            yield [f"{grp} {TYPE} {H('TerroristGroup')}",
                   f"{grp} {LABEL} {_literal(f'Group {i}')}",
                   f"{grp} {ALT} {_literal(f'G-{i:04d} {rng.choice(v.WORDS)}')}",
                   f"{grp} {IDENTIFIER} {_literal(f'QDe.{100 + i}')}",
                   *(f"{grp} {H('showsTactic')} {_iri('tactic', t)}"
                     for t in rng.sample(range(p.tactic), 2)),
                   f"{grp} <{v.DCTERMS}spatial> {self.pick('state')}",
                   *([f"{grp} {TYPE} {H('Actor')}",
                      f"{grp} {H('ftmTopic')} {_literal('crime.terror')}"]
                     if self.valid else [])], g
        for i in range(p.source):
            src = _iri("source", i)
            yield [f"{src} {TYPE} {H('Report')}", f"{src} {TITLE} {_literal(self.words(3, 8))}",
                   f"{src} <{v.DCTERMS}publisher> {self.pick('state')}",
                   f"{src} {DATE} {self.date()}",
                   *([f"{src} {TYPE} {H('Document')}",
                      f"{src} {LABEL} {_literal(f'Report {i}')}",
                      f"{src} <{v.DCTERMS}creator> {_iri('state', i % p.state)}"]
                     if self.valid else [])], g
        self.counts.update(state=p.state, group=p.group, source=p.source)

    def resolutions(self) -> Iterator[tuple[list[str], str]]:
        g, rng = self.w.graph("resolutions"), self.rng
        for i in range(self.plan.resolution):
            number = v.FIRST_RESOLUTION + i
            r = _iri("resolution", number)
            adopted = self.date()
            symbol = f"S/RES/{number} ({adopted[1:5]})" if self.valid else f"S/RES/{number}"
            record = f"<https://digitallibrary.un.org/record/{number}>"
            yield [f"{r} {TYPE} {H('Resolution')}",
                   f"{r} {H('resolutionNumber')} {_typed(str(number), 'positiveInteger')}",
                   f"{r} {H('adoptionDate')} {adopted}",
                   f"{r} {H('symbol')} {_literal(symbol)}",
                   *([f"{r} {LABEL} {_literal(symbol)}",
                      f"{r} {H('adoptedBy')} {SECURITY_COUNCIL}",
                      f"{r} {H('digitalLibraryRecord')} {record}",
                      f"{r} {DERIVED_FROM} {record}"]
                     if self.valid else [])], g
            for op in range(1, 9):
                para = _iri("resolution", f"{number}/op/{op}")
                op_number = _typed(str(op), "positiveInteger")
                yield [*self._paragraph(para, "OperativeParagraph", r, r,
                                        f"{H('paragraphNumber')} {op_number}"),
                       *([f"{para} {DERIVED_FROM} {record}"] if self.valid else [])], g
                for sub in "abc"[: rng.randrange(4)]:
                    item = _iri("resolution", f"{number}/op/{op}/{sub}")
                    yield [*self._paragraph(item, "SubParagraph", para, r,
                                            f"{H('subParagraphLabel')} {_literal(sub)}"),
                           *([f"{item} {DERIVED_FROM} {record}",
                              f"{item} {H('subParagraphOf')} {para}",
                              f"{item} <{v.SKOS}editorialNote> "
                              f"{_literal('numbered by its letter')}"]
                             if self.valid else [])], g
        self.counts["resolution"] = self.plan.resolution

    def _paragraph(self, para: str, kind: str, parent: str, resolution: str,
                   number: str) -> list[str]:
        return [f"{para} {TYPE} {H(kind)}", f"{para} {TYPE} {H('Paragraph')}",
                f"{para} {H('partOf')} {parent}", f"{para} {H('paragraphOf')} {resolution}",
                f"{para} {number}",
                f"{para} {H('paragraphText')} {_literal(self.words(12, 30))}@en"]

    def cases(self) -> Iterator[tuple[list[str], str]]:
        g, p, rng = self.w.graph("cases"), self.plan, self.rng
        memberships = 0
        for i in range(p.person):
            person = _iri("person", i)
            yield [f"{person} {TYPE} {H('Person')}",
                   f"{person} {LABEL} {_literal(f'Person {i}')}",
                   f"{person} <{v.SCHEMA}nationality> {self.pick('state')}",
                   f"{person} <{v.SCHEMA}birthDate> "
                   f"{_typed(str(rng.randint(1950, 2005)), 'gYear')}",
                   *([f"{person} {TYPE} {H('Actor')}"] if self.valid else [])], g
            for _ in range(rng.randrange(3)):
                m = _iri("membership", memberships)
                organization = self.pick("group")
                start = self.date()
                lines = [f"{m} {TYPE} {H('Membership')}", f"{m} <{v.ORG}member> {person}",
                         f"{m} <{v.ORG}organization> {organization}",
                         f"{m} {H('startDate')} {start}",
                         *([f"{m} {DERIVED_FROM} {self.pick('source')}"] if self.valid else [])]
                if rng.random() < 0.3:
                    end = self.date()
                    if self.valid:  # a membership ends after it starts
                        end = max(start, end)
                    lines.append(f"{m} {H('endDate')} {end}")
                memberships += 1
                yield lines, g
        for i in range(p.evidence):
            yield self._evidence(_iri("evidence", i)), g
        for i in range(p.finding):
            f = _iri("finding", i)
            about = self.pick("group")
            tactic = rng.choice(SHIPPED_TACTICS) if self.valid else self.pick("tactic")
            yield [f"{f} {TYPE} {H('Finding')}", f"{f} {H('about')} {about}",
                   f"{f} {H('showsTactic')} {tactic}",
                   f"{f} {H('statementText')} {_literal(self.words(8, 20))}",
                   *(f"{f} {H('restsOn')} {_iri('evidence', e)}"  # distinct: no duplicate quads
                     for e in rng.sample(range(p.evidence), rng.randint(1, 5))),
                   *([f"{f} {TYPE} {H('Statement')}",
                      f"{f} {ATTRIBUTED_TO} {self.pick('state')}",
                      f"{f} {DERIVED_FROM} {self.pick('source')}",
                      f"{f} {H('reliability')} {rng.choice(self.reliability)}",
                      f"{f} {H('credibility')} {rng.choice(self.credibility)}"]
                     if self.valid else [])], g
        self.counts.update(person=p.person, membership=memberships, evidence=p.evidence,
                           finding=p.finding)

    def _evidence(self, e: str) -> list[str]:
        p, rng = self.plan, self.rng
        para = f"{v.FIRST_RESOLUTION + rng.randrange(p.resolution)}/op/{rng.randint(1, 8)}"
        return [f"{e} {TYPE} {H('Evidence')}",
                f"{e} {H('relevantTo')} {_iri('resolution', para)}",
                f"{e} {H('involves')} {self.pick('group')}",
                f"{e} {H('reliability')} {rng.choice(self.reliability)}",
                f"{e} {H('credibility')} {rng.choice(self.credibility)}",
                f"{e} {H('observedOn')} {self.date()}",
                f"{e} {DERIVED_FROM} {self.pick('source')}",
                f"{e} {ATTRIBUTED_TO} {self.pick('state')}",
                f"{e} {DESCRIPTION} {_literal(self.words(6, 16))}",
                *([f"{e} {LABEL} {_literal('Evidence ' + e.rsplit('/', 1)[1][:-1])}",
                   f"{e} {H('sharingLevel')} {rng.choice(TLP)}",
                   f"{e} {H('relevanceNote')} {_literal('judged relevant')}"]
                  if self.valid else [])]

    def finance(self) -> Iterator[tuple[list[str], str]]:
        g, rng = self.w.graph("finance"), self.rng
        currencies = [c for c in v.CURRENCIES if c != "USDT"] if self.valid else v.CURRENCIES
        i = 0
        while True:  # until the budget stops run()
            flow, amount = _iri("flow", i), _iri("flow", f"{i}/amount")
            payer = self.pick("person") if rng.random() < 0.7 else self.pick("group")
            cents = int(rng.lognormvariate(10, 1.5))
            self.counts["flow"] = i + 1
            payee = self.pick("group")
            mechanism = (rng.choice(SHIPPED_MECHANISMS) if self.valid
                         else _iri("mechanism", rng.choice(v.MECHANISMS)[0]))
            yield [f"{flow} {TYPE} {H('FinancialFlow')}", f"{flow} {H('payer')} {payer}",
                   f"{flow} {H('payee')} {payee}",
                   f"{flow} {H('mechanism')} {mechanism}",
                   f"{flow} {DATE} {self.date()}",
                   *([f"{flow} {LABEL} {_literal(f'Flow {i}')}",
                      f"{flow} {H('basis')} {rng.choice(BASES)}",
                      f"{flow} {DERIVED_FROM} {self.pick('source')}",
                      f"{amount} {TYPE} {H('MonetaryAmount')}"]
                     if self.valid else []),
                   f"{flow} {H('amount')} {amount}",
                   f"{amount} {H('amountValue')} "
                   f"{_typed(f'{cents // 100}.{cents % 100:02d}', 'decimal')}",
                   f"{amount} {H('currency')} {_literal(rng.choice(currencies))}",
                   f"{self.pick('evidence')} {H('evidencesFlow')} {flow}"], g
            i += 1


def generate(triples: int, out: TextIO, *, seed: int = 42, conforming: bool = False) -> Manifest:
    """Write exactly `triples` N-Quads lines to `out` and describe them.

    The output depends only on `triples`, `seed` and `conforming` (and GENERATOR_VERSION),
    never on time or hash order. Sizes below a few thousand triples cut into the earlier
    sections and lose the financial flows, so the runner insists on at least 10,000.
    """
    gen = _Generator(triples, seed, out, conforming=conforming)
    gen.run()
    gen.counts.setdefault("flow", 0)
    return Manifest(triples=gen.w.count, seed=seed, counts=gen.counts,
                    graphs=[v.graph_iri(name) for name in v.GRAPHS], conforming=conforming)


def data_paths(directory: Path, triples: int, seed: int, *, conforming: bool = False
               ) -> tuple[Path, Path]:
    """Where the data file and its manifest for (triples, seed) are cached."""
    stem = f"data-{triples}-s{seed}-v{GENERATOR_VERSION}" + ("-valid" if conforming else "")
    return directory / f"{stem}.nq", directory / f"{stem}.json"


def ensure_data(directory: Path, triples: int, seed: int, *, conforming: bool = False
                ) -> tuple[Path, Manifest]:
    """Reuse the cached file for (triples, seed) or generate it; return it and its manifest."""
    data, manifest_path = data_paths(directory, triples, seed, conforming=conforming)
    if data.exists() and manifest_path.exists():
        return data, Manifest.read(manifest_path)
    directory.mkdir(parents=True, exist_ok=True)
    partial = data.with_suffix(".nq.partial")
    with partial.open("w", encoding="utf-8", newline="\n") as out:
        manifest = generate(triples, out, seed=seed, conforming=conforming)
    partial.replace(data)
    manifest.write(manifest_path)
    return data, manifest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--triples", type=int, required=True, help="exact number of quads")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--conforming", action="store_true",
                        help="data that conforms to the shipped shapes (for write benchmarks)")
    parser.add_argument("--output", type=Path, help="N-Quads file (default: standard output); "
                        "the manifest is written beside it as .json")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    if args.output is None:
        manifest = generate(args.triples, sys.stdout, seed=args.seed, conforming=args.conforming)
    else:
        with args.output.open("w", encoding="utf-8", newline="\n") as out:
            manifest = generate(args.triples, out, seed=args.seed, conforming=args.conforming)
        manifest.write(args.output.with_suffix(".json"))
    print(f"{manifest.triples} quads in {time.perf_counter() - started:.1f} s: {manifest.counts}",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
