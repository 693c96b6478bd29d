"""`kassasync pos init | import | demo` on real files."""

import json
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest

from kassasync.cli import main
from kassasync.clock import STOCKHOLM, FakeClock
from kassasync.pos.demo import demo_core, make_demo_company
from kassasync.pos.models import LineKind, PaymentMethod
from kassasync.pos.store import PosStore, company_file

from .conftest import receipt_data


@pytest.fixture
def company(tmp_path: Path) -> Path:
    folder = tmp_path / "butik"
    assert (
        main(["pos", "init", "--company", str(folder), "--name", "Testbutiken AB", "--orgnr", "5561234567"])
        == 0
    )
    return folder


def write(path: Path, data: object) -> Path:
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_importing_the_same_file_twice_gives_each_receipt_once(
    company: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = write(tmp_path / "kvitton.json", [receipt_data(1), receipt_data(2)])
    assert main(["pos", "import", str(file), "--company", str(company)]) == 0
    assert main(["pos", "import", str(file), "--company", str(company)]) == 0
    assert "0 kvitton inlästa, 2 fanns redan" in capsys.readouterr().out
    with PosStore.open(company_file(company)) as store:
        assert store.count("receipts") == 2 and store.count("outbox") == 2


def test_a_single_receipt_object_is_accepted_and_weights_stay_exact(company: Path, tmp_path: Path) -> None:
    data = receipt_data(1, amount=1453)
    data["lines"][0].update(quantity=0.485, unit_price_ore=2995)
    file = tmp_path / "ett.json"
    file.write_text(json.dumps(data).replace('"0.485"', "0.485"), encoding="utf-8")
    assert main(["pos", "import", str(file), "--company", str(company)]) == 0
    with PosStore.open(company_file(company)) as store:
        stored = store.get_receipt("K1-1")
    assert stored is not None and stored.lines[0].quantity == Decimal("0.485")


def test_bad_receipts_are_reported_by_field_and_leave_no_trace_while_good_ones_load(
    company: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    unbalanced = receipt_data(2, amount=12300)
    unbalanced["total_ore"] = 12400
    unbalanced["payments"][0]["amount_ore"] = 12400
    wrong_vat = receipt_data(3)
    wrong_vat["lines"][0]["vat_rate"] = 24
    file = write(
        tmp_path / "blandat.json", [receipt_data(1), unbalanced, wrong_vat, "skräp", receipt_data(4)]
    )
    assert main(["pos", "import", str(file), "--company", str(company)]) == 1
    err = capsys.readouterr().err
    assert "3 kvitton lästes inte in" in err
    assert (
        "Kvitto K1-2: summan av raderna (123,00 kr) plus avrundning (0,00 kr) stämmer inte med totalen "
        "(124,00 kr) [fält total_ore]" in err
    )
    assert (
        "Kvitto K1-3: rad 1, momssats (vat_rate) måste vara 25, 12, 6 eller 0, inte 24 "
        "[fält lines[0].vat_rate]" in err
    )
    assert "Kvitto nr 4 i filen: ska vara ett JSON-objekt" in err
    with PosStore.open(company_file(company)) as store:
        assert [e.receipt for e in store.outbox_entries()] == ["K1-1", "K1-4"]
        assert store.count("receipts") == 2


def test_the_same_key_with_other_content_is_an_error_for_that_receipt(
    company: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        main(["pos", "import", str(write(tmp_path / "a.json", receipt_data(1))), "--company", str(company)])
        == 0
    )
    changed = write(tmp_path / "b.json", [receipt_data(1, amount=9900), receipt_data(2)])
    assert main(["pos", "import", str(changed), "--company", str(company)]) == 1
    assert "Kvitto K1-1 finns redan med annat innehåll" in capsys.readouterr().err
    with PosStore.open(company_file(company)) as store:
        first = store.get_receipt("K1-1")
        assert first is not None and first.total_ore == 12300
        assert store.count("receipts") == 2


def test_init_refuses_a_wrong_organisation_number(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["pos", "init", "--company", str(tmp_path), "--name", "X", "--orgnr", "556123-4568"]) == 1
    assert "kontrollsiffran" in capsys.readouterr().err
    assert not company_file(tmp_path).exists()


def test_the_demo_company_is_the_sandbox_shop_with_every_kind_of_sale(tmp_path: Path) -> None:
    clock = FakeClock(datetime(2026, 11, 28, 15, 30, tzinfo=STOCKHOLM))
    core = demo_core()
    with make_demo_company(tmp_path / "a" / "kassa.db", clock=clock) as store:
        company = store.company()
        receipts = list(store.pending_receipts())
        articles = {a["ArticleNumber"]: store.get_article(a["ArticleNumber"]) for a in core["Articles"]}
    assert (company.name, company.organisation_number) == (
        core["Company"]["CompanyName"],
        core["Company"]["OrganizationNumber"],
    )
    for a in core["Articles"]:
        stored = articles[a["ArticleNumber"]]
        assert stored is not None and (stored.vat_rate, stored.sales_price_ore) == (
            a["VAT"],
            a["SalesPriceOre"],
        )
    assert {r.sold_at.date().isoformat() for r in receipts} == {"2026-11-26", "2026-11-27", "2026-11-28"}
    assert max(r.sold_at for r in receipts) < clock.now()
    lines = [line for r in receipts for line in r.lines]
    assert {line.vat_rate for line in lines} == {25, 12, 6, 0}
    assert {p.method for r in receipts for p in r.payments} == set(PaymentMethod)
    assert any(r.change_ore > 0 for r in receipts) and any(r.rounding_ore != 0 for r in receipts)
    assert any(line.discount_ore > 0 for line in lines)
    assert any(line.quantity != line.quantity.to_integral_value() for line in lines)
    sold = [r for r in receipts if any(line.kind is LineKind.GIFT_CARD for line in r.lines)]
    redeemed = [r for r in receipts if any(p.method is PaymentMethod.GIFT_CARD for p in r.payments)]
    assert len(sold) == 1 and len(redeemed) == 1 and sold[0].sold_at < redeemed[0].sold_at
    keys = {r.key for r in receipts}
    returns = [r for r in receipts if r.is_return]
    assert returns and all(r.original_receipt in keys for r in returns)
    with make_demo_company(tmp_path / "b" / "kassa.db", clock=clock) as again:
        assert list(again.pending_receipts()) == receipts  # deterministic


def test_the_importer_never_stops_on_a_bad_receipt_and_the_good_ones_load(
    company: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """1E+400, 2^63, nesting deeper than the parser goes, bytes that are not UTF-8: each bad receipt
    gets its Swedish message, every good one is loaded."""
    good = [json.dumps(receipt_data(n)) for n in (1, 6, 9)]
    huge_quantity = json.dumps(receipt_data(2)).replace('"quantity": "1"', '"quantity": 1E+400')
    huge_quantity = huge_quantity.replace('"quantity": 1,', '"quantity": 1E+400,')
    too_big = receipt_data(3)
    too_big["receipt_number"] = 2**63
    deep = "[" * 5000 + "]" * 5000
    latin1 = json.dumps(receipt_data(5), ensure_ascii=False).replace("Kaffe", "Kaffe å")
    parts = [good[0], huge_quantity, json.dumps(too_big), deep, good[1]]
    body = (
        ("[" + ", ".join(parts) + ", ").encode() + latin1.encode("cp1252") + (", " + good[2] + "]").encode()
    )
    file = tmp_path / "trasig.json"
    file.write_bytes(body)

    assert main(["pos", "import", str(file), "--company", str(company)]) == 1

    err = capsys.readouterr().err
    assert "4 kvitton lästes inte in" in err, err
    assert "Kvitto K1-2: rad 1, antal (quantity) ska vara ett tal mellan" in err
    assert "kvittonummer (receipt_number) får vara högst" in err
    assert "Kvitto nr 4 i filen kan inte läsas: det är för djupt nästlat" in err
    assert "Kvitto K1-5 innehåller tecken som inte är UTF-8" in err
    with PosStore.open(company_file(company)) as store:
        assert [e.receipt for e in store.outbox_entries()] == ["K1-1", "K1-6", "K1-9"]


def test_a_folder_given_as_the_receipt_file_is_a_message_not_a_traceback(
    company: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "kvitton"
    folder.mkdir()

    assert main(["pos", "import", str(folder), "--company", str(company)]) == 1

    assert "kan inte läsas. Ange en kvittofil, inte en mapp." in capsys.readouterr().err
