-- The register's company file (kassa.db): the data contract between the cash register and Kassasync.
-- Current schema version: 5. Documented for register vendors in docs/pos-contract.md.
--
-- Rules that hold everywhere:
--   * money is INTEGER öre (CHECK typeof = 'integer': a REAL never gets in);
--   * VAT rates are percent, one of 25, 12, 6, 0;
--   * quantities are exact decimals stored as TEXT ('1', '0.485', '-2');
--   * times are ISO 8601 TEXT with a UTC offset ('2026-11-28T14:03:11+01:00').
-- The register writes receipts (receipts, receipt_lines, receipt_payments), its registers and, optionally,
-- articles with origin 'register'. Kassasync writes everything pulled from Fortnox and the outbox.
-- Receipts are immutable: triggers refuse UPDATE and DELETE on them, for every program.

CREATE TABLE schema_version (
    version    INTEGER PRIMARY KEY CHECK (typeof(version) = 'integer'),
    applied_at TEXT NOT NULL
);

CREATE TABLE company (
    id                  INTEGER PRIMARY KEY CHECK (id = 1),
    name                TEXT NOT NULL CHECK (length(name) > 0),
    organisation_number TEXT NOT NULL CHECK (organisation_number GLOB '[0-9][0-9][0-9][0-9][0-9][0-9]-[0-9][0-9][0-9][0-9]')
);

CREATE TABLE registers (
    code  TEXT PRIMARY KEY CHECK (length(code) BETWEEN 1 AND 20),
    name  TEXT NOT NULL,
    store TEXT
);

CREATE TABLE payment_methods (
    code                    TEXT PRIMARY KEY,
    name                    TEXT NOT NULL,
    account                 INTEGER NOT NULL CHECK (typeof(account) = 'integer' AND account BETWEEN 1000 AND 9999),
    fortnox_mode_of_payment TEXT NOT NULL
);

INSERT INTO payment_methods (code, name, account, fortnox_mode_of_payment) VALUES
    ('cash', 'Kontant', 1910, 'KONT'),
    ('card', 'Kort', 1580, 'KORT'),
    ('swish', 'Swish', 1930, 'SWISH'),
    ('gift_card', 'Presentkort', 2421, 'PRESENT');

CREATE TABLE accounts (
    number      INTEGER PRIMARY KEY CHECK (typeof(number) = 'integer' AND number BETWEEN 1000 AND 9999),
    description TEXT NOT NULL,
    active      INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    vat_code    TEXT
);

CREATE TABLE predefined_accounts (
    name    TEXT PRIMARY KEY,
    account INTEGER NOT NULL CHECK (typeof(account) = 'integer')
);

CREATE TABLE articles (
    article_number    TEXT PRIMARY KEY CHECK (length(article_number) BETWEEN 1 AND 50),
    description       TEXT NOT NULL,
    ean               TEXT,
    unit              TEXT,
    vat_rate          INTEGER NOT NULL CHECK (vat_rate IN (25, 12, 6, 0)),
    sales_price_ore   INTEGER NOT NULL CHECK (typeof(sales_price_ore) = 'integer'),
    sales_account     INTEGER CHECK (sales_account IS NULL OR typeof(sales_account) = 'integer'),
    stock_goods       INTEGER NOT NULL DEFAULT 0 CHECK (stock_goods IN (0, 1)),
    quantity_in_stock TEXT NOT NULL DEFAULT '0',
    active            INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    origin            TEXT NOT NULL CHECK (origin IN ('fortnox', 'register'))
);

CREATE TABLE prices (
    price_list     TEXT NOT NULL,
    article_number TEXT NOT NULL REFERENCES articles (article_number) ON DELETE CASCADE,
    from_quantity  TEXT NOT NULL DEFAULT '0',
    price_ore      INTEGER NOT NULL CHECK (typeof(price_ore) = 'integer'),
    PRIMARY KEY (price_list, article_number, from_quantity)
);
CREATE INDEX prices_by_article ON prices (article_number);

CREATE TABLE customers (
    customer_number     TEXT PRIMARY KEY,
    name                TEXT NOT NULL,
    organisation_number TEXT,
    price_list          TEXT,
    active              INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
);

