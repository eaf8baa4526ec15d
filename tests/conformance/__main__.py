"""Command line: ``python -m tests.conformance NAME=QUERY_URL,UPDATE_URL,GSP_URL ...``.

Example, against a local Oxigraph server::

    oxigraph serve --location /tmp/ox --bind 127.0.0.1:7878 &
    B=http://127.0.0.1:7878
    python -m tests.conformance oxigraph=$B/query,$B/update,$B/store --json conformance.json
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .model import Endpoint
from .report import LEGEND, failures, skip_reasons, table, write_json
from .runner import SUITES, run_many


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tests.conformance",
        description="Run the W3C SPARQL 1.1 / 1.0 test suites over HTTP against endpoints.",
        epilog="Endpoint options after the three URLs: unsupported=Feature1+Feature2 "
               "(e.g. DirectGraphIdentification, POSTGraphCreation, LOAD, SERVICE) and "
               "token=T (sent as Authorization: Bearer T).",
    )
    parser.add_argument("endpoints", nargs="+", metavar="NAME=QUERY,UPDATE,GSP[,OPTION...]")
    parser.add_argument("--suite", action="append", choices=list(SUITES),
                        help="run only this suite (repeatable); default: all")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write every outcome")
    parser.add_argument("--failures", action="store_true", help="list every failing test")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds per request")
    args = parser.parse_args(argv)
    try:
        endpoints = [Endpoint.parse(spec) for spec in args.endpoints]
    except ValueError as error:
        parser.error(str(error))
    reports = run_many(endpoints, args.suite or list(SUITES), timeout_s=args.timeout)
    print(table(reports))
    print(f"\n{LEGEND}\n\nSkipped:\n{skip_reasons(reports)}")
    if args.failures:
        print(f"\nFailed:\n{failures(reports)}")
    if args.json:
        write_json(reports, args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
