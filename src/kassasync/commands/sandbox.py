"""``kassasync sandbox``: run the local Fortnox (the same as ``python -m fortnox_sandbox``)."""

from __future__ import annotations

import argparse
from typing import Any


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "sandbox", help="kör den lokala Fortnox-sandlådan", add_help=False, prefix_chars="\0"
    )
    parser.add_argument("rest", nargs=argparse.REMAINDER)
    parser.set_defaults(handler=_run)


def _run(args: argparse.Namespace) -> int:
    from fortnox_sandbox.__main__ import main

    return main(list(args.rest))