-- A receipt is identified by (register_code, receipt_number); its key is 'K1-17'.
CREATE TABLE receipts (
    register_code    TEXT NOT NULL REFERENCES registers (code),
    receipt_number   INTEGER NOT NULL CHECK (typeof(receipt_number) = 'integer' AND receipt_number >= 1),
    sold_at          TEXT NOT NULL,
    total_ore        INTEGER NOT NULL CHECK (typeof(total_ore) = 'integer'),
    rounding_ore     INTEGER NOT NULL DEFAULT 0 CHECK (typeof(rounding_ore) = 'integer'),
    change_ore       INTEGER NOT NULL DEFAULT 0 CHECK (typeof(change_ore) = 'integer' AND change_ore >= 0),
    customer_number  TEXT,
    is_return        INTEGER NOT NULL DEFAULT 0 CHECK (is_return IN (0, 1)),
    original_receipt TEXT,
    PRIMARY KEY (register_code, receipt_number)
);

-- No foreign key to articles: articles come and go, receipts stay.
CREATE TABLE receipt_lines (
    register_code  TEXT NOT NULL,
    receipt_number INTEGER NOT NULL,
    line_number    INTEGER NOT NULL CHECK (typeof(line_number) = 'integer' AND line_number >= 1),
    article_number TEXT,
    description    TEXT NOT NULL,
    quantity       TEXT NOT NULL,
    unit_price_ore INTEGER NOT NULL CHECK (typeof(unit_price_ore) = 'integer'),
    discount_ore   INTEGER NOT NULL DEFAULT 0 CHECK (typeof(discount_ore) = 'integer'),
    vat_rate       INTEGER NOT NULL CHECK (vat_rate IN (25, 12, 6, 0)),
    amount_ore     INTEGER NOT NULL CHECK (typeof(amount_ore) = 'integer'),
    kind           TEXT NOT NULL DEFAULT 'article' CHECK (kind IN ('article', 'gift_card')),
    PRIMARY KEY (register_code, receipt_number, line_number),
    FOREIGN KEY (register_code, receipt_number) REFERENCES receipts (register_code, receipt_number)
);
CREATE INDEX receipt_lines_by_article ON receipt_lines (article_number);

CREATE TABLE receipt_payments (
    register_code  TEXT NOT NULL,
    receipt_number INTEGER NOT NULL,
    line_number    INTEGER NOT NULL CHECK (typeof(line_number) = 'integer' AND line_number >= 1),
    method         TEXT NOT NULL REFERENCES payment_methods (code),
    amount_ore     INTEGER NOT NULL CHECK (typeof(amount_ore) = 'integer'),
    PRIMARY KEY (register_code, receipt_number, line_number),
    FOREIGN KEY (register_code, receipt_number) REFERENCES receipts (register_code, receipt_number)
);

-- One row per receipt, written by the trigger below: the register never needs to know about it.
CREATE TABLE outbox (
    register_code  TEXT NOT NULL,
    receipt_number INTEGER NOT NULL,
    target         TEXT CHECK (target IS NULL OR target IN ('voucher', 'invoice', 'summary')),
    state          TEXT NOT NULL DEFAULT 'pending'
                   CHECK (state IN ('pending', 'sending', 'posted', 'booked', 'paid', 'failed')),
    fortnox_ref    TEXT,
    attempts       INTEGER NOT NULL DEFAULT 0 CHECK (typeof(attempts) = 'integer'),
    last_error     TEXT,
    updated_at     TEXT NOT NULL,
    PRIMARY KEY (register_code, receipt_number),
    FOREIGN KEY (register_code, receipt_number) REFERENCES receipts (register_code, receipt_number)
);
CREATE INDEX outbox_by_state ON outbox (state, register_code, receipt_number);

