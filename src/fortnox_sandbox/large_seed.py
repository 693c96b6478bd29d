"""The demo shop grown to scale: the demo tenant with N articles (priced in list A) and M customers.

The `large` seed is a different company (its own organisation number), so the register's demo company
file cannot sync against it. A scale run that wants the demo receipts *and* a large catalogue takes this
tenant instead: same company, chart, series and years as `demo`, plus generated articles and customers.
Install it in a running in-process sandbox with ``state.tenants["demo"] = demo_at_scale(...)`` before any
request is made (the demo integration finds its tenant by name).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from fortnox_sandbox.seed import customer_record, load_core, seed_demo
from fortnox_sandbox.tenant import Tenant


def demo_at_scale(today: date, now: datetime, *, articles: int = 100_000, customers: int = 10_000) -> Tenant:
    """The demo tenant with ``articles`` articles in all (core ones included; each has a list-A price,
    the cash customer's list) and ``customers`` customers in all (the demo's five included)."""
    core_articles = len(load_core()["Articles"])
    tenant = seed_demo(today, now, generated_articles=max(0, articles - core_articles))
    old = now - timedelta(days=1)
    number = len(tenant.customers) + 1
    while len(tenant.customers) < customers:
        key = str(number)
        if key not in tenant.customers:
            tenant.customers[key] = customer_record(key, f"Kund {number}", old, City="Sundsvall")
        number += 1
    return tenant
