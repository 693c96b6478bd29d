"""The read endpoints the agent pulls: envelopes, paging, lastmodified, thin rows, awkward numbers."""

from __future__ import annotations

from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from fortnox_sandbox import seed
from fortnox_sandbox.testing import ApiSession as Api

CORE_ARTICLES = {a["ArticleNumber"]: a for a in seed.load_core()["Articles"]}


def all_rows(api: Api, path: str, key: str, **params: Any) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    page = 1
    while True:
        body = api.get(path, limit=500, page=page, **params).json()
        rows.extend(body[key])
        if page >= body["MetaInformation"]["@TotalPages"]:
            return rows
        page += 1


def grow_catalogue(api: Api, total: int, prefix: str) -> None:
    """Add articles (numbered ``{prefix}00000`` on) until the demo tenant has ``total``."""
    tenant = api.sandbox.state.tenant()
    now = api.sandbox.state.clock.local_naive()
    for i in range(total - len(tenant.articles)):
        record = seed.article_record(f"{prefix}{i:05d}", f"Extra {i}", "", 25, False, "st", now)
        seed.add_article(tenant, record, 1000)


def test_company_information_is_the_demo_shop(api: Api) -> None:
    info = api.get("/3/companyinformation").json()["CompanyInformation"]
    assert info["CompanyName"] == "Hörnbutiken i Sundsvall AB"
    assert info["OrganizationNumber"] == "556123-4567"


def test_1201_articles_come_in_3_pages_at_limit_500(api: Api) -> None:
    grow_catalogue(api, 1201, "X")
    pages = [api.get("/3/articles", limit=500, page=p).json() for p in (1, 2, 3)]
    assert [len(p["Articles"]) for p in pages] == [500, 500, 201]
    assert all(p["MetaInformation"]["@TotalResources"] == 1201 for p in pages)
    assert all(p["MetaInformation"]["@TotalPages"] == 3 for p in pages)
    assert [p["MetaInformation"]["@CurrentPage"] for p in pages] == [1, 2, 3]
    numbers = [a["ArticleNumber"] for p in pages for a in p["Articles"]]
    assert len(set(numbers)) == 1201


def test_the_default_page_is_100_and_more_than_500_is_refused(api: Api) -> None:
    assert len(api.get("/3/articles").json()["Articles"]) == 100
    response = api.get("/3/articles", limit=501)
    assert response.status_code == 400
    assert response.json()["ErrorInformation"]["code"] == 2000588


def test_an_unknown_query_parameter_is_refused_with_2000588(api: Api) -> None:
    response = api.get("/3/modesofpayments", lastmodified="2026-01-01 00:00", colour="blue")
    assert response.status_code == 400
    assert response.json() == {
        "ErrorInformation": {"error": 1, "message": "Ogiltig parameter i anropet.", "code": 2000588}
    }


def test_lastmodified_returns_only_what_changed(api: Api) -> None:
    before = api.sandbox.state.clock.local_naive().strftime("%Y-%m-%d %H:%M")
    assert (
        api.put("/3/articles/1003", {"Article": {"Description": "Smör extrasaltat 500 g"}}).status_code == 200
    )
    assert api.post("/3/customers", {"Customer": {"Name": "Ny Kund AB"}}).status_code == 201
    articles = api.get("/3/articles", lastmodified=before).json()
    assert [a["ArticleNumber"] for a in articles["Articles"]] == ["1003"]
    customers = api.get("/3/customers", lastmodified=before).json()["Customers"]
    assert [c["Name"] for c in customers] == ["Ny Kund AB"]
    assert (
        api.get("/3/articles", lastmodified="2000-01-01").json()["MetaInformation"]["@TotalResources"] > 300
    )


def test_an_empty_list_has_zero_pages(api: Api) -> None:
    later = (api.sandbox.state.clock.local_naive() + timedelta(days=1)).strftime("%Y-%m-%d %H:%M")
    body = api.get("/3/articles", lastmodified=later).json()
    assert body == {
        "MetaInformation": {"@TotalResources": 0, "@TotalPages": 0, "@CurrentPage": 1},
        "Articles": [],
    }


def test_article_list_rows_are_thin_with_numbers_as_strings(api: Api) -> None:
    row = next(a for a in api.get("/3/articles").json()["Articles"] if a["ArticleNumber"] == "1001")
    assert not {"Active", "SalesAccount", "StockGoods", "Type"} & row.keys()
    assert row["SalesPrice"] is None and row["VAT"] is None  # as recorded: only the detail tells
    assert isinstance(row["DisposableQuantity"], str)
    assert row["@url"] == f"{api.sandbox.base_url}/3/articles/1001"
    detail = api.get(row["@url"]).json()["Article"]
    assert detail["Active"] is True and detail["StockGoods"] is True and detail["Type"] == "STOCK"
    assert detail["SalesAccount"] == 3002
    assert detail["SalesPrice"] == 53.48  # price lists hold prices excluding VAT: 53.48 × 1.12 = 59.90
    assert detail["VAT"] == 12


