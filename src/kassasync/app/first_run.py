"""Is Kassasync set up enough to sync? Until it is, the agent waits in a "set me up" state.

A first start used to run the schedule's sync at once and turn the icon red ("fel: Välj kassans
företagsfil…") while the shop owner was still in the settings. What a sync cannot do without: the
register's company file, and a Fortnox login (a company remembered in the settings).
"""

from __future__ import annotations

from pathlib import Path

from kassasync.config import Settings
from kassasync.errors import KassasyncError
from kassasync.pos.company_path import configured_company_db
from kassasync.pos.store import PosStore
from kassasync.schedule_offset import path_offset_s, register_offset_s

NO_COMPANY_FILE = "Välj kassans företagsfil i inställningarna"
NO_LOGIN = "Logga in på Fortnox i inställningarna"


def company_db(settings: Settings) -> Path | None:
    """The company file the settings point at (the file itself, or its company folder); None if none."""
    path = configured_company_db(settings)
    return path if path is not None and path.is_file() else None


def schedule_offset_s(settings: Settings) -> float:
    """This register's seconds after each scheduled moment (issue 18): from the company file's
    organisation number and register codes, so the registers of one Fortnox company do not all start
    at the same second; from the chosen path while the file cannot be read; 0 before one is chosen."""
    path = company_db(settings)
    if path is None:
        return 0.0 if settings.company_path is None else path_offset_s(settings.company_path)
    try:
        with PosStore.open(path) as store:
            company, registers = store.company(), store.registers()
    except KassasyncError:
        return path_offset_s(path)
    return register_offset_s(company.organisation_number, [register.code for register in registers])


def setup_missing(settings: Settings) -> str | None:
    """What is left to set up, as the menu says it (Swedish); None when a sync can run."""
    if company_db(settings) is None:
        return NO_COMPANY_FILE
    if settings.fortnox.tenant_name is None:
        return NO_LOGIN
    return None
