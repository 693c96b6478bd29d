"""The field table is the one place a setting is declared: every key of settings.json is in it or is a key
the dialog does not show, the form's messages land where the table says, a widget's content and the
form's value convert both ways, and docs/deployment.md names each field where the dialog has it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kassasync.commands.config_keys import KEYS
from kassasync.config import Settings
from kassasync.pos.store import PosStore
from kassasync.ui.settings_fields import FIELDS, SECTIONS, TABS, BadValue, Widget, form_fields
from kassasync.ui.settings_form import FormValues, validate

DEPLOYMENT = Path(__file__).resolve().parents[3] / "docs" / "deployment.md"
SHOWN = [field for field in FIELDS if field.widget is not Widget.NONE]


def leaves(node: Any, prefix: str = "") -> set[str]:
    if not isinstance(node, dict):
        return {prefix}
    return set().union(*(leaves(value, f"{prefix}{key}.") for key, value in node.items())) if node else set()


def test_every_key_of_settings_json_is_a_field_or_a_key_the_dialog_does_not_show() -> None:
    keys = {name.removesuffix(".") for name in leaves(Settings().model_dump(mode="json"))}
    fields = {field.key for field in FIELDS}
    not_in_dialog = {key.name for key in KEYS} - fields
    assert keys - {"schema_version"} == fields | not_in_dialog
    assert not_in_dialog == {
        "fortnox.api_url",
        "fortnox.auth_url",
        "fortnox.redirect_port",
        "fortnox.tenant_name",
        "fortnox.organisation_number",
    }
    assert [key.name for key in KEYS[: len(FIELDS)]] == [field.key for field in FIELDS]


def test_every_shown_field_is_on_a_tab_in_a_section_and_has_a_unique_handle() -> None:
    assert all(field.section in SECTIONS for field in SHOWN)
    assert {section.tab for section in SECTIONS} == set(range(len(TABS)))
    handles = [field.name for field in SHOWN]
    assert len(handles) == len(set(handles))


@pytest.fixture
def company_file(tmp_path: Path) -> Path:
    path = tmp_path / "Butik" / "kassa.db"
    PosStore.create(path, "Demo Butik AB", "5566778899").close()
    return path


@pytest.mark.parametrize("field", [field for field in FIELDS if field.message], ids=lambda field: field.key)
def test_an_empty_field_is_told_under_the_message_the_table_names(company_file: Path, field: Any) -> None:
    values = FormValues.from_settings(Settings(company_path=company_file), autostart_now=False)
    values.schedule_kind = "daily" if field.key == "schedule.daily_at" else "interval"
    field.put(values, "")

    result = validate(values, Settings())

    assert field.message in result.errors or field.message in result.warnings, (
        result.errors,
        result.warnings,
    )


@pytest.mark.parametrize("field", SHOWN, ids=lambda field: field.key)
def test_what_a_widget_shows_is_taken_back_as_the_same_form_value(field: Any) -> None:
    values = FormValues.from_settings(Settings(), autostart_now=False)
    for stored, _label in field.choices or [(None, None)]:
        if stored is not None:
            field.put(values, field.parse(stored))
        assert field.taken(field.shown(values)) == field.get(values)


def test_a_setting_typed_at_the_command_line_must_be_of_the_fields_kind() -> None:
    by_key = {field.key: field for field in FIELDS}
    assert by_key["log_level"].parse("debug") == "DEBUG"
    assert by_key["stock_module"].parse("ja") is True
    with pytest.raises(BadValue, match="voucher, invoice"):
        by_key["receipts_as"].parse("faktura")


def test_a_payment_method_of_the_users_own_gets_its_row() -> None:
    fields = form_fields(["cash", "klarna"])
    klarna = [field for field in fields if field.item == "klarna"]
    assert [field.key for field in klarna] == [
        "payment_methods.klarna.account",
        "payment_methods.klarna.mode_of_payment",
    ]
    assert klarna[0].place == "Bokföring → Betalningssätt → klarna: Konto"


def test_deployment_md_names_each_field_where_the_dialog_has_it() -> None:
    table = DEPLOYMENT.read_text(encoding="utf-8")
    rows = {line.split("|")[1].strip(" `"): line for line in table.splitlines() if line.startswith("| `")}
    for field in FIELDS:
        assert rows[field.key].rstrip().endswith(f"| {field.place or '—'} |"), field.key
