"""``kassasync avstamning``: the register's days against what Fortnox holds, for the accountant.

Exit codes: 0 every day matches; 1 a day differs (the output names the receipts); 2 it could not run.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import Any

from kassasync.app.compose import Composition
from kassasync.avstamning.output import report_lines, write_csv
from kassasync.avstamning.run import AvstamningRequest, default_range
from kassasync.clock import SystemClock, business_date
from kassasync.errors import ConfigError, KassasyncError
from kassasync.logs import setup_logging

from .report import ProgressLine


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("avstamning", help="stäm av kassans dagar mot det som finns i Fortnox")
    parser.add_argument(
        "--from", dest="start", type=_day, help="första dagen, ÅÅÅÅ-MM-DD (standard: månadens första)"
    )
    parser.add_argument("--to", dest="end", type=_day, help="sista dagen, ÅÅÅÅ-MM-DD (standard: i går)")
    parser.add_argument("--register", metavar="KOD", help="bara en kassa, t.ex. K1")
    parser.add_argument(
        "--csv", type=Path, metavar="FIL", help="spara avstämningen som CSV (semikolon, decimalkomma)"
    )
    parser.add_argument(
        "--detaljer", action="store_true", help="visa alla rader för varje dag, inte bara skillnaderna"
    )
    parser.set_defaults(handler=_avstamning)


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"inte ett datum (ÅÅÅÅ-MM-DD): {text}") from exc


def _avstamning(args: argparse.Namespace) -> int:
    try:
        root = Composition(args.environment)
        root.paths.ensure()
        settings = root.settings.load()
        setup_logging(root.paths.log_dir, settings.log_level)
    except ConfigError as exc:
        print(exc.user_message, file=sys.stderr)
        return 2
    start, end = default_range(business_date(SystemClock().now()))
    request = AvstamningRequest(args.start or start, args.end or end, args.register)
    if request.start > request.end:
        print("Första dagen ligger efter sista dagen.", file=sys.stderr)
        return 2
    progress = ProgressLine()
    try:
        report = root.reconcile(settings, request, progress)
    except KassasyncError as exc:
        progress.done()
        print(exc.user_message, file=sys.stderr)
        return 2
    progress.done()
    print("\n".join(report_lines(report, detailed=args.detaljer)))
    if args.csv is not None:
        write_csv(report, args.csv)
        print(f"CSV sparad: {args.csv}")
    return 0 if report.ok else 1
