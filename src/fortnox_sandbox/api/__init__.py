"""Fortnox API v3 resources, one module per area; `routes()` collects them for the router."""

from __future__ import annotations

from fortnox_sandbox.routing import Route


def routes() -> list[Route]:
    from fortnox_sandbox.api import articles, bookkeeping, customers, invoices, payments, settings, warehouse

    return [
        *bookkeeping.ROUTES,
        *settings.ROUTES,
        *articles.ROUTES,
        *customers.ROUTES,
        *invoices.ROUTES,
        *payments.ROUTES,
        *warehouse.ROUTES,
    ]
