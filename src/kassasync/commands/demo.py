"""``kassasync demo``: Kassasync against the built-in Fortnox sandbox, on any machine, without a display.

Until the sync engine lands this is the interim demo the foundation issue asks for: it starts the seeded
sandbox in-process, creates the demo shop's company file, logs in through the real OAuth code flow (the
sandbox approves at once and a headless "browser" follows the redirect), and reads a few things through
the real client, saying what a full sync will add.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path
from typing import Any

import requests

from fortnox_sandbox.testing import running_sandbox
from kassasync.config import FortnoxSettings, Settings, save_settings
from kassasync.fortnox.connect import FortnoxContext, connect_company
from kassasync.logs import setup_logging
from kassasync.paths import HOME_ENV, app_paths
from kassasync.pos.demo import make_demo_company
from kassasync.pos.store import company_file


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
                api_url=sandbox.api_url, auth_url=f"{sandbox.base_url}/oauth-v1", client_id=sandbox.client_id
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

        client = context.client()
        pages = list(client.iter_article_pages())
        years = client.financial_years()
        series = client.voucher_series()
        print(f"Artiklar i Fortnox: {sum(len(p) for p in pages)} (på {len(pages)} sidor om högst 500)")
        print(f"Räkenskapsår: {', '.join(f'{y.from_date}–{y.to_date}' for y in years)}")
        print(f"Verifikationsserier: {', '.join(s.code for s in series)}")
        print(f"Anrop till Fortnox: {client.requests_made}")
        store.close()
    print("Den fullständiga synkroniseringen (hämta och bokföra kvitton) kommer med synkmotorn.")
    print(f"Loggar: {paths.log_dir}")
    return 0
