"""The settings form as the dialog opens it on a company file, with some fields changed."""

from __future__ import annotations

from pathlib import Path

from kassasync.config import Settings
from kassasync.ui.settings_form import FormValues


def filled(company_file: Path, **changes: object) -> FormValues:
    values = FormValues.from_settings(Settings(company_path=company_file), autostart_now=False)
    for name, value in changes.items():
        setattr(values, name, value)
    return values
