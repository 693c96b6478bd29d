"""A realistic demo company: the sandbox's demo shop, with a few days of register sales up to today.

The company name, organisation number and core articles come from ``demo_core.json``, the same file the
sandbox seeds its demo tenant from, so the demo syncs against the sandbox without a mismatch. Sales are
drawn from a seeded random generator: the same seed and day give the same file. Every case the
bookkeeping must handle appears at least once: the three VAT rates and VAT-free, cash with öre rounding
and change, card, Swish, a discount, a weighed article, a gift card sold and redeemed later, a return
that names its original receipt.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from importlib.resources import files
from pathlib import Path
from typing import Any

from kassasync.clock import STOCKHOLM, Clock, SystemClock, business_date
from kassasync.money import round_cash
from kassasync.pos.models import LineKind, PaymentMethod, Receipt, ReceiptLine, ReceiptPayment
from kassasync.pos.records import Article, Customer, Price, Register
from kassasync.pos.store import PosStore

DEFAULT_SEED = 4711
OPENS, CLOSES = time(9, 0), time(18, 0)
GIFT_CARD_ORE = 50_000
REGISTERS = (Register("K1", "Kassa 1", "Hörnbutiken"), Register("K2", "Kassa 2", "Hörnbutiken"))


def demo_core() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(files("kassasync.pos").joinpath("demo_core.json").read_text("utf-8"))
    return data


def core_articles(core: dict[str, Any], rng: random.Random) -> list[Article]:
    return [
        Article(
            article_number=a["ArticleNumber"],
            description=a["Description"],
            vat_rate=a["VAT"],
            sales_price_ore=a["SalesPriceOre"],
            ean=a["EAN"] or None,
            unit=a["Unit"],
            stock_goods=a["StockGoods"],
            quantity_in_stock=Decimal(rng.randint(5, 120)) if a["StockGoods"] else Decimal(0),
        )
        for a in core["Articles"]
    ]


def make_demo_company(
    path: Path, *, clock: Clock | None = None, days: int = 3, seed: int = DEFAULT_SEED
) -> PosStore:
    """Create the demo company file at ``path`` (which must not exist yet)."""
    clock = clock or SystemClock()
    core = demo_core()
    rng = random.Random(seed)
    store = PosStore.create(
        path, core["Company"]["CompanyName"], core["Company"]["OrganizationNumber"], clock=clock
    )
    for register in REGISTERS:
        store.add_register(register)
    articles = core_articles(core, rng)
    store.upsert_articles(articles)
    cash = core["CashCustomer"]
    store.upsert_customers([Customer(cash["CustomerNumber"], cash["Name"], price_list=cash["PriceList"])])
    store.upsert_prices(Price(cash["PriceList"], a.article_number, a.sales_price_ore) for a in articles)
    for receipt in DemoSales(articles, rng).receipts(clock.now(), days):
        store.add_receipt(receipt)
    return store


def _amount(quantity: Decimal, unit_price: int) -> int:
    return int((quantity * unit_price).quantize(Decimal(1), rounding=ROUND_HALF_UP))


@dataclass
class _Sale:
    """A receipt being put together: lines first, then the payment settles the sums."""

    lines: list[ReceiptLine]

    @property
    def sum(self) -> int:
        return sum(line.amount_ore for line in self.lines)


class DemoSales:
    def __init__(self, articles: list[Article], rng: random.Random) -> None:
        self.rng = rng
        self.goods = [a for a in articles if a.article_number != "PK"]
        self.numbers = {r.code: 0 for r in REGISTERS}
        self.sales: list[Receipt] = []

    def receipts(self, now: datetime, days: int) -> Iterator[Receipt]:
        last = business_date(now)
        if now.astimezone(STOCKHOLM).time() < time(9, 30):
            last -= timedelta(days=1)  # the shop has not opened yet today
        day_list = [last - timedelta(days=n) for n in range(days - 1, -1, -1)]
        for index, day in enumerate(day_list):
            end = min(datetime.combine(day, CLOSES, STOCKHOLM), now - timedelta(minutes=1))
            yield from self._day(day, end, first=index == 0, last=index == len(day_list) - 1)

    def _day(self, day: date, end: datetime, *, first: bool, last: bool) -> Iterator[Receipt]:
        start = datetime.combine(day, OPENS, STOCKHOLM)
        count = 12
        step = (end - start) / (count * len(REGISTERS) + 1)
        moments = [start + step * (n + 1) for n in range(count * len(REGISTERS))]
        for n, moment in enumerate(moments):
            register = REGISTERS[n % len(REGISTERS)].code
            if first and n == 3:
                receipt = self._gift_card_sold(register, moment)
            elif last and n == 5:
                receipt = self._gift_card_redeemed(register, moment)
            elif not first and n == 7 and self.sales:
                receipt = self._return(register, moment)
            else:
                receipt = self._ordinary(register, moment, n)
            self.sales.append(receipt)
            yield receipt

    def _next(self, register: str) -> int:
        self.numbers[register] += 1
        return self.numbers[register]

    def _line(self, article: Article, quantity: Decimal, discount: int = 0) -> ReceiptLine:
        return ReceiptLine(
            article_number=article.article_number,
            description=article.description,
            quantity=quantity,
            unit_price_ore=article.sales_price_ore,
            discount_ore=discount,
            vat_rate=article.vat_rate,
            amount_ore=_amount(quantity, article.sales_price_ore) - discount,
        )

    def _ordinary(self, register: str, moment: datetime, n: int) -> Receipt:
        lines = []
        for article in self.rng.sample(self.goods, self.rng.randint(1, 4)):
            if article.unit == "kg":
                quantity = Decimal(self.rng.randint(150, 1500)) / 1000
            else:
                quantity = Decimal(self.rng.choice((1, 1, 1, 2, 3)))
            discount = _amount(quantity, article.sales_price_ore) // 10 if n % 6 == 1 else 0
            lines.append(self._line(article, quantity, discount))
        method = (PaymentMethod.CASH, PaymentMethod.CARD, PaymentMethod.CARD, PaymentMethod.SWISH)[n % 4]
        return self._settle(register, moment, _Sale(lines), method)

    def _settle(
        self,
        register: str,
        moment: datetime,
        sale: _Sale,
        method: PaymentMethod,
        original: str | None = None,
        before: tuple[ReceiptPayment, ...] = (),
    ) -> Receipt:
        """Pay what ``before`` left over with ``method``; cash is rounded and may give change."""
        due = sale.sum - sum(p.amount_ore for p in before)
        rounding = change = 0
        paid = due
        if method is PaymentMethod.CASH:
            rounding = round_cash(due) - due
            paid = due + rounding
            if paid > 0:
                note = self.rng.choice((10_000, 20_000, 50_000))
                tendered = -(-paid // note) * note
                change, paid = tendered - paid, tendered
        payments = (*before, ReceiptPayment(method=method, amount_ore=paid))
        total = sale.sum + rounding
        return Receipt(
            register_code=register,
            receipt_number=self._next(register),
            sold_at=moment,
            total_ore=total,
            rounding_ore=rounding,
            change_ore=change,
            is_return=total < 0,
            original_receipt=original,
            lines=tuple(sale.lines),
            payments=payments,
        )

    def _gift_card_sold(self, register: str, moment: datetime) -> Receipt:
        line = ReceiptLine(
            article_number="PK",
            description="Presentkort",
            quantity=Decimal(1),
            unit_price_ore=GIFT_CARD_ORE,
            vat_rate=0,
            amount_ore=GIFT_CARD_ORE,
            kind=LineKind.GIFT_CARD,
        )
        return self._settle(register, moment, _Sale([line]), PaymentMethod.CASH)

    def _gift_card_redeemed(self, register: str, moment: datetime) -> Receipt:
        umbrella = next(a for a in self.goods if a.article_number == "3006")
        books = next(a for a in self.goods if a.article_number == "2003")
        coffee = next(a for a in self.goods if a.article_number == "1001")
        sale = _Sale(
            [self._line(umbrella, Decimal(2)), self._line(books, Decimal(1)), self._line(coffee, Decimal(1))]
        )
        card = (ReceiptPayment(method=PaymentMethod.GIFT_CARD, amount_ore=GIFT_CARD_ORE),)
        return self._settle(register, moment, sale, PaymentMethod.CARD, before=card)

    def _return(self, register: str, moment: datetime) -> Receipt:
        candidates = [r for r in self.sales if r.total_ore > 0 and r.lines[0].kind is LineKind.ARTICLE]
        original = self.rng.choice(candidates)
        sold = original.lines[0]
        reversed_line = {
            "quantity": -sold.quantity,
            "discount_ore": -sold.discount_ore,
            "amount_ore": -sold.amount_ore,
        }
        line = ReceiptLine.model_validate({**sold.model_dump(), **reversed_line})
        method = original.payments[-1].method
        return self._settle(register, moment, _Sale([line]), method, original=original.key)
