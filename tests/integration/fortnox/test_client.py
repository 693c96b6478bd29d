"""The client against the local Fortnox: limits, retries, unknown outcomes, escaping, pages."""

from __future__ import annotations

import socket
import time
from dataclasses import replace
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest

from fortnox_sandbox import seed
from fortnox_sandbox.testing import RunningSandbox, running_sandbox
from kassasync.clock import STOCKHOLM
from kassasync.fortnox.auth import ClientCredentials, TokenManager
from kassasync.fortnox.client import FortnoxClient
from kassasync.fortnox.errors import (
    FortnoxUnavailable,
    NotFound,
    OutcomeUnknown,
    SetupProblem,
)
from kassasync.fortnox.models import Voucher, VoucherRow
from kassasync.fortnox.ratelimit import SlidingWindowLimiter
from kassasync.fortnox.tokens import FileTokenStore, TokenSet

from .conftest import FAST_RETRIES, MakeClient


def requests_to(sandbox: RunningSandbox, key: str) -> int:
    count: int = sandbox.counters()["requests"].get(key, 0)
    return count


def a_voucher(description: str, day: date) -> Voucher:
    return Voucher(
        voucher_series="F",
        transaction_date=day,
        description=description,
        voucher_rows=(
            VoucherRow(account=1910, debit=Decimal("125.00"), credit=Decimal(0)),
            VoucherRow(account=3001, debit=Decimal(0), credit=Decimal("100.00")),
            VoucherRow(account=2611, debit=Decimal(0), credit=Decimal("25.00")),
        ),
    )


def current_year(client: FortnoxClient) -> tuple[int, date]:
    day = client.clock.now().date()
    (year,) = client.financial_years(day)
    return year.id, day


def test_company_information_names_the_connected_company(client: FortnoxClient) -> None:
    company = client.company_information()
    assert company.company_name == "Hörnbutiken i Sundsvall AB"
    assert company.organization_number == "556123-4567"
    assert client.requests_made == 1


def test_an_article_number_with_a_slash_round_trips(client: FortnoxClient, sandbox: RunningSandbox) -> None:
    article = client.get_article("FG-B/S")
    assert article.article_number == "FG-B/S"
    assert client.get_article("GRÖN 12").article_number == "GRÖN 12"
    assert requests_to(sandbox, "GET /3/articles/{ArticleNumber}") == 2


def test_a_missing_article_is_a_typed_not_found_with_a_swedish_remedy(client: FortnoxClient) -> None:
    with pytest.raises(NotFound) as caught:
        client.get_article("FINNS-INTE/1")
    assert caught.value.code == 2000428
    assert "Artikeln finns inte i Fortnox" in caught.value.user_message


def test_the_article_generator_yields_three_pages_for_1201_articles(
    client: FortnoxClient, sandbox: RunningSandbox
) -> None:
    tenant = sandbox.state.tenant("demo")
    now = sandbox.state.clock.local_naive()
    for i in range(1201 - len(tenant.articles)):
        seed.add_article(
            tenant, seed.article_record(f"GEN-{i:05}", f"Vara {i}", "", 25, True, "st", now), 1000
        )
    sizes = [len(page) for page in client.iter_article_pages()]
    assert sizes == [500, 500, 201]
    assert requests_to(sandbox, "GET /3/articles") == 3


def test_a_429_is_absorbed_and_the_request_succeeds(client: FortnoxClient, sandbox: RunningSandbox) -> None:
    sandbox.inject("GET", "/3/companyinformation", "status", status=429, count=2)
    assert client.company_information().company_name == "Hörnbutiken i Sundsvall AB"
    assert sandbox.counters()["429s"] == 2
    assert requests_to(sandbox, "GET /3/companyinformation") == 3
    assert client.rate_limited == 2


def test_an_overeager_client_meets_the_real_limit_and_still_gets_every_answer(
    store: FileTokenStore, credentials: ClientCredentials, tmp_path: object
) -> None:
    with running_sandbox(rate_limit=5, rate_window_s=0.25) as fast:
        tokens = TokenSet.from_response(fast.issue_tokens(), datetime.now(tz=STOCKHOLM))
        store.save(tokens)
        manager = TokenManager(
            store,
            ClientCredentials(fast.client_id, fast.client_secret),
            fast.token_url,
            store.path.with_suffix(".lock"),
        )
        greedy = FortnoxClient(manager, api_url=fast.api_url, limiter=SlidingWindowLimiter(20, 0.25))
        try:
            answers = [greedy.company_information().company_name for _ in range(12)]
        finally:
            greedy.close()
        assert len(answers) == 12
        assert fast.counters()["429s"] > 0
        assert greedy.rate_limited == fast.counters()["429s"]


def test_a_500_on_a_get_is_retried(client: FortnoxClient, sandbox: RunningSandbox) -> None:
    sandbox.inject("GET", "/3/settings/lockedperiod", "status", status=500, count=2)
    assert client.locked_period().end_date is None
    assert requests_to(sandbox, "GET /3/settings/lockedperiod") == 3


def test_a_get_that_keeps_failing_gives_up_after_the_bounded_retries(
    client: FortnoxClient, sandbox: RunningSandbox
) -> None:
    sandbox.inject("GET", "/3/settings/lockedperiod", "status", status=503, count=10)
    with pytest.raises(FortnoxUnavailable):
        client.locked_period()
    assert requests_to(sandbox, "GET /3/settings/lockedperiod") == 1 + FAST_RETRIES.max_retries


