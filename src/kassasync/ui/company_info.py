"""The register company a file belongs to, read without changing the file.

The settings dialog shows it when the user picks a file with "Bläddra". Opening through ``PosStore`` would
migrate the schema of a file the user merely looked at, so this reads the ``company`` table with plain
sqlite3 in read-only mode, into the same ``Company`` the store gives.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from kassasync.errors import KassasyncError
from kassasync.pos.company_path import company_db_path
from kassasync.pos.records import Company


class CompanyFileUnreadable(KassasyncError):
    default_user_message = "Filen kunde inte läsas som en kassafil."


def resolve_company_file(text: str) -> Path:
    """The user may pick the folder or the file itself; both mean the folder's kassa.db."""
    return company_db_path(Path(text.strip()))


def read_company(path: Path) -> Company:
    if not path.is_file():
        raise CompanyFileUnreadable(f"no file at {path}", user_message=f"Filen finns inte: {path}")
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=5.0)
        try:
            row = conn.execute("SELECT name, organisation_number FROM company LIMIT 1").fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise CompanyFileUnreadable(
            f"{path} is not a company file: {exc}", user_message=f"{path.name} är ingen kassafil."
        ) from exc
    if row is None:
        raise CompanyFileUnreadable(f"{path} has no company row", user_message="Kassafilen saknar företag.")
    return Company(name=str(row[0]), organisation_number=str(row[1]))
