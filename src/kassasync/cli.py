"""``kassasync``: the command line. Each area's subcommands live in ``kassasync.commands``."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from kassasync import __version__
from kassasync.environment import read_environment

# Areas are looked up by name so that a command's heavy imports (Tk, pystray) load only when used.
COMMAND_MODULES: tuple[str, ...] = ("pos", "auth", "sync", "sandbox", "demo", "app", "config", "avstamning")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kassasync", description="Kassan och Fortnox i takt.")
    parser.add_argument("--version", action="version", version=f"kassasync {__version__}")
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="KOMMANDO")
    for name in COMMAND_MODULES:
        importlib.import_module(f"kassasync.commands.{name}").register(subparsers)
    return parser


# What a shell reports for a program that a closed pipe stopped (128 + SIGPIPE): `kassasync receipts | head`.
CLOSED_PIPE_EXIT = 141


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    args.environment = read_environment()  # once, here; the commands pass it down (app/compose.py)
    handler = args.handler
    try:
        result: int = handler(args)
        sys.stdout.flush()  # a pipe closed early shows here, inside the guard, not at interpreter exit
    except BrokenPipeError:
        return _stdout_closed()
    return result


def _stdout_closed() -> int:
    """The reader (``head``, ``more``) stopped reading: quiet, as every Unix tool is, no traceback.

    Python would flush stdout again at exit and print "Exception ignored ... BrokenPipeError", so the
    descriptor is pointed at the null device first (the recipe of the ``signal`` module's docs).
    """
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # stdout is no real descriptor (a test's capture): nothing to quieten
        pass
    return CLOSED_PIPE_EXIT


def tray_main() -> None:
    """The gui script ``kassasync-tray``."""
    sys.exit(main(["tray"]))


if __name__ == "__main__":
    sys.exit(main())
