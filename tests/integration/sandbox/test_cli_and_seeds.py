"""`python -m fortnox_sandbox` as scripts use it, and the seeds other tests build on."""

from __future__ import annotations

import subprocess
import sys
import time

import requests

from fortnox_sandbox import seed
from fortnox_sandbox.clock import SandboxClock
from fortnox_sandbox.testing import RunningSandbox


def test_the_command_prints_base_url_and_credentials_on_lines_of_their_own() -> None:
    command = [
        sys.executable,
        "-m",
        "fortnox_sandbox",
        "--seed",
        "demo",
        "--port",
        "0",
        "--test-mode",
        "--auto-approve",
    ]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        lines = dict(process.stdout.readline().strip().split(": ", 1) for _ in range(3))
        assert lines["base_url"].startswith("http://127.0.0.1:")
        sandbox = RunningSandbox.attach(lines["base_url"], lines["client_id"], lines["client_secret"])
        tokens = sandbox.issue_tokens()
        headers = {"Authorization": f"Bearer {tokens['access_token']}"}
        info = requests.get(f"{sandbox.api_url}/companyinformation", headers=headers, timeout=5).json()
        assert info["CompanyInformation"]["OrganizationNumber"] == "556123-4567"
        token = requests.post(
            sandbox.token_url,
            data={"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]},
            auth=(lines["client_id"], lines["client_secret"]),
            timeout=5,
        )
        assert token.status_code == 200
    finally:
        process.terminate()
        process.wait(timeout=5)


def test_the_large_seed_has_100000_articles_and_10000_customers_in_seconds() -> None:
    clock = SandboxClock()
    started = time.perf_counter()
    tenant = seed.seed_large(clock.today(), clock.local_naive())
    elapsed = time.perf_counter() - started
    assert len(tenant.articles) == 100_000
    assert len(tenant.customers) == 10_000
    assert len([k for k in tenant.prices if k[0] == "A"]) == 100_000
    assert elapsed < 5


def test_the_demo_seed_has_a_few_hundred_articles_stock_and_both_years(sandbox: RunningSandbox) -> None:
    tenant = sandbox.state.tenant("demo")
    assert 300 <= len(tenant.articles) <= 500
    assert all(a["QuantityInStock"] >= 0 for a in tenant.articles.values())
    assert any(a["QuantityInStock"] > 0 for a in tenant.articles.values() if a["StockGoods"])
    assert {a["VAT"] for a in tenant.articles.values()} == {0, 6, 12, 25}
    today = sandbox.state.clock.today()
    assert tenant.year_of(today) is not None
    assert tenant.year_of(today.replace(year=today.year - 1)) is not None
    assert tenant.warehouse is False
    assert sandbox.state.tenant("other").company["OrganizationNumber"] == "559012-3450"