def test_the_core_articles_are_exactly_those_of_demo_core(api: Api) -> None:
    for number, core in CORE_ARTICLES.items():
        article = api.get(api.sandbox.api_url + "/articles/" + requests_quote(number)).json()["Article"]
        assert article["Description"] == core["Description"]
        assert article["EAN"] == core["EAN"]
        assert article["VAT"] == core["VAT"]
        net = Decimal(str(article["SalesPrice"])) * 100  # the list price, excluding VAT
        assert (net * (100 + core["VAT"]) / 100).quantize(Decimal(1), ROUND_HALF_UP) == core["SalesPriceOre"]
        assert article["StockGoods"] == core["StockGoods"]


def requests_quote(number: str) -> str:
    from urllib.parse import quote

    return quote(number, safe="")


def test_articles_filter_active_and_inactive(api: Api) -> None:
    api.put("/3/articles/3008", {"Article": {"Active": False}})
    inactive = api.get("/3/articles", filter="inactive").json()["Articles"]
    assert [a["ArticleNumber"] for a in inactive] == ["3008"]
    active = all_rows(api, "/3/articles", "Articles", filter="active")
    assert "3008" not in {a["ArticleNumber"] for a in active}
    assert api.get("/3/articles", filter="sleeping").json()["ErrorInformation"]["code"] == 2000587


def test_article_search_is_a_substring_match(api: Api) -> None:
    found = {a["ArticleNumber"] for a in api.get("/3/articles", articlenumber="100").json()["Articles"]}
    assert {"1001", "1009"} <= found
    assert "2001" not in found


def test_a_missing_article_gets_404_with_pascal_case_keys(api: Api) -> None:
    response = api.get("/3/articles/NOPE-1")
    assert response.status_code == 404
    assert response.json() == {
        "ErrorInformation": {"Error": 1, "Message": "Kan inte hitta artikeln.", "Code": 2000428}
    }


def test_financial_years_by_date(api: Api) -> None:
    today = api.sandbox.state.clock.today()
    years = api.get("/3/financialyears", date=today.isoformat()).json()["FinancialYears"]
    assert len(years) == 1
    assert years[0]["FromDate"] == f"{today.year}-01-01"
    assert len(api.get("/3/financialyears").json()["FinancialYears"]) == 2
    assert api.get("/3/financialyears", date=f"{today.year + 1}-06-01").json()["FinancialYears"] == []


def test_the_chart_has_the_shop_accounts_with_vat_codes_and_some_inactive(api: Api) -> None:
    accounts = {a["Number"]: a for a in all_rows(api, "/3/accounts", "Accounts")}
    for number in (
        1510,
        1580,
        1910,
        1930,
        2421,
        2611,
        2621,
        2631,
        2640,
        2650,
        2829,
        3001,
        3002,
        3003,
        3004,
        3730,
        3740,
        4010,
        1460,
        8310,
    ):
        assert accounts[number]["Active"], number
    assert accounts[3001]["VATCode"] == "MP1"
    assert accounts[3002]["VATCode"] == "MP2"
    assert accounts[3003]["VATCode"] == "MP3"
    assert accounts[1910]["Description"] == "Kassa"
    assert any(not a["Active"] for a in accounts.values())
    single = api.get("/3/accounts/2611").json()["Account"]
    assert single["Description"] == "Utgående moms på försäljning inom Sverige, 25 %"
    assert single["@url"].endswith("/3/accounts/2611?financialyear=2")


def test_accounts_of_the_previous_year(api: Api) -> None:
    rows = api.get("/3/accounts", financialyear=1, limit=5).json()["Accounts"]
    assert {r["Year"] for r in rows} == {1}


def test_predefined_accounts_use_fortnox_names(api: Api) -> None:
    body = api.get("/3/predefinedaccounts", limit=500).json()
    accounts = {p["Name"]: p["Account"] for p in body["PreDefinedAccounts"]}
    assert accounts["CASH"] == 1910
    assert accounts["CUSTCLAIM"] == 1510
    assert accounts["ROUNDOFF"] == 3740
    assert accounts["OUTVAT_MP1"] == 2611
    assert accounts["SALES_MP2"] == 3002
    assert api.get("/3/predefinedaccounts/CASH").json()["PreDefinedAccount"]["Account"] == 1910


def test_voucher_series_follow_fortnox_defaults(api: Api) -> None:
    series = {s["Code"]: s for s in api.get("/3/voucherseries").json()["VoucherSeriesCollection"]}
    assert series["A"]["Description"] == "Redovisning" and series["A"]["Manual"]
    assert series["F"]["Description"] == "Kassa" and series["F"]["Manual"]
    assert series["K"]["Description"] == "Lön"
    assert not series["B"]["Manual"] and not series["C"]["Manual"]
    assert api.get("/3/voucherseries/F").json()["VoucherSeries"]["NextVoucherNumber"] == 1


