"""Deterministic synthetic data in the domain's shape, written as N-Quads.

Why synthetic: the curated graph is a few hundred triples; a benchmark needs 100k-1M triples whose
shape (resolutions and paragraphs, actors, graded evidence, financial flows, findings, SKOS
hierarchies) makes the analyst queries of bench/queries do realistic work. The same seed and size
always give the same bytes, so a cached file and a fresh one are interchangeable and two runs
compare like with like.

Size is exact: sections are scaled from the target, the last section (financial flows) is
cut at the target, and no quad is written twice, so a store holds exactly `--triples` quads.

Example:
    python -m bench.generate --triples 100000 --output bench/results/data.nq
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

    def write(self, path: Path) -> None:
        path.write_text(json.dumps(asdict(self), indent=2, sort_keys=True) + "\n")

    @classmethod
    def read(cls, path: Path) -> Manifest:
        return cls(**json.loads(path.read_text()))


class _QuadWriter:
    """Buffers N-Quads lines for one graph and counts them against the budget."""

    def __init__(self, out: TextIO, budget: int) -> None:
        self.out = out
        self.budget = budget
        self.count = 0
        self._lines: list[str] = []

    def graph(self, name: str) -> str:
        return f" <{v.graph_iri(name)}> .\n"

    def emit(self, lines: list[str], graph: str) -> bool:
        """Write the triples of one instance; False once the budget is reached."""
        room = self.budget - self.count
        if room <= 0:
            return False
        if len(lines) > room:
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


def H(name: str) -> str:  # noqa: N802 - reads like the prefix it stands for
    """The N-Triples form of `htkg:name`."""
    return f"<{v.HTKG}{name}>"


class _Generator:
    """Writes the sections in order; each section yields (triples of one instance, graph).

    Terms follow ontology/ where it has them (htkg:paragraphOf, htkg:involves, org:member,
    htkg:amount -> htkg:amountValue / htkg:currency, the grading concepts...).
    """

    def __init__(self, triples: int, seed: int, out: TextIO) -> None:
        self.rng = random.Random(seed)
        self.plan = Plan.for_triples(triples)
        self.w = _QuadWriter(out, triples)
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
        yield [f"{scheme} {TYPE} <{v.SKOS}ConceptScheme>"], g
        for i in range(p.tactic):
            name = v.TACTIC_NAMES[i % len(v.TACTIC_NAMES)]
            label = name if i < len(v.TACTIC_NAMES) else f"{name} variant {i}"
            t = _iri("tactic", i)
            lines = [f"{t} {TYPE} {CONCEPT}", f"{t} {TYPE} {H('Tactic')}",
                     f"{t} {PREF} {_literal(label)}@en", f"{t} {IN_SCHEME} {scheme}"]
            if i >= 4:  # four top concepts, then a random recursive tree (depth ~ ln n)
                lines.append(f"{t} {BROADER} {_iri('tactic', self.rng.randrange(i))}")
            yield lines, g
        for key, label, parent in v.MECHANISMS:
            m = _iri("mechanism", key)
            lines = [f"{m} {TYPE} {CONCEPT}", f"{m} {TYPE} {H('FinancialMechanism')}",
                     f"{m} {PREF} {_literal(label)}@en"]
            if parent:
                lines.append(f"{m} {BROADER} {_iri('mechanism', parent)}")
            yield lines, g
        self.counts.update(tactic=p.tactic, mechanism=len(v.MECHANISMS))

    def actors(self) -> Iterator[tuple[list[str], str]]:
        g, p, rng = self.w.graph("reference"), self.plan, self.rng
        for i in range(p.state):
            s = _iri("state", i)
            yield [f"{s} {TYPE} {H('MemberState')}", f"{s} {LABEL} {_literal(f'State {i}')}",
                   f"{s} {NOTATION} {_literal(f'S{i:03d}')}"], g
        for i in range(p.group):
            grp = _iri("group", i)
            yield [f"{grp} {TYPE} {H('TerroristGroup')}",
                   f"{grp} {LABEL} {_literal(f'Group {i}')}",
                   f"{grp} {ALT} {_literal(f'G-{i:04d} {rng.choice(v.WORDS)}')}",
                   f"{grp} {IDENTIFIER} {_literal(f'QDe.{100 + i}')}",
                   *(f"{grp} {H('showsTactic')} {_iri('tactic', t)}"
                     for t in rng.sample(range(p.tactic), 2)),
                   f"{grp} <{v.DCTERMS}spatial> {self.pick('state')}"], g
        for i in range(p.source):
            src = _iri("source", i)
            yield [f"{src} {TYPE} {H('Report')}", f"{src} {TITLE} {_literal(self.words(3, 8))}",
                   f"{src} <{v.DCTERMS}publisher> {self.pick('state')}",
                   f"{src} {DATE} {self.date()}"], g
        self.counts.update(state=p.state, group=p.group, source=p.source)

    def resolutions(self) -> Iterator[tuple[list[str], str]]:
        g, rng = self.w.graph("resolutions"), self.rng
        for i in range(self.plan.resolution):
            number = v.FIRST_RESOLUTION + i
            r = _iri("resolution", number)
            yield [f"{r} {TYPE} {H('Resolution')}",
                   f"{r} {H('resolutionNumber')} {_typed(str(number), 'positiveInteger')}",
                   f"{r} {H('adoptionDate')} {self.date()}",
                   f"{r} {H('symbol')} {_literal(f'S/RES/{number}')}"], g
            for op in range(1, 9):
                para = _iri("resolution", f"{number}/op/{op}")
                op_number = _typed(str(op), "positiveInteger")
                yield self._paragraph(para, "OperativeParagraph", r, r,
                                      f"{H('paragraphNumber')} {op_number}"), g
                for sub in "abc"[: rng.randrange(4)]:
                    yield self._paragraph(_iri("resolution", f"{number}/op/{op}/{sub}"),
                                          "SubParagraph", para, r,
                                          f"{H('subParagraphLabel')} {_literal(sub)}"), g
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
                   f"{_typed(str(rng.randint(1950, 2005)), 'gYear')}"], g
            for _ in range(rng.randrange(3)):
                m = _iri("membership", memberships)
                lines = [f"{m} {TYPE} {H('Membership')}", f"{m} <{v.ORG}member> {person}",
                         f"{m} <{v.ORG}organization> {self.pick('group')}",
                         f"{m} {H('startDate')} {self.date()}"]
                if rng.random() < 0.3:
                    lines.append(f"{m} {H('endDate')} {self.date()}")
                memberships += 1
                yield lines, g
        for i in range(p.evidence):
            yield self._evidence(_iri("evidence", i)), g
        for i in range(p.finding):
            f = _iri("finding", i)
            yield [f"{f} {TYPE} {H('Finding')}", f"{f} {H('about')} {self.pick('group')}",
                   f"{f} {H('showsTactic')} {self.pick('tactic')}",
                   f"{f} {H('statementText')} {_literal(self.words(8, 20))}",
                   *(f"{f} {H('restsOn')} {_iri('evidence', e)}"  # distinct: no duplicate quads
                     for e in rng.sample(range(p.evidence), rng.randint(1, 5)))], g
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
                f"{e} {DESCRIPTION} {_literal(self.words(6, 16))}"]

    def finance(self) -> Iterator[tuple[list[str], str]]:
        g, rng = self.w.graph("finance"), self.rng
        i = 0
        while True:  # until the budget stops run()
            flow, amount = _iri("flow", i), _iri("flow", f"{i}/amount")
            payer = self.pick("person") if rng.random() < 0.7 else self.pick("group")
            cents = int(rng.lognormvariate(10, 1.5))
            self.counts["flow"] = i + 1
            yield [f"{flow} {TYPE} {H('FinancialFlow')}", f"{flow} {H('payer')} {payer}",
                   f"{flow} {H('payee')} {self.pick('group')}",
                   f"{flow} {H('mechanism')} {_iri('mechanism', rng.choice(v.MECHANISMS)[0])}",
                   f"{flow} {DATE} {self.date()}",
                   f"{flow} {H('amount')} {amount}",
                   f"{amount} {H('amountValue')} "
                   f"{_typed(f'{cents // 100}.{cents % 100:02d}', 'decimal')}",
                   f"{amount} {H('currency')} {_literal(rng.choice(v.CURRENCIES))}",
                   f"{self.pick('evidence')} {H('evidencesFlow')} {flow}"], g
            i += 1


def generate(triples: int, out: TextIO, *, seed: int = 42) -> Manifest:
    """Write exactly `triples` N-Quads lines to `out` and describe them.

    The output depends only on `triples` and `seed` (and GENERATOR_VERSION), never on time or
    hash order. Sizes below a few thousand triples cut into the earlier sections and lose the
    financial flows, so the runner insists on at least 10,000.
    """
    gen = _Generator(triples, seed, out)
    gen.run()
    gen.counts.setdefault("flow", 0)
    return Manifest(triples=gen.w.count, seed=seed, counts=gen.counts,
                    graphs=[v.graph_iri(name) for name in v.GRAPHS])


def data_paths(directory: Path, triples: int, seed: int) -> tuple[Path, Path]:
    """Where the data file and its manifest for (triples, seed) are cached."""
    stem = f"data-{triples}-s{seed}-v{GENERATOR_VERSION}"
    return directory / f"{stem}.nq", directory / f"{stem}.json"


def ensure_data(directory: Path, triples: int, seed: int) -> tuple[Path, Manifest]:
    """Reuse the cached file for (triples, seed) or generate it; return it and its manifest."""
    data, manifest_path = data_paths(directory, triples, seed)
    if data.exists() and manifest_path.exists():
        return data, Manifest.read(manifest_path)
    directory.mkdir(parents=True, exist_ok=True)
    partial = data.with_suffix(".nq.partial")
    with partial.open("w", encoding="utf-8", newline="\n") as out:
        manifest = generate(triples, out, seed=seed)
    partial.replace(data)
    manifest.write(manifest_path)
    return data, manifest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--triples", type=int, required=True, help="exact number of quads")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--output", type=Path, help="N-Quads file (default: standard output); "
                        "the manifest is written beside it as .json")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    if args.output is None:
        manifest = generate(args.triples, sys.stdout, seed=args.seed)
    else:
        with args.output.open("w", encoding="utf-8", newline="\n") as out:
            manifest = generate(args.triples, out, seed=args.seed)
        manifest.write(args.output.with_suffix(".json"))
    print(f"{manifest.triples} quads in {time.perf_counter() - started:.1f} s: {manifest.counts}",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
