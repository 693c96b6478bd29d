"""Fortnox's rate limit and the fault injection other engineers' reliability tests depend on."""

from __future__ import annotations

import time

import pytest
import requests

from fortnox_sandbox.faults import token_tag
from fortnox_sandbox.testing import ApiSession, RunningSandbox, running_sandbox


def z_voucher(day: str, text: str = "Kassa 1 Z-rapport") -> dict[str, object]:
    rows = [
        {"Account": 1910, "Debit": 125.00, "Credit": 0},
        {"Account": 3001, "Debit": 0, "Credit": 100.00},
        {"Account": 2611, "Debit": 0, "Credit": 25.00},
    ]
    return {
        "Voucher": {"VoucherSeries": "F", "TransactionDate": day, "Description": text, "VoucherRows": rows}
    }


def test_the_26th_request_inside_5_seconds_gets_429(sandbox: RunningSandbox) -> None:
    api = sandbox.api()
    statuses = [api.get("/3/companyinformation").status_code for _ in range(26)]
    assert statuses[:25] == [200] * 25
    assert statuses[25] == 429
    assert api.get("/3/articles").status_code == 429
    counters = sandbox.counters()
    assert counters["429s"] == 2
    assert counters["requests"]["GET /3/companyinformation"] == 26


def test_the_limit_is_per_client_and_tenant_not_per_token(sandbox: RunningSandbox) -> None:
    first, second = sandbox.api(), sandbox.api()
    for _ in range(13):
        assert first.get("/3/companyinformation").status_code == 200
    for _ in range(12):
        assert second.get("/3/companyinformation").status_code == 200
    assert second.get("/3/companyinformation").status_code == 429
    assert first.get("/3/companyinformation").status_code == 429
    assert sandbox.api("other").get("/3/companyinformation").status_code == 200


def test_two_registers_logged_in_to_one_company_share_one_window_and_their_429s_are_counted_apart(
    sandbox: RunningSandbox,
) -> None:
    """Two logins (tokens) of the same integration and company: one window of 25 between them, and
    the counters say which login met the 429s (the benchmark's per-agent figures come from these)."""
    tokens = [sandbox.issue_tokens()["access_token"] for _ in range(2)]
    shop_a, shop_b = (ApiSession(sandbox, token) for token in tokens)
    assert [shop_a.get("/3/companyinformation").status_code for _ in range(20)] == [200] * 20
    assert [shop_b.get("/3/companyinformation").status_code for _ in range(7)] == [200] * 5 + [429] * 2
    assert shop_a.get("/3/companyinformation").status_code == 429
    counters = sandbox.counters()
    assert counters["429s"] == 3
    assert counters["429s_by_token"] == {token_tag(tokens[0]): 1, token_tag(tokens[1]): 2}
    assert counters["requests_by_token"] == {token_tag(tokens[0]): 21, token_tag(tokens[1]): 7}
    sandbox.reset_counters()
    assert sandbox.counters()["429s_by_token"] == {}


def test_the_window_slides() -> None:
    with running_sandbox(rate_limit=3, rate_window_s=0.3) as sandbox:
        api = sandbox.api()
        assert [api.get("/3/companyinformation").status_code for _ in range(4)] == [200, 200, 200, 429]
        time.sleep(0.35)
        assert api.get("/3/companyinformation").status_code == 200


def test_rate_limit_zero_is_off() -> None:
    with running_sandbox(rate_limit=0) as sandbox:
        api = sandbox.api()
        assert all(api.get("/3/companyinformation").status_code == 200 for _ in range(40))


def test_a_drop_after_commit_leaves_the_voucher_created_while_the_caller_sees_a_connection_error(
    api: ApiSession, today: str
) -> None:
    api.sandbox.inject("POST", "/3/vouchers", "drop_after_commit")
    with pytest.raises(requests.ConnectionError):
        api.post("/3/vouchers", z_voucher(today, "Kassa 1 Z 0001"))
    listed = api.get("/3/vouchers/sublist/F").json()["Vouchers"]
    assert [(v["VoucherNumber"], v["Description"]) for v in listed] == [(1, "Kassa 1 Z 0001")]
    assert api.sandbox.counters()["vouchers_by_description"] == {"Kassa 1 Z 0001": 1}
    assert api.post("/3/vouchers", z_voucher(today, "Kassa 1 Z 0002")).status_code == 201  # one use only


