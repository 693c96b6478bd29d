"""The sandbox answers like Fortnox: every recorded interaction (tests/data/fortnox-recorded) replayed.

Each recording is one real conversation with api.fortnox.se / apps.fortnox.se. The sandbox is seeded to
an equivalent state (the records the recordings show: articles 1-3 and 101-103, customers 1-7, 34
invoices, the terms of payment and units of the recorded company), the recorded request is sent to it
over loopback, and its answer is compared with the recorded one: status, media type, keys, JSON types
and nullability (``null``, ``""`` and a missing key are three different things). Values are not
compared: numbers, names and dates depend on the state, the shapes do not.

Where the sandbox keeps a difference on purpose, ``DELIBERATE`` names it with the reason; the test fails
on every other difference, and also on a deliberate entry that no longer happens (the list stays true).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests
from requests.auth import _basic_auth_str

from fortnox_sandbox.seed import article_record, customer_record, new_tenant
from fortnox_sandbox.testing import RunningSandbox, running_sandbox

# A copy of the team's shared recordings (public VCR cassettes of accodeing/fortnox-api, see its README), kept
# in the repository so a clean clone tests the same answers (as tests/data/fortnox-openapi.json).
RECORDED = Path(__file__).parents[2] / "data" / "fortnox-recorded"
TENANT = "recorded"

# (recording file pattern, difference pattern) -> why the sandbox keeps it.
DELIBERATE: dict[tuple[str, str], str] = {}


def recordings() -> list[Path]:
    return sorted(p for p in RECORDED.glob("*.json") if p.is_file())


def kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def differences(recorded: Any, actual: Any, where: str = "") -> list[str]:
    """How ``actual`` differs in shape from ``recorded``, one line per key path."""
    want, got = kind(recorded), kind(actual)
    if want != got:
        return [f"{where or '$'}: Fortnox sends {want}, sandbox {got}"]
    if want == "object":
        found: list[str] = []
        for key in recorded:
            if key not in actual:
                found.append(f"{where}.{key}: missing in the sandbox")
            else:
                found += differences(recorded[key], actual[key], f"{where}.{key}")
        found += [f"{where}.{key}: not sent by Fortnox" for key in actual if key not in recorded]
        return found
    if want == "array" and recorded and actual:
        # Rows differ among themselves (one has "" where another has null): a sandbox row must match
        # one recorded row; otherwise report it against the closest.
        found = []
        for row in actual:
            options = [differences(r, row, f"{where}[]") for r in recorded]
            best = min(options, key=len)
            found += best
            if best:
                break  # the first bad row says it; the others would repeat it
        return found
    if want == "array" and recorded and not actual:
        return [f"{where}: Fortnox sends rows, sandbox none"]
    return []


def media_type(headers: dict[str, Any]) -> str:
    value = next((v for k, v in headers.items() if k.lower() == "content-type"), "")
    value = value[0] if isinstance(value, list) and value else value
    return str(value).split(";")[0].strip().lower()


@dataclass
class Replay:
    file: str
    index: int
    request: dict[str, Any]
    response: dict[str, Any]


def replays() -> Iterator[Replay]:
    for path in recordings():
        data = json.loads(path.read_text(encoding="utf-8"))
        for index, interaction in enumerate(data["interactions"]):
            yield Replay(path.stem, index, interaction["request"], interaction["response"])


def first_body(name: str) -> Any:
    data = json.loads((RECORDED / f"{name}.json").read_text(encoding="utf-8"))
    return data["interactions"][0]["response"]["body"]


def seed_recorded_company(sandbox: RunningSandbox) -> None:
    """The recorded company's records, as far as the recordings show them."""
    state = sandbox.state
    today, now = state.clock.today(), state.clock.local_naive()
    tenant = new_tenant(TENANT, 100009, "Recorded AB", "556000-0009", today)
    for row in first_body("articles__all")["Articles"]:
        record = article_record(row["ArticleNumber"], row["Description"], row["EAN"], 0, False, "", now)
        record.update(Unit=row["Unit"], StockPlace=row["StockPlace"])
        tenant.articles[row["ArticleNumber"]] = record
    for row in first_body("customers__all")["Customers"]:
        tenant.customers[row["CustomerNumber"]] = customer_record(
            row["CustomerNumber"], row["Name"], now, City=row["City"], ZipCode=row["ZipCode"]
        )
    tenant.customers["9"] = customer_record("9", "Customer with Sales Account", now, SalesAccount=3001)
    tenant.terms_of_payment = {
        r["Code"]: {k: v for k, v in r.items() if k != "@url"}
        for r in first_body("termsofpayments__all")["TermsOfPayments"]
    }
    tenant.units = {
        r["Code"]: {k: v for k, v in r.items() if k != "@url"} for r in first_body("units__all")["Units"]
    }
    state.add_tenant(tenant)
    api = sandbox.api(TENANT)
    for row in first_body("invoices__all")["Invoices"]:
        body: dict[str, Any] = {"CustomerNumber": row["CustomerNumber"]}
        if row["DocumentNumber"] in ("1", "2"):
            body["YourReference"] = "Gandalf the Grey"
        if row["DocumentNumber"] == "1":
            body["OurReference"] = "Radagast the Brown"
        if row["Booked"]:  # the two the recorded company had booked are the two paid in full
            body["InvoiceRows"] = [{"ArticleNumber": "101", "DeliveredQuantity": 1, "Price": 100}]
        created = api.post("/3/invoices", {"Invoice": body})
        assert created.status_code == 201, created.text
        if row["Booked"]:
            invoice = created.json()["Invoice"]
            number = invoice["DocumentNumber"]
            assert api.put(f"/3/invoices/{number}/bookkeep").status_code == 200
            payment = {
                "InvoiceNumber": int(number),
                "Amount": invoice["Total"],
                "PaymentDate": invoice["InvoiceDate"],
                "ModeOfPayment": "BG",
            }
            paid = api.post("/3/invoicepayments", {"InvoicePayment": payment})
            assert paid.status_code == 201, paid.text
            assert api.put(f"/3/invoicepayments/{paid.json()['InvoicePayment']['Number']}/bookkeep").ok


