"""``kassasync demo``: Kassasync against the built-in Fortnox sandbox, on any machine, without a display.

It starts the seeded sandbox in-process, creates the demo shop's company file (a few days of receipts),
logs in through the real OAuth code flow (the sandbox approves at once and a headless "browser" follows
the redirect), runs a full sync both ways with the real engine, prints the report (what was pulled, which
receipt became which voucher) and runs it once more to show that nothing is posted twice.

``kassasync demo tray`` sets up the same world and then opens the tray agent on it (the ``kassasync
tray`` path), logged in to the sandbox, so a newcomer sees what a shop owner sees: the icon, its menu,
the settings and the receipts; it runs until "Avsluta" (or ``kassasync quit``), then stops the sandbox.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests

from fortnox_sandbox.testing import RunningSandbox, running_sandbox
from kassasync.app.compose import Composition
from kassasync.commands.report import STATE_NAMES, ProgressLine, report_lines
from kassasync.config import FortnoxSettings, Settings
from kassasync.environment import Environment
from kassasync.fortnox.connect import FortnoxContext, connect_company, remembering
from kassasync.logs import setup_logging
from kassasync.paths import AppPaths
from kassasync.pos.demo import make_demo_company
from kassasync.pos.orgnr import same_organisation
from kassasync.pos.store import company_file
from kassasync.sync.engine import SyncEngine
from kassasync.sync.events import Outcome, SyncReport, SyncRequest


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("demo", help="visa Kassasync mot den inbyggda Fortnox-sandlådan")
    parser.add_argument(
        "what",
        nargs="?",
        choices=("tray",),
        metavar="tray",
        help="tray: öppna Kassasync i aktivitetsfältet mot sandlådan och demobutiken (kräver en skärm)",
    )
    parser.add_argument("--home", type=Path, help="mapp för demons filer (standard: en ny tillfällig mapp)")
    parser.set_defaults(handler=_run)


def _open_headlessly(url: str) -> object:
    """Stands in for the user's browser: the auto-approving sandbox redirects to our loopback listener."""
    return requests.get(url, timeout=30)


@dataclass(frozen=True)
class DemoShop:
    """The demo's world, logged in: the running sandbox, the shop's settings saved, the login stored."""

    sandbox: RunningSandbox
    context: FortnoxContext
    root: Composition  # over the demo's own environment: its folder, the sandbox's client pair

    @property
    def paths(self) -> AppPaths:
        return self.root.paths


@contextmanager
def demo_shop(home: Path, environment: Environment) -> Iterator[DemoShop]:
    """Start the sandbox, create the demo shop's company file and log in to the sandbox, as an owner would.
    The demo's parts get their values passed (its folder, the sandbox's pair), not through the
    process's environment."""
    with running_sandbox(seed="demo", test_mode=False, auto_approve=True) as sandbox:
        demo_environment = environment.model_copy(
            update={
                "home": home,
                "client_id": sandbox.client_id,
                "client_secret": sandbox.client_secret,
                "token_store": environment.token_store or "file",
            }
        )
        root = Composition(demo_environment)
        paths = root.paths.ensure()
        setup_logging(paths.log_dir, console=False)
        print(f"Fortnox-sandlåda: {sandbox.base_url} (demoföretaget, automatiskt godkännande)")
        company_dir = home / "Hornbutiken"
        company_dir.mkdir(parents=True, exist_ok=True)
        store = make_demo_company(company_file(company_dir))
        settings = Settings(
            company_path=company_file(company_dir),
            fortnox=FortnoxSettings(
                api_url=sandbox.api_url,
                auth_url=f"{sandbox.base_url}/oauth-v1",
                client_id=sandbox.client_id,
                redirect_port=0,  # the sandbox's own integration accepts any loopback port
            ),
        )
        root.settings.replace(settings)
        company = store.company()
        counts = {STATE_NAMES[state]: n for state, n in store.state_counts().items() if n}
        store.close()
        print(f"Kassans företag: {company.name} ({company.organisation_number}), {company_file(company_dir)}")
        print(f"Kvitton i kön: {sum(counts.values())} ({', '.join(f'{k}: {v}' for k, v in counts.items())})")

        context = root.fortnox(settings)
        info = connect_company(context, browser_opener=_open_headlessly, timeout_s=30)
        root.settings.update(remembering(info))
        print(f"Inloggad i Fortnox: {info.company_name} ({info.organization_number})")
        match = same_organisation(info.organization_number, company.organisation_number)
        print("Organisationsnumren stämmer." if match else "VARNING: organisationsnumren skiljer sig!")
        yield DemoShop(sandbox, context, root)


def _run(args: argparse.Namespace) -> int:
    home = args.home or Path(tempfile.mkdtemp(prefix="kassasync-demo-"))
    if args.what == "tray":
        return _tray(args, home)
    with demo_shop(home, args.environment) as shop:
        engine = shop.root.engine()
        print("\nSynkroniserar allt (hämtar från Fortnox, bokför kvittona)...")
        first = _sync(engine, SyncRequest(kind="everything", trigger="cli"))
        print("\nSynkroniserar igen: inget nytt ska bokföras...")
        second = _sync(engine, SyncRequest(trigger="cli"))
        series_code = shop.root.settings.current().voucher_series
        series = shop.sandbox.state.tenant("demo").vouchers
        kassa = sum(len(rows) for (_, code), rows in series.items() if code == series_code)
        print(f"\nVerifikationer i serie {series_code} i Fortnox-sandlådan: {kassa}")
    print(f"Loggar: {shop.paths.log_dir}")
    ok = (Outcome.OK, Outcome.ATTENTION)
    return 0 if first.outcome in ok and second.outcome in ok and second.posted_count == 0 else 1


NO_DISPLAY = (
    "kassasync demo tray visar Kassasync i aktivitetsfältet och behöver en skärm (DISPLAY saknas). "
    "Kör kassasync demo för demon i terminalen."
)


def _tray(args: argparse.Namespace, home: Path) -> int:
    """The tray agent a shop owner sees, on the sandbox and the demo shop, until "Avsluta"."""
    if sys.platform != "win32" and not args.environment.has_display:
        print(NO_DISPLAY, file=sys.stderr)
        return 2
    from kassasync.commands.app import run_tray

    with demo_shop(home, args.environment) as shop:
        print(
            "\nKassasync körs nu i aktivitetsfältet mot sandlådan och demobutiken. Klicka på ikonen "
            "(Synkronisera, Inställningar, Kvitton med fel); Avsluta i menyn eller kassasync quit "
            "avslutar demon."
        )
        code = run_tray(shop.root)
    print(f"Demon är avslutad. Loggar: {shop.paths.log_dir}")
    return code


def _sync(engine: SyncEngine, request: SyncRequest) -> SyncReport:
    progress = ProgressLine()
    report = engine.run(request, emit=progress)
    progress.done()
    print("\n".join(report_lines(report, show_posted=10)))
    return report
