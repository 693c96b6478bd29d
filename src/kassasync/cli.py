"""``kassasync``: the command line. Each area's subcommands live in ``kassasync.commands``."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from kassasync import __version__

# Areas are looked up by name so that a command's heavy imports (Tk, pystray) load only when used.
COMMAND_MODULES: tuple[str, ...] = ("pos", "auth", "sync", "sandbox", "demo", "app")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kassasync", description="Kassan och Fortnox i takt.")
    parser.add_argument("--version", action="version", version=f"kassasync {__version__}")
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="KOMMANDO")
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(f"kassasync.commands.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"kassasync.commands.{name}":
                continue  # area not built yet
            raise
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = args.handler
    result: int = handler(args)
    return result


def tray_main() -> None:
    """The gui script ``kassasync-tray``."""
    sys.exit(main(["tray"]))


if __name__ == "__main__":
    sys.exit(main())