@pytest.fixture(scope="module")
def recorded_sandbox() -> Iterator[RunningSandbox]:
    with running_sandbox(seed="demo", rate_limit=0) as sandbox:
        sandbox.state.limiter.limit = 0
        seed_recorded_company(sandbox)
        yield sandbox


def prepare(sandbox: RunningSandbox, replay: Replay) -> None:
    """The state a recorded request found: a code absent before its POST, present for its GET."""
    tenant = sandbox.state.tenant(TENANT)
    body, answer = replay.request.get("body"), replay.response["body"]
    for wrapper, records in (("TermsOfPayment", tenant.terms_of_payment), ("Unit", tenant.units)):
        if replay.request["method"] == "POST" and isinstance(body, dict):
            records.pop(str((body.get(wrapper) or {}).get("Code")), None)
        if replay.request["method"] == "GET" and isinstance(answer, dict) and wrapper in answer:
            record = {k: v for k, v in answer[wrapper].items() if k != "@url"}
            records.setdefault(record["Code"], record)


def send(sandbox: RunningSandbox, replay: Replay, session: requests.Session) -> requests.Response:
    request = replay.request
    target = re.sub(r"^https://(api|apps)\.fortnox\.se", sandbox.base_url, request["uri"])
    headers = {k: v[0] if isinstance(v, list) else v for k, v in request["headers"].items()}
    headers.pop("Accept-Encoding", None)
    body = request.get("body")
    tokens = sandbox.issue_tokens(TENANT)
    if "/oauth-v1/" in target:
        if replay.file != "authentication__invalid_authorization":
            ours = sandbox.state.integration_of(TENANT)
            headers["Authorization"] = _basic_auth_str(ours.client_id, ours.client_secret)
        if replay.file == "authentication__valid_request":
            body = f"grant_type=refresh_token&refresh_token={tokens['refresh_token']}"
        data = body.encode() if isinstance(body, str) else b""
    else:
        headers["Authorization"] = f"Bearer {tokens['access_token']}"
        if replay.file == "authentication__expired_token":
            sandbox.expire_access_tokens(TENANT)
        data = json.dumps(body).encode() if isinstance(body, dict) else (body or "").encode()
    return session.request(request["method"], target, headers=headers, data=data or None, timeout=10)


def check(sandbox: RunningSandbox, replay: Replay, session: requests.Session) -> list[str]:
    prepare(sandbox, replay)
    answer = send(sandbox, replay, session)
    found: list[str] = []
    if answer.status_code != replay.response["status"]:
        found.append(f"status: Fortnox {replay.response['status']}, sandbox {answer.status_code}")
    want_type, got_type = media_type(replay.response["headers"]), media_type(dict(answer.headers))
    if want_type != got_type:
        found.append(f"content type: Fortnox {want_type}, sandbox {got_type}")
    try:
        body = answer.json()
    except ValueError:
        return [*found, f"body: sandbox sent no JSON ({answer.text[:80]!r})"]
    return found + differences(replay.response["body"], body)


def deliberate(file: str, difference: str) -> tuple[str, str] | None:
    return next(
        (key for key in DELIBERATE if re.fullmatch(key[0], file) and re.search(key[1], difference)), None
    )


def test_sandbox_answers_every_recorded_interaction_like_fortnox(recorded_sandbox: RunningSandbox) -> None:
    assert len(recordings()) == 78, f"expected the 78 recordings in {RECORDED}"
    unexplained: list[str] = []
    used: set[tuple[str, str]] = set()
    with requests.Session() as session:
        for replay in replays():
            for difference in check(recorded_sandbox, replay, session):
                key = deliberate(replay.file, difference)
                if key is None:
                    unexplained.append(f"{replay.file}#{replay.index}: {difference}")
                else:
                    used.add(key)
    assert unexplained == [], "\n".join(unexplained)
    assert set(DELIBERATE) == used, f"deliberate differences that no longer happen: {set(DELIBERATE) - used}"
