"""What the settings dialog asks Fortnox: "Logga in", and the checks only Fortnox can answer.

Each call opens its own short-lived client, because the dialog runs them on worker threads (a login
waits minutes for the browser; a lookup may wait on the network) while the Tk thread stays responsive.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence

from kassasync.app.settings_form import ConnectedCompany, FortnoxLookups
from kassasync.config import Settings
from kassasync.fortnox.auth import WAREHOUSE_SCOPE, BrowserOpener, missing_scopes
from kassasync.fortnox.connect import FortnoxContext, connect_company
from kassasync.fortnox.errors import NotFound
from kassasync.paths import AppPaths

log = logging.getLogger(__name__)


def login_with_browser(
    settings: Settings,
    paths: AppPaths,
    *,
    browser_opener: BrowserOpener | None = None,
    timeout_s: float = 300.0,
) -> ConnectedCompany:
    """The browser login; remembers the company in the settings file, as ``kassasync login`` does."""
    company = connect_company(
        FortnoxContext.create(settings, paths), browser_opener=browser_opener, timeout_s=timeout_s
    )
    return ConnectedCompany(company.company_name, company.organization_number)


def lookups_for(settings: Settings, paths: AppPaths) -> FortnoxLookups:
    """Online checks for the form when a Fortnox company is connected; none (offline form) otherwise."""
    if settings.fortnox.organisation_number is None:
        return FortnoxLookups()
    return _Lookups(settings, paths).as_form_lookups()


class _Lookups:
    def __init__(self, settings: Settings, paths: AppPaths) -> None:
        self.settings, self.paths = settings, paths
        self._series: list[str] | None = None
        self._lock = threading.Lock()

    def as_form_lookups(self) -> FortnoxLookups:
        return FortnoxLookups(
            customer_exists=self.customer_exists,
            voucher_series=self.voucher_series,
            login_lacks_warehouse=self.login_lacks_warehouse,
        )

    def login_lacks_warehouse(self) -> bool:
        """Read from the stored token's scope, without asking Fortnox."""
        tokens = FortnoxContext.create(self.settings, self.paths).store.load()
        return WAREHOUSE_SCOPE in missing_scopes(tokens, stock_module=True)

    def customer_exists(self, number: str) -> bool:
        client = FortnoxContext.create(self.settings, self.paths).client()
        try:
            client.get_customer(number)
        except NotFound:
            return False
        finally:
            client.close()
        return True

    def voucher_series(self) -> Sequence[str]:
        """The manual series (the only ones a program may post to), read once per dialog."""
        with self._lock:
            if self._series is None:
                client = FortnoxContext.create(self.settings, self.paths).client()
                try:
                    self._series = sorted({s.code for s in client.voucher_series() if s.manual})
                finally:
                    client.close()
                log.info("manual voucher series in Fortnox: %s", ", ".join(self._series))
            return list(self._series)
