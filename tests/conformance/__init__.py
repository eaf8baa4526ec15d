"""htkg's W3C SPARQL conformance runner: the W3C suites, over HTTP, against any endpoint.

See ``docs/conformance.md``. The public entry points are re-exported here.
"""

from .model import Counts, Endpoint, Outcome, Report, Status
from .runner import SUITES, Catalog, run_many, run_suites

__all__ = ["SUITES", "Catalog", "Counts", "Endpoint", "Outcome", "Report", "Status",
           "run_many", "run_suites"]