CREATE TRIGGER receipts_enter_outbox AFTER INSERT ON receipts
BEGIN
    INSERT INTO outbox (register_code, receipt_number, state, updated_at)
    VALUES (NEW.register_code, NEW.receipt_number, 'pending', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
END;

CREATE TRIGGER receipts_are_not_updated BEFORE UPDATE ON receipts
BEGIN SELECT RAISE(ABORT, 'receipts are immutable'); END;
CREATE TRIGGER receipts_are_not_deleted BEFORE DELETE ON receipts
BEGIN SELECT RAISE(ABORT, 'receipts are immutable'); END;
CREATE TRIGGER receipt_lines_are_not_updated BEFORE UPDATE ON receipt_lines
BEGIN SELECT RAISE(ABORT, 'receipts are immutable'); END;
CREATE TRIGGER receipt_lines_are_not_deleted BEFORE DELETE ON receipt_lines
BEGIN SELECT RAISE(ABORT, 'receipts are immutable'); END;
CREATE TRIGGER receipt_payments_are_not_updated BEFORE UPDATE ON receipt_payments
BEGIN SELECT RAISE(ABORT, 'receipts are immutable'); END;
CREATE TRIGGER receipt_payments_are_not_deleted BEFORE DELETE ON receipt_payments
BEGIN SELECT RAISE(ABORT, 'receipts are immutable'); END;

CREATE TABLE sync_cursors (
    resource     TEXT PRIMARY KEY,
    lastmodified TEXT NOT NULL
);

-- The paid-invoice path (schema version 3). What Fortnox's created invoice said, compared with the
-- receipt, and each payment as it was sent: its identity is what was sent (mode, account, amount,
-- write-offs, date), so a payment whose answer was lost is found again by exactly that, whatever the
-- settings say by then.
CREATE TABLE invoice_checks (
    register_code   TEXT NOT NULL,
    receipt_number  INTEGER NOT NULL,
    invoice_number  TEXT NOT NULL,
    total_ore       INTEGER NOT NULL CHECK (typeof(total_ore) = 'integer'),
    round_off_ore   INTEGER NOT NULL CHECK (typeof(round_off_ore) = 'integer'),
    vat_ore         INTEGER NOT NULL CHECK (typeof(vat_ore) = 'integer'),
    receipt_vat_ore INTEGER NOT NULL CHECK (typeof(receipt_vat_ore) = 'integer'),
    PRIMARY KEY (register_code, receipt_number),
    FOREIGN KEY (register_code, receipt_number) REFERENCES receipts (register_code, receipt_number)
);

CREATE TABLE invoice_payments (
    register_code  TEXT NOT NULL,
    receipt_number INTEGER NOT NULL,
    invoice_number TEXT NOT NULL,
    seq            INTEGER NOT NULL CHECK (typeof(seq) = 'integer'),
    mode           TEXT NOT NULL,
    account        INTEGER NOT NULL CHECK (typeof(account) = 'integer'),
    amount_ore     INTEGER NOT NULL CHECK (typeof(amount_ore) = 'integer'),
    write_offs     TEXT NOT NULL,   -- JSON [[account, amount_ore, text], ...]; amount a debit
    payment_date   TEXT NOT NULL,
    state          TEXT NOT NULL CHECK (state IN ('planned', 'sending', 'created', 'booked')),
    fortnox_number TEXT,
    updated_at     TEXT NOT NULL,
    PRIMARY KEY (register_code, receipt_number, invoice_number, seq),
    FOREIGN KEY (register_code, receipt_number) REFERENCES receipts (register_code, receipt_number)
);

-- Daily summaries (schema version 4): one row per register and day whose summary voucher Fortnox holds,
-- written in the same transaction that marks the day's receipts posted, so a day is summarised once and
-- a receipt that arrives later goes as a voucher of its own. A posted summary is never changed.
CREATE TABLE summaries (
    register_code TEXT NOT NULL,
    day           TEXT NOT NULL CHECK (day GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    fortnox_ref   TEXT NOT NULL,
    posted_at     TEXT NOT NULL,
    PRIMARY KEY (register_code, day)
);
CREATE TRIGGER summaries_are_not_updated BEFORE UPDATE ON summaries
BEGIN SELECT RAISE(ABORT, 'a posted summary is never changed'); END;
CREATE TRIGGER summaries_are_not_deleted BEFORE DELETE ON summaries
BEGIN SELECT RAISE(ABORT, 'a posted summary is never changed'); END;

-- The register's Z-reports (schema version 5; optional). The register may write one row per register
-- and business day when it closes the day: its own total, as its Z-report prints it. Kassasync only
-- reads it, for the reconciliation's third column (the register's total, the receipts' sum, Fortnox).
CREATE TABLE z_reports (
    register_code TEXT NOT NULL REFERENCES registers (code),
    business_day  TEXT NOT NULL CHECK (business_day GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    z_number      TEXT,
    total_ore     INTEGER NOT NULL CHECK (typeof(total_ore) = 'integer'),
    closed_at     TEXT,
    PRIMARY KEY (register_code, business_day)
);
