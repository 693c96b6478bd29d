"""Receipts from JSON files (the exchange format of docs/pos-contract.md) into the company file.

For a register that cannot write SQLite. Each receipt is validated and stored on its own: a file with
bad receipts loads the good ones, and a bad receipt leaves no trace (it is checked before its single
transaction begins). Numbers are parsed as ``Decimal`` straight from the JSON text, so a quantity such
as ``0.1`` never passes through a float.

The importer never stops on a bad receipt: a number no ledger holds (``1E+400``, ``2^63``), nesting
deeper than Python's parser goes, bytes that are not UTF-8 inside one receipt: that receipt is refused
with its Swedish message and the others load. Only a file that cannot be read at all (missing, a
folder, not JSON) is refused whole.
"""

from __future__ import annotations

import json
import logging
import sqlite3
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


class Unreadable:
    """A receipt of the file that could not even be parsed (too deep, a number Python refuses)."""

    def __init__(self, reason: str) -> None:
        self.reason = reason


def read_receipts_json(path: Path) -> list[Any]:
    """The file's receipts as raw JSON values: one object or a list of them.

    Bytes that are not UTF-8 are kept as surrogates (``surrogateescape``), so only the receipt holding
    them is refused; an element the parser cannot take (nesting too deep, a number too long) becomes an
    ``Unreadable`` in its place.
    """
    try:
        text = path.read_bytes().decode("utf-8", errors="surrogateescape").removeprefix("\ufeff")
    except FileNotFoundError as exc:
        raise ImportFileError(f"{path} not found", user_message=f"Filen {path} finns inte.") from exc
    except OSError as exc:  # a folder given as the file, no permission
        raise ImportFileError(
            f"{path} cannot be read: {exc}",
            user_message=f"Filen {path} kan inte läsas. Ange en kvittofil, inte en mapp.",
        ) from exc
    try:
        data = json.loads(text, parse_float=Decimal)
    except (RecursionError, ValueError) as exc:
        elements = _top_level_elements(text) if not isinstance(exc, json.JSONDecodeError) else None
        if elements is None:
            raise ImportFileError(
                f"{path} is not JSON: {exc}", user_message=f"Filen {path} är inte giltig JSON ({exc})."
            ) from exc
        return [_parse_one(element) for element in elements]
    return data if isinstance(data, list) else [data]


def _parse_one(text: str) -> Any:
    try:
        return json.loads(text, parse_float=Decimal)
    except RecursionError:
        return Unreadable("nesting too deep")
    except ValueError as exc:
        return Unreadable(str(exc))


def _top_level_elements(text: str) -> list[str] | None:
    """The elements of a top-level JSON list as texts, found without recursion (None: not a list)."""
    body = text.strip()
    if not body.startswith("[") or not body.endswith("]"):
        return None if not body.startswith("{") else [body]
    elements: list[str] = []
    depth, start, in_string, escaped = 0, 1, False, False
    for index in range(1, len(body) - 1):
        char = body[index]
        if in_string:
            escaped = not escaped and char == "\\"
            if char == '"' and not escaped:
                in_string = False
            continue
        if char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
        elif char in "]}":
            depth -= 1
        elif char == "," and depth == 0:
            elements.append(body[start:index])
            start = index + 1
    last = body[start:-1]
    if last.strip():
        elements.append(last)
    return elements


def _has_bad_bytes(value: Any) -> bool:
    """True when a string anywhere in the receipt holds bytes that were not UTF-8 (surrogates)."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if any("\udc80" <= ch <= "\udcff" for ch in item):
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


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
        if isinstance(raw, Unreadable):
            _refuse(result, [_too_deep_or_long(f"nr {position} i filen", raw.reason)])
            continue
        label = _label(raw, position)
        if _has_bad_bytes(raw):
            message = f"Kvitto {label} innehåller tecken som inte är UTF-8. Spara kvittofilen som UTF-8."
            _refuse(result, [ReceiptProblem(label, "kvitto", message, f"receipt {label}: bytes not UTF-8")])
            continue
        try:
            receipt = Receipt.model_validate(raw)
        except ValidationError as exc:
            _refuse(result, problems_from_validation(label, exc))
            continue
        except (RecursionError, ArithmeticError) as exc:
            _refuse(result, [_too_deep_or_long(label, repr(exc))])
            continue
        try:
            added = store.add_receipt(receipt)
        except ItemFailed as exc:
            _refuse(result, [ReceiptProblem(receipt.key, "receipt", exc.user_message, exc.detail)])
            continue
        except (OverflowError, sqlite3.IntegrityError) as exc:  # what the company file cannot hold
            message = f"Kvitto {receipt.key} kan inte sparas i kassafilen ({type(exc).__name__})."
            _refuse(result, [ReceiptProblem(receipt.key, "kvitto", message, f"receipt {receipt.key}: {exc}")])
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


def _too_deep_or_long(label: str, reason: str) -> ReceiptProblem:
    """A receipt the JSON reader or the model could not take in: nesting or a number beyond reason."""
    message = f"Kvitto {label} kan inte läsas: det är för djupt nästlat eller har ett för långt tal."
    return ReceiptProblem(label, "kvitto", message, f"receipt {label}: {reason}")


def _refuse(result: ImportResult, problems: list[ReceiptProblem]) -> None:
    for problem in problems:
        log.warning("receipt refused: %s", problem.detail)
    result.problems.extend(problems)
