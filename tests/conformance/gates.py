"""Recorded counts of the reference endpoint, the floor every run is held to.

``oxigraph serve`` 0.5.13 (PyPI ``oxigraph``, plain default graph), on this runner, recorded
by ``test_oxigraph_conformance.py``. A run of htkg is gated on these and, more strictly, on
``report.regressions(oxigraph_report, htkg_report)`` in the same session. Update the numbers
only together with the reason (a runner fix, a new Oxigraph) in the commit message.
"""

from __future__ import annotations

from .model import Counts

#: suite -> Counts(passed, failed, skipped, value_passed)
OXIGRAPH_0_5_13: dict[str, Counts] = {
    "protocol": Counts(33, 1, 0, 33),
    "graph-store": Counts(9, 4, 0, 9),
    "service-description": Counts(3, 0, 0, 3),
    "query-1.1": Counts(205, 30, 77, 223),
    "query-1.1-syntax": Counts(106, 0, 0, 106),
    "update-1.1": Counts(94, 0, 0, 94),
    "update-1.1-syntax": Counts(63, 0, 0, 63),
    "query-1.0": Counts(254, 23, 0, 263),
    "query-1.0-syntax": Counts(198, 1, 0, 198),
}

#: htkg's floor, same runner, with the test configuration documented in docs/conformance.md
#: (plain default graph, LOAD and SERVICE off, an admin token for writes).
HTKG: dict[str, Counts] = {
    "protocol": Counts(34, 0, 0, 34),
    "graph-store": Counts(13, 0, 0, 13),
    "service-description": Counts(3, 0, 0, 3),
    "query-1.1": Counts(205, 30, 77, 223),
    "query-1.1-syntax": Counts(106, 0, 0, 106),
    "update-1.1": Counts(94, 0, 0, 94),
    "update-1.1-syntax": Counts(63, 0, 0, 63),
    "query-1.0": Counts(254, 23, 0, 263),
    "query-1.0-syntax": Counts(198, 1, 0, 198),
}

#: suites where every test must pass (the protocols htkg implements in full)
COMPLETE = ("protocol", "graph-store", "service-description")

#: tests Oxigraph passes and htkg may fail, each with its documented reason
DOCUMENTED_REGRESSIONS: dict[str, str] = {}
