"""``kassasync demo``: Kassasync against the built-in Fortnox sandbox, on any machine, without a display.

It starts the seeded sandbox in-process, creates the demo shop's company file (a few days of receipts),
logs in through the real OAuth code flow (the sandbox approves at once and a headless "browser" follows
the redirect), runs a full sync both ways with the real engine, prints the report (what was pulled, which
receipt became which voucher) and runs it once more to show that nothing is posted twice.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path
from typing import Any

import requests

from fortnox_sandbox.testing import running_sandbox
from kassasync.commands.report import ProgressLine, report_lines
from kassasync.config import FortnoxSettings, Settings, save_settings
from kassasync.fortnox.connect import FortnoxContext, connect_company
from kassasync.logs import setup_logging
from kassasync.paths import HOME_ENV, app_paths
from kassasync.pos.demo import make_demo_company
from kassasync.pos.store import company_file
from kassasync.sync.engine import SyncEngine
from kassasync.sync.events import Outcome, SyncReport, SyncRequest


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("demo", help="visa Kassasync mot den inbyggda Fortnox-sandlådan")
    parser.add_argument("--home", type=Path, help="mapp för demons filer (standard: en ny tillfällig mapp)")
    parser.set_defaults(handler=_run)


def _open_headlessly(url: str) -> object:
    """Stands in for the user's browser: the auto-approving sandbox redirects to our loopback listener."""
    return requests.get(url, timeout=30)


def _run(args: argparse.Namespace) -> int:
    home = args.home or Path(tempfile.mkdtemp(prefix="kassasync-demo-"))
    os.environ[HOME_ENV] = str(home)
    paths = app_paths().ensure()
    setup_logging(paths.log_dir, console=False)
    with running_sandbox(seed="demo", test_mode=False, auto_approve=True) as sandbox:
        print(f"Fortnox-sandlåda: {sandbox.base_url} (demoföretaget, automatiskt godkännande)")
        os.environ["KASSASYNC_CLIENT_ID"] = sandbox.client_id
        os.environ["KASSASYNC_CLIENT_SECRET"] = sandbox.client_secret
        os.environ.setdefault("KASSASYNC_TOKEN_STORE", "file")
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
        save_settings(settings, paths.settings_file)
        company = store.company()
        counts = store.state_counts()
        print(f"Kassans företag: {company.name} ({company.organisation_number}), {company_file(company_dir)}")
        print(f"Kvitton i kön: {sum(counts.values())} ({', '.join(f'{k}: {v}' for k, v in counts.items())})")

        context = FortnoxContext.create(settings, paths)
        info = connect_company(context, browser_opener=_open_headlessly, timeout_s=30)
        print(f"Inloggad i Fortnox: {info.company_name} ({info.organization_number})")
        match = info.organization_number == company.organisation_number
        print("Organisationsnumren stämmer." if match else "VARNING: organisationsnumren skiljer sig!")

        store.close()
        engine = SyncEngine(context.settings, paths)
        print("\nSynkroniserar allt (hämtar från Fortnox, bokför kvittona)...")
        first = _sync(engine, SyncRequest(kind="everything", trigger="cli"))
        print("\nSynkroniserar igen: inget nytt ska bokföras...")
        second = _sync(engine, SyncRequest(trigger="cli"))
        series = sandbox.state.tenant("demo").vouchers
        kassa = sum(len(rows) for (_, code), rows in series.items() if code == settings.voucher_series)
        print(f"\nVerifikationer i serie {settings.voucher_series} i Fortnox-sandlådan: {kassa}")
    print(f"Loggar: {paths.log_dir}")
    ok = (Outcome.OK, Outcome.ATTENTION)
    return 0 if first.outcome in ok and second.outcome in ok and second.posted_count == 0 else 1


def _sync(engine: SyncEngine, request: SyncRequest) -> SyncReport:
    progress = ProgressLine()
    report = engine.run(request, emit=progress)
    progress.done()
    print("\n".join(report_lines(report, show_posted=10)))
    return report
