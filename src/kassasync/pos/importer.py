"""Receipts from JSON files (the exchange format of docs/pos-contract.md) into the company file.

For a register that cannot write SQLite. Each receipt is validated and stored on its own: a file with
bad receipts loads the good ones, and a bad receipt leaves no trace (it is checked before its single
transaction begins). Numbers are parsed as ``Decimal`` straight from the JSON text, so a quantity such
as ``0.1`` never passes through a float.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from kassasync.errors import ItemFailed, KassasyncError
from kassasync.pos.messages import ReceiptProblem, problems_from_validation
from kassasync.pos.models import Receipt
from kassasync.pos.store import PosStore

log = logging.getLogger(__name__)


class ImportFileError(KassasyncError):
    default_user_message = "Kvittofilen kunde inte läsas."


@dataclass
class ImportResult:
    added: list[str] = field(default_factory=list)
    already_present: list[str] = field(default_factory=list)
    problems: list[ReceiptProblem] = field(default_factory=list)

    @property
    def refused(self) -> list[str]:
        return list(dict.fromkeys(p.receipt for p in self.problems))


def read_receipts_json(path: Path) -> list[Any]:
    """The file's receipts as raw JSON values: one object or a list of them."""
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"), parse_float=Decimal)
    except FileNotFoundError as exc:
        raise ImportFileError(f"{path} not found", user_message=f"Filen {path} finns inte.") from exc
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ImportFileError(
            f"{path} is not JSON: {exc}", user_message=f"Filen {path} är inte giltig JSON ({exc})."
        ) from exc
    return data if isinstance(data, list) else [data]


def _label(raw: Any, position: int) -> str:
    """What to call a receipt in a message: its key if it has one, else its place in the file."""
    if isinstance(raw, dict):
        code, number = raw.get("register_code"), raw.get("receipt_number")
        if isinstance(code, str) and isinstance(number, int) and code:
            return f"{code}-{number}"
    return f"nr {position} i filen"


def import_receipts(store: PosStore, raws: list[Any]) -> ImportResult:
    result = ImportResult()
    for position, raw in enumerate(raws, start=1):
        label = _label(raw, position)
        try:
            receipt = Receipt.model_validate(raw)
        except ValidationError as exc:
            _refuse(result, problems_from_validation(label, exc))
            continue
        try:
            added = store.add_receipt(receipt)
        except ItemFailed as exc:
            _refuse(result, [ReceiptProblem(receipt.key, "receipt", exc.user_message, exc.detail)])
            continue
        (result.added if added else result.already_present).append(receipt.key)
    log.info(
        "receipts imported: %d added, %d already present, %d refused",
        len(result.added),
        len(result.already_present),
        len(result.refused),
    )
    return result


def import_file(store: PosStore, path: Path) -> ImportResult:
    return import_receipts(store, read_receipts_json(path))


def _refuse(result: ImportResult, problems: list[ReceiptProblem]) -> None:
    for problem in problems:
        log.warning("receipt refused: %s", problem.detail)
    result.problems.extend(problems)
