"""The user's guide shows what the program shows: every picture it links exists, was taken by the GUI
tests (the same file name under tests/artifacts after a GUI run), and every menu entry it names is in
the tray model."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

from kassasync.clock import STOCKHOLM
from kassasync.ui.state import AppState
from kassasync.ui.tray_model import render

ROOT = Path(__file__).resolve().parents[2]
GUIDE = ROOT / "docs" / "anvandarguide.md"
GUI_TESTS = ROOT / "tests" / "gui"


def linked_images() -> list[str]:
    return re.findall(r"\]\((images/[^)]+\.png)\)", GUIDE.read_text(encoding="utf-8"))


def test_every_picture_in_the_guide_exists_and_is_one_the_gui_tests_take() -> None:
    images = linked_images()
    assert len(images) >= 10
    test_code = "".join(p.read_text(encoding="utf-8") for p in GUI_TESTS.glob("test_*.py"))
    names = set(re.findall(r'"([a-z0-9-]+)"', test_code))  # screenshot names, tray states, tab names
    for image in images:
        assert (ROOT / "docs" / image).is_file(), image
        stem = Path(image).stem
        prefix, _, suffix = stem.partition("-")
        taken = stem in names or (f'f"{prefix}-{{' in test_code and suffix in names)
        assert taken, f"{image} is not a screenshot the GUI tests take"


def test_the_menu_entries_the_guide_names_are_the_menus() -> None:
    view = render(AppState(), datetime.now(STOCKHOLM))
    labels = [entry.label for entry in view.menu if entry.action is not None]  # not the status lines
    text = GUIDE.read_text(encoding="utf-8")
    for label in labels:
        assert f"**{label.rstrip('.')}" in text, label
