"""``kassasync login | logout | status``: the Fortnox connection from the command line."""

from __future__ import annotations

import argparse
import logging
import sys
from typing import Any

from kassasync.app.compose import Composition
from kassasync.config import without_fortnox_company
from kassasync.errors import KassasyncError
from kassasync.fortnox.auth import logout
from kassasync.fortnox.connect import FortnoxContext, connect_company, remembering

log = logging.getLogger(__name__)


def register(subparsers: Any) -> None:
    login_parser = subparsers.add_parser("login", help="koppla Kassasync till ett Fortnox-företag")
    login_parser.add_argument(
        "--timeout", type=float, default=300.0, help="sekunder att vänta på webbläsaren (300)"
    )
    login_parser.set_defaults(handler=_login)
    logout_parser = subparsers.add_parser("logout", help="koppla bort Fortnox och glöm inloggningen")
    logout_parser.set_defaults(handler=_logout)
    status_parser = subparsers.add_parser("status", help="visa vilket Fortnox-företag som är kopplat")
    status_parser.add_argument("--check", action="store_true", help="fråga Fortnox att kopplingen fungerar")
    status_parser.set_defaults(handler=_status)


def _context(args: argparse.Namespace) -> tuple[Composition, FortnoxContext]:
    root = Composition(args.environment)
    return root, root.fortnox(root.start_command())


def _fail(exc: KassasyncError) -> int:
    log.error("%s", exc.detail)
    print(exc.user_message, file=sys.stderr)
    return 1


def _login(args: argparse.Namespace) -> int:
    try:
        root, context = _context(args)
        company = connect_company(
            context, timeout_s=args.timeout, browser_opener=_open_browser, show_url=_print_login_url
        )
        root.settings.update(remembering(company))
    except KassasyncError as exc:
        return _fail(exc)
    print(f"Kopplad till {company.company_name} ({company.organization_number}).")
    return 0


def _open_browser(url: str) -> bool:
    """Say the browser opens only when one did: else ``_print_login_url`` shows the address."""
    import webbrowser

    opened = webbrowser.open(url)
    if opened:
        print("Inloggningen i Fortnox öppnas i webbläsaren: logga in och godkänn Kassasync.", flush=True)
    return opened


def _print_login_url(url: str) -> None:
    """No browser started (a server, a locked-down PC): the address to open by hand, alone on its line
    so it can be copied whole."""
    print("Ingen webbläsare startade. Öppna den här adressen i en webbläsare på den här datorn:")
    print(url, flush=True)
    print("Kassasync väntar på inloggningen.", flush=True)


def _logout(args: argparse.Namespace) -> int:
    try:
        root, context = _context(args)
        revoked = logout(context.credentials, context.endpoints, context.store)
        root.settings.update(without_fortnox_company)
    except KassasyncError as exc:
        return _fail(exc)
    print(
        "Utloggad från Fortnox."
        if revoked
        else "Inloggningen är glömd (Fortnox kunde inte nås för att spärra den)."
    )
    return 0


def _status(args: argparse.Namespace) -> int:
    try:
        _, context = _context(args)
        fortnox = context.settings.fortnox
        tokens = context.store.load()
        if tokens is None or fortnox.tenant_name is None:
            print("Inte kopplad till Fortnox. Kör: kassasync login")
            return 1
        print(f"Kopplad till {fortnox.tenant_name} ({fortnox.organisation_number}).")
        print(f"Inloggningen sparas i: {context.store.description}")
        if args.check:
            client = context.client()
            try:
                company = client.company_information()
            finally:
                client.close()
            print(f"Fortnox svarar: {company.company_name} ({company.organization_number}).")
    except KassasyncError as exc:
        return _fail(exc)
    return 0
