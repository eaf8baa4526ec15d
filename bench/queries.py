"""The analyst query mix: bench/queries/*.rq, each filled with parameters drawn from the data.

A query file says what it fills in with header comments, one per `%s` in order:

    # param: group

Each query gets `variants` parameter sets drawn with a seed derived from the run's seed and the
query's name, so a run is repeatable, both peers get exactly the same texts, and no single
answer can be served from a cache over and over.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bench import vocabulary as v
from bench.generate import Manifest

QUERY_DIR = Path(__file__).parent / "queries"

#: Tactics are drawn from the first 1/UPPER_TACTICS_SHARE of the SKOS tree (at least its four
#: top concepts): early nodes of a random recursive tree have the most descendants, so
#: skos:broader+ has work to do.
UPPER_TACTICS_SHARE = 20


def _instance(kind: str, first: int = 0) -> Callable[[Manifest, random.Random], str]:
    def draw(manifest: Manifest, rng: random.Random) -> str:
        return f"<{v.instance_iri(kind, first + rng.randrange(manifest.counts[kind]))}>"

    return draw


def _upper_tactic(manifest: Manifest, rng: random.Random) -> str:
    upper = max(4, manifest.counts["tactic"] // UPPER_TACTICS_SHARE)
    return f"<{v.instance_iri('tactic', rng.randrange(upper))}>"


#: Parameter kind -> how to draw one value, as SPARQL term text.
PARAMETERS: dict[str, Callable[[Manifest, random.Random], str]] = {
    "evidence": _instance("evidence"),
    "person": _instance("person"),
    "group": _instance("group"),
    "state": _instance("state"),
    "finding": _instance("finding"),
    "resolution": _instance("resolution", first=v.FIRST_RESOLUTION),
    "tactic": _upper_tactic,
    "year": lambda _m, rng: str(rng.randint(v.FIRST_YEAR, v.LAST_YEAR)),
    "reliability": lambda _m, rng: f"<{v.RELIABILITY_CONCEPT}{rng.choice(v.RELIABILITY)}>",
}


@dataclass(frozen=True)
class QueryTemplate:
    """One .rq file: its name (the file stem), text with `%s` slots, and the slots' kinds."""

    name: str
    text: str
    parameters: tuple[str, ...]
    description: str

    def variants(self, manifest: Manifest, count: int, *, seed: int) -> list[str]:
        """`count` filled-in query texts, the same for the same manifest, count and seed."""
        if not self.parameters:
            return [self.text]
        rng = random.Random(f"{seed}:{self.name}")
        return [self.text % tuple(PARAMETERS[kind](manifest, rng) for kind in self.parameters)
                for _ in range(count)]


def read_template(path: Path) -> QueryTemplate:
    """Parse one query file's header comments; fail on an unknown parameter kind."""
    text = path.read_text(encoding="utf-8")
    parameters: list[str] = []
    description: list[str] = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        body = line.lstrip("#").strip()
        if body.startswith("param:"):
            kind = body.removeprefix("param:").strip()
            if kind not in PARAMETERS:
                raise ValueError(f"{path}: unknown parameter kind {kind!r}")
            parameters.append(kind)
        else:
            description.append(body)
    if text.count("%s") != len(parameters):
        raise ValueError(f"{path}: {text.count('%s')} slots but {len(parameters)} params")
    return QueryTemplate(path.stem, text, tuple(parameters), " ".join(description))


def load_templates(names: list[str] | None = None) -> list[QueryTemplate]:
    """The mix in file-name order, or only the named queries (in the order given)."""
    available = {p.stem: p for p in sorted(QUERY_DIR.glob("*.rq"))}
    if names is None:
        return [read_template(p) for p in available.values()]
    unknown = [n for n in names if n not in available]
    if unknown:
        raise ValueError(f"unknown queries {unknown}; available: {sorted(available)}")
    return [read_template(available[n]) for n in names]