def test_a_drop_before_commit_creates_nothing(api: ApiSession, today: str) -> None:
    api.sandbox.inject("POST", "/3/vouchers", "drop_before_commit")
    with pytest.raises(requests.ConnectionError):
        api.post("/3/vouchers", z_voucher(today))
    assert api.get("/3/vouchers/sublist/F").json()["Vouchers"] == []


def test_injected_statuses_fail_the_next_n_matching_requests(api: ApiSession) -> None:
    api.sandbox.inject("GET", "/3/articles/*", "status", count=2, status=503)
    assert api.get("/3/articles/1001").status_code == 503
    assert api.get("/3/articles").status_code == 200  # pattern needs one more segment
    assert api.get("/3/articles/FG-B%2FS").status_code == 503  # `*` matches one encoded segment
    assert api.get("/3/articles/1001").status_code == 200
    api.sandbox.inject("*", "/3/customers", "status", status=429)
    throttled = api.get("/3/customers")
    assert throttled.status_code == 429 and throttled.json() == {"message": "Too Many Requests"}
    api.sandbox.inject("GET", "/3/customers", "status", status=500)
    assert api.get("/3/customers").json()["ErrorInformation"]["code"] == 1000003


def test_a_delay_past_the_client_timeout_still_commits(api: ApiSession, today: str) -> None:
    api.sandbox.inject("POST", "/3/vouchers", "delay", delay_s=0.4)
    with pytest.raises(requests.ReadTimeout):
        api.session.post(api.url("/3/vouchers"), json=z_voucher(today, "sen"), timeout=0.1)
    deadline = time.monotonic() + 3
    while time.monotonic() < deadline and not api.get("/3/vouchers/sublist/F").json()["Vouchers"]:
        time.sleep(0.05)
    assert [v["Description"] for v in api.get("/3/vouchers/sublist/F").json()["Vouchers"]] == ["sen"]


def test_faults_can_target_the_token_endpoint(sandbox: RunningSandbox) -> None:
    tokens = sandbox.issue_tokens()
    sandbox.inject("POST", "/oauth-v1/token", "drop_after_commit")
    data = {"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]}
    with pytest.raises(requests.ConnectionError):
        requests.post(
            sandbox.token_url, data=data, auth=(sandbox.client_id, sandbox.client_secret), timeout=5
        )
    # The rotation happened: the old refresh token is spent (the lost-login case of FIELD.md §1).
    again = requests.post(
        sandbox.token_url, data=data, auth=(sandbox.client_id, sandbox.client_secret), timeout=5
    )
    assert again.json()["error"] == "invalid_grant"


def test_counters_count_per_route_template_and_reset(api: ApiSession) -> None:
    api.sandbox.reset_counters()
    api.get("/3/articles")
    api.get("/3/articles/1001")
    api.get("/3/articles/GR%C3%96N%2012")
    api.get("/3/nothing/here")
    requests_seen = api.sandbox.counters()["requests"]
    assert requests_seen == {
        "GET /3/articles": 1,
        "GET /3/articles/{ArticleNumber}": 2,
        "GET (no route)": 1,
    }
    api.sandbox.reset_counters()
    assert api.sandbox.counters() == {
        "requests": {},
        "429s": 0,
        "429s_by_token": {},
        "requests_by_token": {},
        "invoices_by_reference": {},
        "vouchers_by_description": {},
    }


def test_admin_routes_exist_only_in_test_mode() -> None:
    with running_sandbox(test_mode=False) as sandbox:
        assert requests.get(f"{sandbox.base_url}/_sandbox/counters", timeout=5).status_code == 404
        with pytest.raises(requests.HTTPError):
            sandbox.inject("GET", "/3/articles", "status", status=500)


def test_starting_and_stopping_a_sandbox_is_fast() -> None:
    started = time.perf_counter()
    with running_sandbox() as sandbox:
        ready = time.perf_counter()
        assert requests.get(f"{sandbox.base_url}/_sandbox/counters", timeout=5).status_code == 200
    stopped = time.perf_counter()
    assert ready - started < 0.1
    assert stopped - started < 0.3
