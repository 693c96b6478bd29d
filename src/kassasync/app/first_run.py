"""Is Kassasync set up enough to sync? Until it is, the agent waits in a "set me up" state.

A first start used to run the schedule's sync at once and turn the icon red ("fel: Välj kassans
företagsfil…") while the shop owner was still in the settings. What a sync cannot do without: the
register's company file, and a Fortnox login (a company remembered in the settings).
"""

from __future__ import annotations

from pathlib import Path

from kassasync.config import Settings
from kassasync.pos.company_path import configured_company_db

NO_COMPANY_FILE = "Välj kassans företagsfil i inställningarna"
NO_LOGIN = "Logga in på Fortnox i inställningarna"


def company_db(settings: Settings) -> Path | None:
    """The company file the settings point at (the file itself, or its company folder); None if none."""
    path = configured_company_db(settings)
    return path if path is not None and path.is_file() else None


def setup_missing(settings: Settings) -> str | None:
    """What is left to set up, as the menu says it (Swedish); None when a sync can run."""
    if company_db(settings) is None:
        return NO_COMPANY_FILE
    if settings.fortnox.tenant_name is None:
        return NO_LOGIN
    return None
