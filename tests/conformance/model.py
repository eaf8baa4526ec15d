"""Plain data the runner passes around: endpoints to test, and what happened per test.

Results are dataclasses (not tuples) so the JSON report, the table and the pytest gates all
read the same named fields.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any


class Status(StrEnum):
    """Verdict of one test; a skip always carries a reason."""

    PASS = "pass"
    FAIL = "fail"
    SKIP = "skip"


@dataclass(frozen=True)
class Endpoint:
    """A SPARQL 1.1 service under test, known only by its three protocol URLs.

    ``unsupported`` names optional features the service declares it does not offer (for
    example ``DirectGraphIdentification``, ``POSTGraphCreation``, ``LOAD``, ``SERVICE``): tests
    needing them are skipped with that reason instead of failing. An empty update or Graph
    Store URL (``-`` on the command line) means the service has none: a read-only service
    still runs the tests that need neither writes nor test data. ``headers`` go on every
    request (for example an ``Authorization`` header for servers that protect writes).
    """

    name: str
    query_url: str
    update_url: str
    graph_store_url: str
    unsupported: frozenset[str] = frozenset()
    headers: tuple[tuple[str, str], ...] = ()

    @classmethod
    def parse(cls, spec: str) -> Endpoint:
        """Read ``name=query_url,update_url,graph_store_url[,unsupported=A+B][,token=T]``.

        >>> e = Endpoint.parse("ox=http://h/query,http://h/update,http://h/store,unsupported=LOAD")
        >>> (e.name, e.graph_store_url, sorted(e.unsupported))
        ('ox', 'http://h/store', ['LOAD'])
        """
        name, sep, rest = spec.partition("=")
        parts = rest.split(",")
        if not sep or len(parts) < 3 or not name:
            raise ValueError(
                f"endpoint {spec!r}: expected name=query_url,update_url,graph_store_url"
            )
        unsupported: set[str] = set()
        headers: list[tuple[str, str]] = []
        for option in parts[3:]:
            key, _, value = option.partition("=")
            if key == "unsupported":
                unsupported.update(v for v in value.split("+") if v)
            elif key == "token":
                headers.append(("Authorization", f"Bearer {value}"))
            else:
                raise ValueError(f"endpoint {name!r}: unknown option {key!r}")
        urls = ["" if url == "-" else url for url in parts[:3]]
        return cls(name, *urls, frozenset(unsupported), tuple(headers))


@dataclass(frozen=True)
class Verdict:
    """What a test handler decided, under strict and under value-based literal comparison.

    The two differ only where literals compare equal by value but not by lexical form (an
    engine that stores ``"1.0"^^xsd:decimal`` canonically answers ``"1"``).
    """

    strict: Status
    value: Status
    reason: str = ""

    @classmethod
    def same(cls, status: Status, reason: str = "") -> Verdict:
        return cls(status, status, reason)

    @classmethod
    def passed(cls) -> Verdict:
        return cls.same(Status.PASS)

    @classmethod
    def failed(cls, reason: str) -> Verdict:
        return cls.same(Status.FAIL, reason)

    @classmethod
    def skipped(cls, reason: str) -> Verdict:
        return cls.same(Status.SKIP, reason)


@dataclass(frozen=True)
class Outcome:
    """One test run against one endpoint."""

    test: str
    name: str
    suite: str
    strict: Status
    value: Status
    reason: str
    seconds: float


@dataclass(frozen=True)
class Counts:
    """Per-suite totals; ``value_passed`` counts passes under value-based literal comparison."""

    passed: int
    failed: int
    skipped: int
    value_passed: int

    @property
    def total(self) -> int:
        return self.passed + self.failed + self.skipped


@dataclass
class Report:
    """Everything one endpoint did in one run, in manifest order."""

    endpoint: str
    outcomes: list[Outcome] = field(default_factory=list)
    seconds: float = 0.0

    def suites(self) -> list[str]:
        return list(dict.fromkeys(o.suite for o in self.outcomes))

    def counts(self, suite: str | None = None) -> Counts:
        """Totals for one suite, or for all suites when ``suite`` is None."""
        chosen = [o for o in self.outcomes if suite is None or o.suite == suite]
        strict = Counter(o.strict for o in chosen)
        value = Counter(o.value for o in chosen)
        return Counts(strict[Status.PASS], strict[Status.FAIL], strict[Status.SKIP],
                      value[Status.PASS])

    def with_status(self, status: Status) -> list[Outcome]:
        return [o for o in self.outcomes if o.strict == status]

    def to_json(self) -> dict[str, Any]:
        return {
            "endpoint": self.endpoint,
            "seconds": round(self.seconds, 2),
            "counts": {s: asdict(self.counts(s)) for s in self.suites()},
            "outcomes": [asdict(o) for o in self.outcomes],
        }
