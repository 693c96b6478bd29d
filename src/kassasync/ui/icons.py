"""The tray's images, loaded from the PNGs that assets/make_icons.py draws.

Found where the composition root points (``use_assets``: ``KASSASYNC_ASSETS``) if set, else in a
PyInstaller bundle's ``assets/icons``, else in the source checkout's ``assets/icons``. Images are
cached: the spinner asks for a frame eight times a second.
"""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path

from PIL import Image

from kassasync.errors import KassasyncError
from kassasync.ui.tray_model import Icon

SIZES = (16, 24, 32, 48, 64)
SPINNER_FRAMES = 8
ASSETS_ENV = "KASSASYNC_ASSETS"


class IconsMissing(KassasyncError):
    default_user_message = "Kassasyncs ikoner saknas. Installera programmet på nytt."


_assets: list[Path] = []  # the composition root's KASSASYNC_ASSETS, if given (use_assets)


def use_assets(folder: Path | None) -> None:
    """Take the icons from ``folder``/icons (``Environment.assets``), set once at start before any icon."""
    _assets[:] = [] if folder is None else [folder]
    _load.cache_clear()


def icons_dir() -> Path:
    if _assets:
        return _assets[0] / "icons"
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "assets" / "icons"
    return Path(__file__).resolve().parents[3] / "assets" / "icons"


def nearest_size(wanted: int) -> int:
    return min(SIZES, key=lambda size: (abs(size - wanted), -size))


@cache
def _load(name: str, size: int) -> Image.Image:
    path = icons_dir() / f"{name}-{size}.png"
    try:
        with Image.open(path) as image:
            return image.convert("RGBA")
    except FileNotFoundError as exc:
        raise IconsMissing(f"icon file missing: {path} (run assets/make_icons.py)") from exc


def icon_image(icon: Icon, size: int = 64, frame: int = 0) -> Image.Image:
    """The image for a state; ``frame`` picks the spinner frame while syncing."""
    name = f"syncing-{frame % SPINNER_FRAMES}" if icon is Icon.SYNCING else icon.value
    return _load(name, nearest_size(size))


def ico_path() -> Path:
    return icons_dir() / "kassasync.ico"
