"""OAuth2 as Fortnox runs it: code flow, single-use rotating refresh tokens, client errors, scopes."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import requests

from fortnox_sandbox.testing import RunningSandbox, running_sandbox

REDIRECT = "http://127.0.0.1:53682/callback"
SCOPES = "companyinformation bookkeeping settings article price customer invoice payment"


def authorize(sandbox: RunningSandbox, **extra: str) -> requests.Response:
    params = {
        "client_id": sandbox.client_id,
        "redirect_uri": REDIRECT,
        "scope": SCOPES,
        "state": "xyz123",
        "access_type": "offline",
        "response_type": "code",
        **extra,
    }
    return requests.get(sandbox.authorize_url, params=params, allow_redirects=False, timeout=5)


def code_from(response: requests.Response) -> str:
    assert response.status_code == 302
    location = urlsplit(response.headers["Location"])
    query = parse_qs(location.query)
    assert f"{location.scheme}://{location.netloc}{location.path}" == REDIRECT
    assert query["state"] == ["xyz123"]
    return query["code"][0]


def token(sandbox: RunningSandbox, data: dict[str, str], secret: str | None = None) -> requests.Response:
    auth = (sandbox.client_id, sandbox.client_secret if secret is None else secret)
    return requests.post(sandbox.token_url, data=data, auth=auth, timeout=5)


def exchange(sandbox: RunningSandbox, code: str) -> requests.Response:
    return token(sandbox, {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT})


def refresh(sandbox: RunningSandbox, refresh_token: str) -> requests.Response:
    return token(sandbox, {"grant_type": "refresh_token", "refresh_token": refresh_token})


def company(sandbox: RunningSandbox, access_token: str) -> requests.Response:
    headers = {"Authorization": f"Bearer {access_token}", "Accept": "application/json"}
    return requests.get(f"{sandbox.api_url}/companyinformation", headers=headers, timeout=5)


def test_the_documented_code_flow_leads_to_the_company_information(sandbox: RunningSandbox) -> None:
    response = exchange(sandbox, code_from(authorize(sandbox)))
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    tokens = response.json()
    assert tokens["expires_in"] == 3600
    assert tokens["token_type"] == "bearer"
    assert set(tokens["scope"].split()) == set(SCOPES.split())
    info = company(sandbox, tokens["access_token"])
    assert info.status_code == 200
    assert info.json()["CompanyInformation"]["OrganizationNumber"] == "556123-4567"


def test_the_consent_page_has_a_godkann_button_that_approves() -> None:
    with running_sandbox(auto_approve=False) as sandbox:
        page = authorize(sandbox)
        assert page.status_code == 200
        assert "text/html" in page.headers["Content-Type"]
        assert ">Godkänn</button>" in page.text
        form = {
            "client_id": sandbox.client_id,
            "redirect_uri": REDIRECT,
            "scope": SCOPES,
            "state": "xyz123",
            "response_type": "code",
            "tenant": "demo",
            "decision": "approve",
        }
        approved = requests.post(sandbox.authorize_url, data=form, allow_redirects=False, timeout=5)
        assert exchange(sandbox, code_from(approved)).status_code == 200
        denied = requests.post(
            sandbox.authorize_url, data={**form, "decision": "deny"}, allow_redirects=False, timeout=5
        )
        assert "error=access_denied" in denied.headers["Location"]


def test_an_authorization_code_works_once(sandbox: RunningSandbox) -> None:
    code = code_from(authorize(sandbox))
    assert exchange(sandbox, code).status_code == 200
    second = exchange(sandbox, code)
    assert second.status_code == 400
    assert second.json()["error"] == "invalid_grant"


def test_an_authorization_code_expires_after_ten_minutes(sandbox: RunningSandbox) -> None:
    code = code_from(authorize(sandbox))
    sandbox.advance_clock(10 * 60 + 1)
    assert exchange(sandbox, code).json()["error"] == "invalid_grant"


def test_a_redirect_uri_that_is_neither_registered_nor_loopback_is_refused(sandbox: RunningSandbox) -> None:
    response = authorize(sandbox, redirect_uri="https://evil.example/callback")
    assert response.status_code == 400
    assert "Location" not in response.headers


def test_a_code_must_be_exchanged_with_the_same_redirect_uri(sandbox: RunningSandbox) -> None:
    code = code_from(authorize(sandbox))
    data = {"grant_type": "authorization_code", "code": code, "redirect_uri": "http://127.0.0.1:1/other"}
    assert token(sandbox, data).json()["error"] == "invalid_grant"


def test_refresh_rotates_and_a_reused_refresh_token_gets_invalid_grant(sandbox: RunningSandbox) -> None:
    first = exchange(sandbox, code_from(authorize(sandbox))).json()
    second = refresh(sandbox, first["refresh_token"])
    assert second.status_code == 200
    rotated = second.json()
    assert rotated["refresh_token"] != first["refresh_token"]
    assert company(sandbox, rotated["access_token"]).status_code == 200

    reused = refresh(sandbox, first["refresh_token"])
    assert reused.status_code == 400
    assert reused.headers["Content-Type"].startswith("text/html")  # as recorded from Fortnox
    assert reused.json() == {"error": "invalid_grant", "error_description": "Invalid refresh token"}
    # Reuse means two holders: the successor is revoked too, the user must log in again.
    assert refresh(sandbox, rotated["refresh_token"]).json()["error"] == "invalid_grant"


def test_a_refresh_token_expires_after_45_days(sandbox: RunningSandbox) -> None:
    tokens = sandbox.issue_tokens()
    sandbox.advance_clock(45 * 24 * 3600 + 1)
    assert refresh(sandbox, tokens["refresh_token"]).json()["error"] == "invalid_grant"


def test_a_wrong_client_secret_gets_invalid_client(sandbox: RunningSandbox) -> None:
    response = exchange(sandbox, code_from(authorize(sandbox)))  # consume nothing on failure below
    assert response.status_code == 200
    wrong = token(sandbox, {"grant_type": "refresh_token", "refresh_token": "x"}, secret="not-the-secret")
    assert wrong.status_code == 401
    assert wrong.headers["Content-Type"].startswith("text/plain")
    assert wrong.json()["error"] == "invalid_client"


def test_an_expired_access_token_gets_fortnox_401_body(sandbox: RunningSandbox) -> None:
    tokens = sandbox.issue_tokens()
    assert company(sandbox, tokens["access_token"]).status_code == 200
    sandbox.expire_access_tokens()
    expired = company(sandbox, tokens["access_token"])
    assert expired.status_code == 401
    assert expired.json() == {"message": "unauthorized"}
    assert refresh(sandbox, tokens["refresh_token"]).status_code == 200


def test_an_access_token_lasts_one_hour(sandbox: RunningSandbox) -> None:
    tokens = sandbox.issue_tokens()
    sandbox.advance_clock(3599)
    assert company(sandbox, tokens["access_token"]).status_code == 200
    sandbox.advance_clock(2)
    assert company(sandbox, tokens["access_token"]).status_code == 401


def test_revoked_refresh_tokens_no_longer_refresh(sandbox: RunningSandbox) -> None:
    tokens = sandbox.issue_tokens()
    response = requests.post(
        sandbox.revoke_url,
        data={"token_type_hint": "refresh_token", "token": tokens["refresh_token"]},
        auth=(sandbox.client_id, sandbox.client_secret),
        timeout=5,
    )
    assert response.json() == {"revoked": True}
    assert refresh(sandbox, tokens["refresh_token"]).json()["error"] == "invalid_grant"
    other = sandbox.issue_tokens()
    sandbox.revoke_refresh_tokens()
    assert refresh(sandbox, other["refresh_token"]).json()["error"] == "invalid_grant"


def test_a_token_belongs_to_one_tenant(sandbox: RunningSandbox) -> None:
    demo = company(sandbox, sandbox.issue_tokens("demo")["access_token"]).json()
    other = company(sandbox, sandbox.issue_tokens("other")["access_token"]).json()
    assert demo["CompanyInformation"]["OrganizationNumber"] == "556123-4567"
    assert other["CompanyInformation"]["OrganizationNumber"] == "559012-3450"


def test_the_consent_can_be_given_for_another_company(sandbox: RunningSandbox) -> None:
    tokens = exchange(sandbox, code_from(authorize(sandbox, tenant="other"))).json()
    info = company(sandbox, tokens["access_token"]).json()
    assert info["CompanyInformation"]["OrganizationNumber"] == "559012-3450"


def test_a_missing_scope_gets_403_with_fortnox_code(sandbox: RunningSandbox) -> None:
    tokens = sandbox.issue_tokens(scopes=["companyinformation"])
    headers = {"Authorization": f"Bearer {tokens['access_token']}"}
    assert company(sandbox, tokens["access_token"]).status_code == 200
    response = requests.get(f"{sandbox.api_url}/articles", headers=headers, timeout=5)
    assert response.status_code == 403
    assert response.json() == {
        "ErrorInformation": {"error": 1, "message": "Har inte behörighet för scope", "code": 2000663}
    }


def test_a_scope_without_licence_gets_2001101(sandbox: RunningSandbox) -> None:
    sandbox.configure_tenant("demo", licensed_scopes=["companyinformation", "bookkeeping", "settings"])
    headers = {"Authorization": f"Bearer {sandbox.issue_tokens()['access_token']}"}
    response = requests.get(f"{sandbox.api_url}/customers", headers=headers, timeout=5)
    assert response.status_code == 403
    assert response.json()["ErrorInformation"]["code"] == 2001101


def test_an_unknown_scope_is_refused_at_authorize(sandbox: RunningSandbox) -> None:
    response = authorize(sandbox, scope="companyinformation salary")
    assert "error=invalid_scope" in response.headers["Location"]


def test_an_integration_with_a_registered_redirect_uri_accepts_only_that_exact_uri(
    sandbox: RunningSandbox,
) -> None:
    sandbox.configure_tenant("demo", redirect_uris=[REDIRECT])
    assert code_from(authorize(sandbox))  # the registered one, exactly
    for other in ("http://127.0.0.1:53683/callback", "http://localhost:53682/callback", REDIRECT + "/x"):
        refused = authorize(sandbox, redirect_uri=other)
        assert refused.status_code == 400, other
        assert "Location" not in refused.headers


def test_a_token_has_exactly_the_scopes_its_login_asked_for(sandbox: RunningSandbox) -> None:
    asked = "companyinformation article"
    tokens = exchange(sandbox, code_from(authorize(sandbox, scope=asked))).json()
    assert tokens["scope"].split() == sorted(asked.split())
    headers = {"Authorization": f"Bearer {tokens['access_token']}", "Accept": "application/json"}
    assert requests.get(f"{sandbox.api_url}/articles", headers=headers, timeout=5).status_code == 200
    refused = requests.get(f"{sandbox.api_url}/customers", headers=headers, timeout=5)
    assert refused.status_code == 403
    renewed = refresh(sandbox, tokens["refresh_token"]).json()
    assert renewed["scope"] == tokens["scope"]  # a refresh neither widens nor narrows them
