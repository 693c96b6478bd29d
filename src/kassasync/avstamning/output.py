"""The reconciliation as text (command line, window) and as CSV (the accountant's spreadsheet).

CSV choice: ``;`` between fields and a decimal comma (``1234,50``), which is what a Swedish Excel
opens without an import dialog; UTF-8 with a byte-order mark, so Excel reads å, ä and ö right. One
row per register, day and line; the causes get rows of their own (``rad`` = ``orsak``).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

from kassasync.avstamning.compare import DayResult
from kassasync.avstamning.register_side import Fact
from kassasync.avstamning.run import AvstamningReport
from kassasync.money import format_kronor
from kassasync.words import number

SIGNS = "Belopp per konto: debet minus kredit (kredit är negativ), skillnad = Fortnox minus kassan."
Z_REMEDY = "Jämför Z-rapporten med kassans kvitton: ett kvitto kan saknas i kassafilen eller vara för mycket."
CSV_HEADER = (
    "kassa",
    "dag",
    "rad",
    "konto",
    "text",
    "z_rapport",
    "kassan",
    "fortnox",
    "skillnad",
    "kvitto",
    "åtgärd",
)


def kronor(amount_ore: int | None) -> str:
    """``1234,50`` (no grouping, no unit: a number a spreadsheet takes); empty for no value."""
    if amount_ore is None:
        return ""
    sign = "-" if amount_ore < 0 else ""
    whole, ore = divmod(abs(amount_ore), 100)
    return f"{sign}{whole},{ore:02d}"


def csv_rows(report: AvstamningReport) -> Iterator[tuple[str, ...]]:
    for day in report.days:
        base = (day.register, day.day.isoformat())
        if day.z_total_ore is not None:
            diff = day.receipts_total_ore - day.z_total_ore
            yield (
                *base,
                "z-rapport",
                "",
                "Kvittonas summa mot Z-rapporten",
                kronor(day.z_total_ore),
                kronor(day.receipts_total_ore),
                "",
                kronor(diff),
                "",
                "",
            )
        for fact in day.facts:
            yield (*base, "kassan", "", fact_text(fact), "", kronor(fact.amount_ore), "", "", "", "")
        for line in day.lines:
            account = "" if line.account is None else str(line.account)
            yield (
                *base,
                "konto",
                account,
                line.label,
                "",
                kronor(line.register_ore),
                kronor(line.fortnox_ore),
                kronor(line.difference_ore),
                "",
                "",
            )
        for cause in day.causes:
            yield (
                *base,
                "orsak",
                "",
                f"{cause.what}: {cause.detail}",
                "",
                "",
                "",
                "",
                cause.receipt,
                cause.remedy,
            )
        yield (*base, "status", "", "OK" if day.ok else "Skillnad", "", "", "", "", "", "")


def write_csv(report: AvstamningReport, target: Path) -> None:
    target.write_text(csv_text(report), encoding="utf-8-sig", newline="")


def csv_text(report: AvstamningReport) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    writer.writerows(csv_rows(report))
    return buffer.getvalue()


def day_lines(day: DayResult, *, detailed: bool = False) -> list[str]:
    """One register's day: OK on one line, or the differing lines and the receipts behind them;
    ``detailed``: every fact of the register and every account, side by side, whatever the outcome."""
    head = f"{day.register} {day.day.isoformat()}"
    out = [f"{head}: OK ({format_kronor(day.receipts_total_ore)})" if day.ok else f"{head}: SKILLNAD"]
    if detailed:
        out += [f"  {fact_text(fact)}: {format_kronor(fact.amount_ore)}" for fact in day.facts]
    if day.z_total_ore is not None and (detailed or day.z_total_ore != day.receipts_total_ore):
        out.append(
            f"  Z-rapport {format_kronor(day.z_total_ore)}, "
            f"kvittonas summa {format_kronor(day.receipts_total_ore)}"
        )
        if day.z_total_ore != day.receipts_total_ore:
            out.append(f"    Åtgärd: {Z_REMEDY}")
    for line in day.lines if detailed else day.differences():
        account = f"{line.account} " if line.account is not None else ""
        out.append(
            f"  {account}{line.label}: kassan {format_kronor(line.register_ore)}, Fortnox "
            f"{format_kronor(line.fortnox_ore)}, skillnad {format_kronor(line.difference_ore)}"
        )
    for cause in day.causes:
        out.append(f"  Kvitto {cause.receipt} {cause.what}: {cause.detail}")
        out.append(f"    Åtgärd: {cause.remedy}")
    return out


def fact_text(fact: Fact) -> str:
    return fact.label if fact.count is None else f"{fact.label} ({number(fact.count)} st)"


def report_lines(report: AvstamningReport, *, detailed: bool = False) -> list[str]:
    request = report.request
    scope = f" kassa {request.register}" if request.register else ""
    out = [f"Avstämning {request.start.isoformat()} – {request.end.isoformat()}{scope}", SIGNS]
    if not report.days:
        out.append("  Inga kvitton i perioden.")
    for day in report.days:
        out += day_lines(day, detailed=detailed)
    differing = sum(1 for day in report.days if not day.ok)
    out.append(
        "Alla dagar stämmer."
        if not differing
        else f"{number(differing)} av {number(len(report.days))} dagar har skillnader."
    )
    out.append(f"Förfrågningar till Fortnox: {number(report.requests)}")
    return out
