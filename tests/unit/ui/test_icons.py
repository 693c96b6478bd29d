"""Icons: reproducible from the script, one per state and size, spinner frames distinct."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest
from PIL import Image

from kassasync.ui.icons import SIZES, SPINNER_FRAMES, icon_image, icons_dir, nearest_size
from kassasync.ui.tray_model import Icon

ASSETS = Path(__file__).resolve().parents[3] / "assets"


def load_make_icons() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_icons", ASSETS / "make_icons.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_icons"] = module
    spec.loader.exec_module(module)
    return module


def test_regenerating_the_icons_gives_the_committed_files_byte_for_byte(tmp_path: Path) -> None:
    written = load_make_icons().generate(tmp_path)
    assert len(written) == (len(Icon) - 1 + SPINNER_FRAMES) * len(SIZES) + 1
    for path in written:
        committed = icons_dir() / path.name
        assert committed.read_bytes() == path.read_bytes(), f"{path.name} differs: rerun make_icons.py"


def test_the_ico_holds_every_size_up_to_256() -> None:
    with Image.open(icons_dir() / "kassasync.ico") as ico:
        assert {size for size, _ in ico.info["sizes"]} >= {16, 24, 32, 48, 64, 256}


@pytest.mark.parametrize("size", SIZES)
def test_every_state_has_its_own_image_at_each_tray_size(size: int) -> None:
    images = [icon_image(icon, size).tobytes() for icon in Icon if icon is not Icon.SYNCING]
    assert len(set(images)) == len(images)
    assert all(icon_image(icon, size).size == (size, size) for icon in Icon)


def test_the_spinner_frames_differ_and_wrap_around() -> None:
    frames = [icon_image(Icon.SYNCING, 32, frame).tobytes() for frame in range(SPINNER_FRAMES)]
    assert len(set(frames)) == SPINNER_FRAMES
    assert icon_image(Icon.SYNCING, 32, SPINNER_FRAMES).tobytes() == frames[0]


def test_odd_sizes_use_the_nearest_drawn_size() -> None:
    assert nearest_size(20) == 24 and nearest_size(100) == 64 and nearest_size(40) == 48
