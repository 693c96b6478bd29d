"""The adaptive limiter in the real client against the sandbox's real window: a 429 is traffic (sent
again after the wait, counted, never doubled) and lowers the rate; two registers of one company, each
with its own limiter (separate PCs), both get every answer and settle below the full rate."""

from __future__ import annotations

import threading
from datetime import datetime
from pathlib import Path

from fortnox_sandbox.faults import token_tag
from fortnox_sandbox.testing import RunningSandbox, running_sandbox
from kassasync.clock import STOCKHOLM
from kassasync.fortnox.aimd import AimdRules
from kassasync.fortnox.auth import ClientCredentials, TokenManager
from kassasync.fortnox.client import FortnoxClient
from kassasync.fortnox.shared_budget import AdaptiveLimiter, MemoryBudget
from kassasync.fortnox.tokens import FileTokenStore, TokenSet

from .conftest import MakeClient
from .test_client import a_voucher, current_year


def adaptive(window_s: float = 5.0) -> AdaptiveLimiter:
    rules = AimdRules(window_s=window_s)
    return AdaptiveLimiter(MemoryBudget(rules), rules)


def test_a_429_on_a_creating_post_is_sent_again_counted_once_and_lowers_the_rate(
    make_client: MakeClient, sandbox: RunningSandbox
) -> None:
    limiter = adaptive()
    client = make_client(limiter=limiter)
    year, day = current_year(client)
    sandbox.inject("POST", "/3/vouchers", "status", status=429)
    created = client.create_voucher(a_voucher("Kassa 9 kvitto 1", day), year)
    assert created.voucher_number is not None
    counters = sandbox.counters()
    assert counters["requests"]["POST /3/vouchers"] == 2  # the 429, then the voucher
    assert counters["vouchers_by_description"] == {"Kassa 9 kvitto 1": 1}
    assert client.rate_limited == 1
    assert limiter.rate < 24


def register(sandbox: RunningSandbox, home: Path, window_s: float) -> tuple[FortnoxClient, str]:
    """One register's client: its own login (token) and its own limiter, as on its own PC."""
    tokens = sandbox.issue_tokens()
    store = FileTokenStore(home / "tokens.json")
    store.save(TokenSet.from_response(tokens, datetime.now(tz=STOCKHOLM)))
    manager = TokenManager(
        store, ClientCredentials(sandbox.client_id, sandbox.client_secret), sandbox.token_url, home / "lock"
    )
    client = FortnoxClient(manager, api_url=sandbox.api_url, limiter=adaptive(window_s))
    return client, tokens["access_token"]


def test_two_registers_of_one_company_share_the_window_and_both_get_every_answer(tmp_path: Path) -> None:
    window_s = 0.5
    with running_sandbox(rate_limit=25, rate_window_s=window_s) as sandbox:
        shops = [register(sandbox, tmp_path / name, window_s) for name in ("a", "b")]
        sandbox.reset_counters()
        answers: dict[int, list[str]] = {0: [], 1: []}

        def work(index: int) -> None:
            client = shops[index][0]
            answers[index] = [client.company_information().company_name for _ in range(120)]

        threads = [threading.Thread(target=work, args=(index,)) for index in (0, 1)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        counters = sandbox.counters()
        for client, _ in shops:
            client.close()
    assert [len(answers[0]), len(answers[1])] == [120, 120]
    refused = [counters["429s_by_token"].get(token_tag(token), 0) for _, token in shops]
    sent = [counters["requests_by_token"][token_tag(token)] for _, token in shops]
    assert [s - r for s, r in zip(sent, refused, strict=True)] == [120, 120]  # each counted once
    # Today's limiters (24 each against 25) would refuse about half of all requests; these few.
    assert sum(refused) <= 0.1 * sum(sent)
    assert all(isinstance(client.limiter, AdaptiveLimiter) for client, _ in shops)