def test_modes_and_terms_of_payment(api: Api) -> None:
    modes = {m["Code"]: m["AccountNumber"] for m in api.get("/3/modesofpayments").json()["ModesOfPayments"]}
    assert modes["KONT"] == "1910" and modes["KORT"] == "1580"
    assert modes["SWISH"] == "1930" and modes["PRESENT"] == "2421"
    terms = {t["Code"] for t in api.get("/3/termsofpayments").json()["TermsOfPayments"]}
    assert {"0", "30", "K"} <= terms


def test_locked_period_is_empty_until_set(api: Api) -> None:
    assert api.get("/3/settings/lockedperiod").json() == {"LockedPeriod": {"EndDate": ""}}
    api.sandbox.configure_tenant("demo", locked_until="2025-12-31")
    assert api.get("/3/settings/lockedperiod").json() == {"LockedPeriod": {"EndDate": "2025-12-31"}}


def test_price_lists_and_prices_per_list(api: Api) -> None:
    lists = {p["Code"]: p for p in api.get("/3/pricelists").json()["PriceLists"]}
    assert lists["A"]["PreSelected"] and not lists["B"]["PreSelected"]
    prices = all_rows(api, "/3/prices/sublist/A", "Prices")
    assert len(prices) == len(api.sandbox.state.tenant().articles)
    kaffe = next(p for p in prices if p["ArticleNumber"] == "1001")
    assert kaffe == {**kaffe, "FromQuantity": 0, "Price": 53.48, "PriceList": "A"}  # excluding VAT
    single = api.get("/3/prices/B/1001/0").json()["Price"]
    assert single["Price"] == 48.13
    assert api.get("/3/prices/sublist/B/1001").json()["Prices"][0]["Price"] == 48.13


def test_prices_with_lastmodified(api: Api) -> None:
    before = api.sandbox.state.clock.local_naive().strftime("%Y-%m-%d %H:%M")
    assert api.put("/3/prices/A/1002/0", {"Price": {"Price": 24.90}}).status_code == 200
    changed = api.get("/3/prices", lastmodified=before).json()["Prices"]
    assert [(p["PriceList"], p["ArticleNumber"], p["Price"]) for p in changed] == [("A", "1002", 24.9)]
    assert api.get("/3/articles/1002").json()["Article"]["SalesPrice"] == 24.9


def test_the_cash_customer_and_thin_customer_rows(api: Api) -> None:
    rows = api.get("/3/customers").json()["Customers"]
    cash = next(c for c in rows if c["CustomerNumber"] == "1")
    assert cash["Name"] == "Kassakund"
    assert not {"PriceList", "Active"} & cash.keys()
    detail = api.get("/3/customers/1").json()["Customer"]
    assert detail["PriceList"] == "A" and detail["Active"] is True
    assert api.get("/3/customers", filter="inactive").json()["MetaInformation"]["@TotalResources"] == 1
    missing = api.get("/3/customers/999")
    assert missing.status_code == 404 and missing.json()["ErrorInformation"]["Code"] == 2000433


def test_customers_create_and_update(api: Api) -> None:
    created = api.post(
        "/3/customers", {"Customer": {"Name": "Bageriet AB", "OrganisationNumber": "556000-0001"}}
    )
    assert created.status_code == 201
    number = created.json()["Customer"]["CustomerNumber"]
    updated = api.put(f"/3/customers/{number}", {"Customer": {"City": "Härnösand"}}).json()["Customer"]
    assert updated["City"] == "Härnösand" and updated["Name"] == "Bageriet AB"


def test_the_other_tenant_has_its_own_data(api: Api) -> None:
    other = api.sandbox.api("other")
    assert other.get("/3/articles").json()["MetaInformation"]["@TotalResources"] == 1
    assert other.get("/3/articles/FG-B%2FS").status_code == 404


def test_a_long_list_sorted_once_for_its_pages_still_shows_every_write(api: Api) -> None:
    """Lists of 5 000+ are cached between pages (benchmark speed); any write must show at once."""
    grow_catalogue(api, 6000, "Y")
    first = all_rows(api, "/3/articles", "Articles")
    assert len(first) == 6000

    created = api.post("/3/articles", {"Article": {"ArticleNumber": "0001", "Description": "Ny först"}})
    assert created.status_code == 201, created.text
    renamed = api.put("/3/articles/Y00000", {"Article": {"Description": "Omdöpt"}})
    assert renamed.status_code == 200, renamed.text

    second = all_rows(api, "/3/articles", "Articles")
    assert len(second) == 6001
    by_number = {row["ArticleNumber"]: row for row in second}
    assert by_number["0001"]["Description"] == "Ny först"
    assert by_number["Y00000"]["Description"] == "Omdöpt"
    inactive = api.get("/3/articles", limit=500, filter="inactive").json()
    assert all(row["ArticleNumber"] != "0001" for row in inactive["Articles"])  # the query is in the key