def test_a_voucher_is_created_once_when_the_connection_drops_after_fortnox_committed(
    client: FortnoxClient, sandbox: RunningSandbox
) -> None:
    year, day = current_year(client)
    sandbox.inject("POST", "/3/vouchers", "drop_after_commit")
    voucher = a_voucher("Kassa 1 kvitto 1001", day)
    with pytest.raises(OutcomeUnknown) as caught:
        client.create_voucher(voucher, year)
    assert caught.value.payload == {"Voucher": voucher.dump()}
    counters = sandbox.counters()
    assert counters["requests"]["POST /3/vouchers"] == 1
    assert counters["vouchers_by_description"] == {"Kassa 1 kvitto 1001": 1}
    found = [v for v in client.iter_vouchers("F", year, day, day) if v.description == "Kassa 1 kvitto 1001"]
    assert len(found) == 1  # what the engine's reconcile will see


def test_a_post_that_fails_with_500_is_not_resent(client: FortnoxClient, sandbox: RunningSandbox) -> None:
    year, day = current_year(client)
    sandbox.inject("POST", "/3/vouchers", "status", status=500)
    with pytest.raises(OutcomeUnknown):
        client.create_voucher(a_voucher("Kassa 1 kvitto 1002", day), year)
    assert requests_to(sandbox, "POST /3/vouchers") == 1


def test_a_voucher_into_a_series_without_manual_entry_is_a_setup_problem(
    client: FortnoxClient, sandbox: RunningSandbox
) -> None:
    sandbox.state.tenant("demo").set_series_manual("F", False)
    year, day = current_year(client)
    with pytest.raises(SetupProblem) as caught:
        client.create_voucher(a_voucher("Kassa 1 kvitto 1004", day), year)
    assert "Manuell kontering" in caught.value.user_message


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def test_a_refused_connection_is_retried_even_for_a_post_because_nothing_was_sent(
    make_client: MakeClient,
) -> None:
    client = make_client(api_url=f"http://127.0.0.1:{_closed_port()}/3")
    with pytest.raises(FortnoxUnavailable):
        client.create_voucher(a_voucher("Kassa 1 kvitto 1005", date(2026, 11, 28)), 2)
    assert client.requests_made == 1 + FAST_RETRIES.max_retries


def test_invoices_are_found_by_exact_external_reference(client: FortnoxClient) -> None:
    day = client.clock.now().date()
    payload = {
        "CustomerNumber": "1",
        "InvoiceDate": day,
        "ExternalInvoiceReference1": "KS|REG1|R0001",
        "VATIncluded": True,
        "InvoiceRows": [{"ArticleNumber": "FG-B/S", "DeliveredQuantity": Decimal(1)}],
    }
    created = client.create_invoice(payload)
    client.create_invoice({**payload, "ExternalInvoiceReference1": "KS|REG1|R00012"})
    found = client.find_invoices("KS|REG1|R0001")
    assert [f.document_number for f in found] == [created.document_number]
    assert created.document_number is not None
    booked = client.bookkeep_invoice(created.document_number)
    assert booked.booked is True
    payment = client.create_invoice_payment(
        {
            "InvoiceNumber": int(created.document_number),
            "Amount": booked.total,
            "PaymentDate": day,
            "ModeOfPayment": "KORT",
        }
    )
    assert payment.number is not None
    assert client.bookkeep_invoice_payment(payment.number).booked is True


def test_an_incremental_pull_returns_only_what_changed_since_lastmodified(
    client: FortnoxClient, sandbox: RunningSandbox
) -> None:
    since = datetime.now(tz=STOCKHOLM) - timedelta(minutes=1)
    assert [row for page in client.iter_article_pages(lastmodified=since) for row in page] == []
    changed = sandbox.api().put("/3/articles/FG-B%2FS", {"Article": {"Description": "Ny beskrivning"}})
    assert changed.status_code == 200
    rows = [row for page in client.iter_article_pages(lastmodified=since) for row in page]
    assert [(r.article_number, r.description) for r in rows] == [("FG-B/S", "Ny beskrivning")]


def test_a_post_whose_answer_times_out_raises_outcome_unknown_and_is_sent_once(
    make_client: MakeClient, sandbox: RunningSandbox
) -> None:
    client = make_client(options=replace(FAST_RETRIES, read_timeout_s=0.2))
    year, day = current_year(client)
    sandbox.inject("POST", "/3/vouchers", "delay", delay_s=0.5)
    with pytest.raises(OutcomeUnknown):
        client.create_voucher(a_voucher("Kassa 1 kvitto 1006", day), year)
    deadline = time.monotonic() + 3.0
    while not sandbox.counters()["vouchers_by_description"] and time.monotonic() < deadline:
        time.sleep(0.05)  # the sandbox finishes the delayed request: Fortnox did create it
    counters = sandbox.counters()
    assert counters["requests"]["POST /3/vouchers"] == 1
    assert counters["vouchers_by_description"] == {"Kassa 1 kvitto 1006": 1}


def test_a_get_whose_connection_drops_is_simply_asked_again(
    client: FortnoxClient, sandbox: RunningSandbox
) -> None:
    sandbox.inject("GET", "/3/companyinformation", "drop_after_commit")
    assert client.company_information().organization_number == "556123-4567"
    assert requests_to(sandbox, "GET /3/companyinformation") == 2
