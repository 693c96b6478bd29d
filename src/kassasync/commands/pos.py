"""``kassasync pos init | import | demo``: the register's company file from the command line."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path
from typing import Any

from kassasync.errors import KassasyncError
from kassasync.money import format_kronor
from kassasync.pos.demo import make_demo_company
from kassasync.pos.importer import import_file
from kassasync.pos.store import PosStore, company_file
from kassasync.words import kvitton

log = logging.getLogger(__name__)


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("pos", help="kassans företagsfil (kassa.db)")
    commands = parser.add_subparsers(dest="pos_command", required=True, metavar="KOMMANDO")

    init = commands.add_parser("init", help="skapa ett nytt företag")
    init.add_argument("--company", type=Path, required=True, help="företagsmapp (kassa.db skapas där)")
    init.add_argument("--name", required=True, help="företagets namn")
    init.add_argument("--orgnr", required=True, help="organisationsnummer, NNNNNN-NNNN")
    init.set_defaults(handler=_init)

    load = commands.add_parser("import", help="läs in kvitton från en JSON-fil")
    load.add_argument("file", type=Path, metavar="FIL")
    load.add_argument("--company", type=Path, required=True, help="företagsmapp med kassa.db")
    load.set_defaults(handler=_import)

    demo = commands.add_parser("demo", help="skapa demobutiken med några dagars kvitton")
    demo.add_argument("--company", type=Path, required=True, help="företagsmapp (kassa.db skapas där)")
    demo.add_argument("--days", type=int, default=3)
    demo.set_defaults(handler=_demo)


def _fail(exc: KassasyncError) -> int:
    log.error("%s", exc.detail)
    print(f"Fel: {exc.user_message}", file=sys.stderr)
    return 1


def _init(args: argparse.Namespace) -> int:
    try:
        with PosStore.create(company_file(args.company), args.name, args.orgnr) as store:
            company = store.company()
    except KassasyncError as exc:
        return _fail(exc)
    print(f"Företaget {company.name} ({company.organisation_number}) skapat i {store.path}")
    return 0


def _import(args: argparse.Namespace) -> int:
    try:
        with PosStore.open(company_file(args.company)) as store:
            result = import_file(store, args.file)
    except KassasyncError as exc:
        return _fail(exc)
    print(f"{kvitton(len(result.added))} inlästa, {len(result.already_present)} fanns redan.")
    if result.problems:
        print(f"{kvitton(len(result.refused))} lästes inte in:", file=sys.stderr)
        for problem in result.problems:
            print(f"  {problem.message} [fält {problem.field}]", file=sys.stderr)
        return 1
    return 0


def _demo(args: argparse.Namespace) -> int:
    try:
        with make_demo_company(company_file(args.company), days=args.days) as store:
            company = store.company()
            receipts = list(store.pending_receipts())
    except KassasyncError as exc:
        return _fail(exc)
    total = sum(r.total_ore for r in receipts)
    print(
        f"Demobutiken {company.name} ({company.organisation_number}) skapad i {store.path}: "
        f"{kvitton(len(receipts))}, {format_kronor(total)}."
    )
    return 0
