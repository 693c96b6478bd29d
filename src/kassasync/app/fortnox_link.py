"""What the settings dialog asks Fortnox: "Logga in", "Logga ut", and the checks only Fortnox can answer.

Each call opens its own short-lived client, because the dialog runs them on worker threads (a login
waits minutes for the browser; a lookup may wait on the network) while the Tk thread stays responsive.
The lookups use short timeouts and no retries (``LOOKUP_OPTIONS``): a sync may wait out a slow Fortnox,
a person in a dialog may not. The dialog does not even wait for those: a lookup that has not answered
when OK is pressed is said, not waited for (settings_dialog.OK_WAIT_S).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence

from kassasync.config import Settings, without_fortnox_company
from kassasync.environment import Environment
from kassasync.fortnox.auth import WAREHOUSE_SCOPE, BrowserOpener, UrlShower, logout, missing_scopes
from kassasync.fortnox.connect import FortnoxContext, connect_company, remembering
from kassasync.fortnox.errors import NotFound
from kassasync.fortnox.transport import ClientOptions
from kassasync.paths import AppPaths
from kassasync.settings_store import SettingsStore
from kassasync.ui.settings_form import ConnectedCompany, FortnoxLookups, SeriesChoice

log = logging.getLogger(__name__)

LOOKUP_OPTIONS = ClientOptions(connect_timeout_s=3.0, read_timeout_s=5.0, max_retries=0, max_429_waits=1)


class FortnoxLink:
    """The dialog's Fortnox: login and logout write the company through the process's settings store
    (the agent's own, in the tray), lookups read the token store. Built by ``app/compose.py``."""

    def __init__(self, settings: SettingsStore, paths: AppPaths, environment: Environment) -> None:
        self.settings, self.paths, self.environment = settings, paths, environment

    def context(self, settings: Settings) -> FortnoxContext:
        return FortnoxContext.create(settings, self.paths, environment=self.environment)

    def login(
        self,
        *,
        browser_opener: BrowserOpener | None = None,
        timeout_s: float = 300.0,
        show_url: UrlShower | None = None,
        stock_module: bool = False,
    ) -> ConnectedCompany:
        """The browser login; remembers the company in the settings, as ``kassasync login`` does.
        ``show_url`` gets the address when no browser started. ``stock_module``: Lagermodul ticked in the
        dialog but not saved yet; the login then asks for the warehouse scope too, or the first sync
        after OK would need a second login."""
        newest = self.settings.current()
        wanted = newest.model_copy(update={"stock_module": newest.stock_module or stock_module})
        company = connect_company(
            self.context(wanted), browser_opener=browser_opener, timeout_s=timeout_s, show_url=show_url
        )
        self.settings.update(remembering(company))
        return ConnectedCompany(company.company_name, company.organization_number)

    def logout(self) -> bool:
        """ "Logga ut": revoke at Fortnox (best effort), forget the tokens and the company in the
        settings, as ``kassasync logout`` does. True when Fortnox confirmed the revoke."""
        context = self.context(self.settings.current())
        revoked = logout(context.credentials, context.endpoints, context.store)
        self.settings.update(without_fortnox_company)
        log.info("logged out of Fortnox from the settings dialog (revoked: %s)", revoked)
        return revoked

    def lookups(self, settings: Settings) -> FortnoxLookups:
        """Online checks for the form when a Fortnox company is connected; none (offline form) otherwise."""
        if settings.fortnox.organisation_number is None:
            return FortnoxLookups()
        return _Lookups(lambda: self.context(settings)).as_form_lookups()


class _Lookups:
    def __init__(self, context: Callable[[], FortnoxContext]) -> None:
        self.context = context  # a context per call: each runs on a dialog worker thread of its own
        self._series: list[SeriesChoice] | None = None
        self._lock = threading.Lock()

    def as_form_lookups(self) -> FortnoxLookups:
        return FortnoxLookups(
            customer_exists=self.customer_exists,
            voucher_series=self.voucher_series,
            series_choices=self.series_choices,
            login_lacks_warehouse=self.login_lacks_warehouse,
        )

    def login_lacks_warehouse(self) -> bool:
        """Read from the stored token's scope, without asking Fortnox."""
        tokens = self.context().store.load()
        return WAREHOUSE_SCOPE in missing_scopes(tokens, stock_module=True)

    def customer_exists(self, number: str) -> bool:
        client = self.context().client(options=LOOKUP_OPTIONS)
        try:
            client.get_customer(number)
        except NotFound:
            return False
        finally:
            client.close()
        return True

    def voucher_series(self) -> Sequence[str]:
        return [choice.code for choice in self.series_choices()]

    def series_choices(self) -> Sequence[SeriesChoice]:
        """The manual series (the only ones a program may post to) with their names, read once per
        dialog. The lock is not held while Fortnox is asked, so a hung request blocks no other caller."""
        with self._lock:
            if self._series is not None:
                return list(self._series)
        client = self.context().client(options=LOOKUP_OPTIONS)
        try:
            found = {s.code: s.description for s in client.voucher_series() if s.manual}
        finally:
            client.close()
        series = [SeriesChoice(code, found[code]) for code in sorted(found)]
        log.info("manual voucher series in Fortnox: %s", ", ".join(found))
        with self._lock:
            self._series = series
        return list(series)
