"""The BAS accounts a Swedish shop uses (BAS 2024 names), with VAT codes and SRU codes.

VAT codes as Fortnox's account chart carries them: MP1/MP2/MP3 output VAT 25/12/6 %, MF exempt
(REFERENCE §5.3). A few accounts are inactive, as in a real chart where most are (ibid.).
"""

from __future__ import annotations

# number, description, VAT code, SRU, active
ACCOUNTS: tuple[tuple[int, str, str, int, bool], ...] = (
    (1460, "Lager av handelsvaror", "", 7241, True),
    (1465, "Lager av varor VMB", "", 7241, False),
    (1510, "Kundfordringar", "", 7251, True),
    (1580, "Fordringar för kontokort och kuponger", "", 7261, True),
    (1630, "Avräkning för skatter och avgifter (skattekonto)", "", 7261, True),
    (1910, "Kassa", "", 7281, True),
    (1920, "PlusGiro", "", 7281, True),
    (1930, "Företagskonto/checkkonto/affärskonto", "", 7281, True),
    (1940, "Övriga bankkonton", "", 7281, False),
    (2081, "Aktiekapital", "", 7301, True),
    (2091, "Balanserad vinst eller förlust", "", 7302, True),
    (2099, "Årets resultat", "", 7302, True),
    (2421, "Ej inlösta presentkort", "", 7369, True),
    (2440, "Leverantörsskulder", "", 7365, True),
    (2611, "Utgående moms på försäljning inom Sverige, 25 %", "", 7369, True),
    (2621, "Utgående moms på försäljning inom Sverige, 12 %", "", 7369, True),
    (2631, "Utgående moms på försäljning inom Sverige, 6 %", "", 7369, True),
    (2640, "Ingående moms", "", 7369, True),
    (2641, "Debiterad ingående moms", "", 7369, True),
    (2650, "Redovisningskonto för moms", "", 7369, True),
    (2710, "Personalskatt", "", 7369, True),
    (2829, "Övriga kortfristiga skulder", "", 7369, True),
    (3001, "Försäljning inom Sverige, 25 % moms", "MP1", 7410, True),
    (3002, "Försäljning inom Sverige, 12 % moms", "MP2", 7410, True),
    (3003, "Försäljning inom Sverige, 6 % moms", "MP3", 7410, True),
    (3004, "Försäljning inom Sverige, momsfri", "MF", 7410, True),
    (3041, "Försäljning tjänster inom Sverige, 25 % moms", "MP1", 7410, True),
    (3105, "Försäljning varor till land utanför EU", "", 7410, False),
    (3106, "Försäljning varor till annat EU-land, momspliktig", "", 7410, False),
    (3108, "Försäljning varor till annat EU-land, momsfri", "", 7410, False),
    (3540, "Faktureringsavgifter", "MP1", 7410, True),
    (3730, "Lämnade rabatter", "", 7410, True),
    (3740, "Öres- och kronutjämning", "", 7410, True),
    (3960, "Valutakursvinster på fordringar och skulder av rörelsekaraktär", "", 7410, True),
    (4000, "Inköp av varor från Sverige", "", 7512, False),
    (4010, "Inköp av handelsvaror", "", 7512, True),
    (4730, "Erhållna rabatter", "", 7512, True),
    (4990, "Förändring av lager", "", 7512, True),
    (5010, "Lokalhyra", "", 7513, True),
    (6570, "Bankkostnader", "", 7513, True),
    (7960, "Valutakursförluster på fordringar och skulder av rörelsekaraktär", "", 7513, True),
    (8310, "Ränteintäkter från omsättningstillgångar", "", 7417, True),
    (8313, "Ränteintäkter från kundfordringar", "", 7417, True),
    (8999, "Årets resultat", "", 7450, True),
)

# REFERENCE §5.4 names, pre-EasyVat family, with a shop's BAS defaults.
PREDEFINED_ACCOUNTS: dict[str, int] = {
    "CASH": 1910,
    "CASHBYCARD": 1580,
    "WCARD": 1580,
    "BG": 1930,
    "PG": 1920,
    "AG": 0,
    "CUSTCLAIM": 1510,
    "ROUNDOFF": 3740,
    "SALES": 3001,
    "SALES2": 3041,
    "SALES_MP2": 3002,
    "SALES_MP3": 3003,
    "SALES_NOVAT": 3004,
    "SALESEUREV": 3108,
    "SALESEUVAT": 3106,
    "SALESEXPORT": 3105,
    "OUTVAT_MP1": 2611,
    "OUTVAT_MP2": 2621,
    "OUTVAT_MP3": 2631,
    "OUTVAT_MP4": 0,
    "INVAT": 2641,
    "ADMFEE": 3540,
    "CASHDISCOUNTOUT": 3730,
    "CASHDISCOUNTIN": 4730,
    "INTEREST": 8313,
    "CURRENCYWIN": 3960,
    "CURRENCYLOSS": 7960,
    "PURCASE": 4010,
    "SUPDEBT": 2440,
}

# Fortnox's default series (REFERENCE §5.5, [ERP #2120]); A is the manual one by default, and the
# demo shop has ticked "Manuell kontering" on F Kassa for its register.
VOUCHER_SERIES: tuple[tuple[str, str, bool], ...] = (
    ("A", "Redovisning", True),
    ("B", "Kundfakturor", False),
    ("C", "Inbetalningar från kunder", False),
    ("D", "Leverantörsfakturor", False),
    ("E", "Utbetalningar till leverantörer", False),
    ("F", "Kassa", True),
    ("G", "Avskrivning", False),
    ("H", "Periodisering", False),
    ("I", "Bokslut", False),
    ("J", "Revisor", False),
    ("K", "Lön", False),
    ("L", "Kontantfaktura", False),
    ("M", "Momsrapport", False),
)

# Names UNVERIFIED (REFERENCE §10.6); which series invoices and payments are booked in.
PREDEFINED_VOUCHER_SERIES: dict[str, str] = {
    "INVOICE": "B",
    "PAYMENT": "C",
    "CASHINVOICE": "L",
    "MANUAL": "A",
}

SALES_ACCOUNT_BY_VAT = {25: 3001, 12: 3002, 6: 3003, 0: 3004}
OUTVAT_BY_VAT = {25: "OUTVAT_MP1", 12: "OUTVAT_MP2", 6: "OUTVAT_MP3"}
