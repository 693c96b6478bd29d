"""Use the tray the way the shop owner does: with the pointer, reading what is on the screen.

How the menu is read, and why: the GTK menu is drawn by GTK in its own override-redirect window; nothing
of the agent is asked. A screenshot of that window is read by Tesseract OCR (Debian's tesseract-ocr with
the Swedish model, tesseract-ocr-swe), line by line, with each line's place on the screen, so a test
clicks an item where the user would and reads exactly the words the user reads (an entry cut short,
missing or misspelt fails the test). Whether an item is greyed out is read from the pixels too: GTK draws
disabled labels in a light grey, enabled ones near black. AT-SPI would give the text without OCR, but
python3-pyatspi is Debian's and not importable from the project's venv, and it reads GTK's widget tree,
not the screen; the agent exposing its menu model would test only the model.

Every command runs against the given X display (Xvfb + trayer from conftest.py). OCR is fuzzy by nature:
labels are matched after normalising spaces and with a similarity threshold, never by exact pixels.
"""

from __future__ import annotations

import difflib
import re
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from .conftest import ARTIFACTS, wait_for

OCR_SCALE = 3
DISABLED_DARKEST = 100  # a greyed-out GTK label's darkest pixel is lighter than this; an enabled one's not
MATCH = 0.8
MENU_MIN_HEIGHT = 40  # the submenu of one problem is one item high; the menu is many


@dataclass(frozen=True)
class Box:
    width: int
    height: int
    x: int
    y: int

    @property
    def centre(self) -> tuple[int, int]:
        return self.x + self.width // 2, self.y + self.height // 2

    @property
    def crop(self) -> str:
        return f"{self.width}x{self.height}+{self.x}+{self.y}"


@dataclass(frozen=True)
class MenuLine:
    text: str
    box: Box  # on the screen
    enabled: bool


def _run(display: str, *command: str) -> str:
    done = subprocess.run(command, env={"DISPLAY": display}, capture_output=True, text=True, timeout=20)
    return done.stdout


def _geometry(display: str, window: str) -> Box:
    shell = _run(display, "xdotool", "getwindowgeometry", "--shell", window)
    values = dict(line.split("=", 1) for line in shell.split() if "=" in line)
    return Box(int(values["WIDTH"]), int(values["HEIGHT"]), int(values["X"]), int(values["Y"]))


def icon_window(display: str, pid: int | None = None) -> str | None:
    """The icon's window docked in the tray: GTK names it after the icon's title ("Kassasync: ...");
    ``pid``: the icon of that process (GTK marks its windows with _NET_WM_PID)."""
    by_pid = ["--all", "--pid", str(pid)] if pid is not None else []  # --all: pid AND name
    found = _run(display, "xdotool", "search", "--onlyvisible", *by_pid, "--name", "^Kassasync:")
    for window in found.split():
        box = _geometry(display, window)
        if box.width > 1 and box.y < 40:
            return window
    return None


def icon_box(display: str, pid: int | None = None) -> Box | None:
    window = icon_window(display, pid)
    return None if window is None else _geometry(display, window)


def icon_title(display: str) -> str:
    """What hovering shows: the icon's title (GTK sets it as the tooltip and the window's name)."""
    window = icon_window(display)
    return "" if window is None else _run(display, "xdotool", "getwindowname", window).strip()


def wait_for_icon(display: str, timeout: float = 15.0) -> Box:
    assert wait_for(lambda: icon_box(display) is not None, timeout), "the Kassasync icon did not dock"
    box = icon_box(display)
    assert box is not None
    return box


def menu_box(display: str) -> Box | None:
    """The open menu: a visible window of class "kassasync" that GTK marks as a popup menu (the
    icon's tooltip, the other window GTK shows there, is marked a tooltip)."""
    found = _run(display, "xdotool", "search", "--onlyvisible", "--classname", "^kassasync$").split()
    for window in found:
        kind = _run(display, "xprop", "-id", window, "_NET_WM_WINDOW_TYPE")
        if "_NET_WM_WINDOW_TYPE_POPUP_MENU" in kind or "_NET_WM_WINDOW_TYPE_DROPDOWN_MENU" in kind:
            box = _geometry(display, window)
            if box.height > MENU_MIN_HEIGHT:
                return box
    return None


def click(display: str, x: int, y: int, button: int = 1) -> None:
    _run(display, "xdotool", "mousemove", str(x), str(y), "sleep", "0.1", "click", str(button))


def open_menu(display: str, timeout: float = 5.0) -> Box:
    """Right-click the icon, as on any tray: the GTK menu opens beside it."""
    close_menu(display)
    x, y = wait_for_icon(display).centre
    click(display, x, y, button=3)
    assert wait_for(lambda: menu_box(display) is not None, timeout), "no menu opened on a right-click"
    time.sleep(0.3)  # GTK maps the window, then paints it
    box = menu_box(display)
    assert box is not None
    return box


def close_menu(display: str) -> None:
    if menu_box(display) is not None:
        _run(display, "xdotool", "key", "Escape")
        wait_for(lambda: menu_box(display) is None, 3.0)


def grab(display: str, box: Box, name: str | None = None) -> Image.Image:
    path = ARTIFACTS / f"{name or 'tray-pointer-grab'}.png"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["import", "-display", display, "-window", "root", "-crop", box.crop, "+repage", str(path)],
        check=True,
        timeout=20,
    )
    with Image.open(path) as image:
        return image.convert("RGB")


OcrWord = tuple[str, int, int, int, int, tuple[str, str, str]]  # text, left, top, width, height, line


def ocr_words(image: Image.Image, psm: str, name: str) -> list[OcrWord]:
    """Tesseract's words (Swedish) in ``image``, each with its box in the image's own pixels and its
    (block, paragraph, line); ``psm`` 6 reads a uniform block (a menu), 11 sparse text (a window)."""
    big = image.resize((image.width * OCR_SCALE, image.height * OCR_SCALE), Image.Resampling.LANCZOS)
    work = ARTIFACTS / f"{name}.png"
    big.save(work)
    tsv = subprocess.run(
        ["tesseract", str(work), "stdout", "-l", "swe", "--psm", psm, "tsv"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    words: list[OcrWord] = []
    for row in tsv.splitlines()[1:]:
        cells = row.split("\t")
        if len(cells) < 12 or not cells[11].strip() or float(cells[10]) < 0:
            continue
        left, top, width, height = (int(cells[i]) // OCR_SCALE for i in (6, 7, 8, 9))
        words.append((cells[11], left, top, width, height, (cells[2], cells[3], cells[4])))
    return words


def read_lines(image: Image.Image, origin: Box) -> list[MenuLine]:
    """Tesseract's words, grouped into lines, each with its place on the screen and its greyness."""
    lines: dict[tuple[str, str, str], list[tuple[str, int, int, int, int]]] = {}
    for text, left, top, width, height, key in ocr_words(image, "6", "tray-pointer-ocr"):
        lines.setdefault(key, []).append((text, left, top, width, height))
    result: list[MenuLine] = []
    gray = image.convert("L")
    for words in lines.values():
        text = " ".join(word for word, *_ in words)
        left = min(w[1] for w in words)
        top = min(w[2] for w in words)
        right = max(w[1] + w[3] for w in words)
        bottom = max(w[2] + w[4] for w in words)
        darkest = min(gray.crop((left, top, max(right, left + 1), max(bottom, top + 1))).getdata())
        box = Box(right - left, bottom - top, origin.x + left, origin.y + top)
        result.append(MenuLine(text, box, enabled=darkest < DISABLED_DARKEST))
    return sorted(result, key=lambda line: line.box.y)


def read_menu(display: str, name: str | None = None) -> list[MenuLine]:
    """Open the menu (if it is not open), screenshot it, and read its lines top to bottom."""
    box = menu_box(display) or open_menu(display)
    return read_lines(grab(display, box, name), box)


def normal(text: str) -> str:
    """Spaces normalised, case folded, a check box's outline read as "()" or "[]" dropped."""
    text = re.sub(r"\s+", " ", text.replace("…", "...")).strip().lower()
    return re.sub(r"^[^\w]+", "", text)


def similar(seen: str, label: str) -> bool:
    a, b = normal(seen), normal(label)
    return a.startswith(b) or difflib.SequenceMatcher(None, a, b).ratio() >= MATCH


def find_line(lines: list[MenuLine], label: str) -> MenuLine:
    found = [line for line in lines if similar(line.text, label)]
    assert found, f"no menu item like {label!r} among {[line.text for line in lines]}"
    return found[0]


def click_item(display: str, label: str) -> MenuLine:
    """Open the menu and click the item that reads ``label``, at its place on the screen."""
    line = find_line(read_menu(display), label)
    x, y = line.box.centre
    click(display, x, y)
    return line


def screenshot_with_menu(display: str, name: str) -> Path:
    """The tray corner with the menu open (as the user's guide shows it): from the menu's left edge."""
    menu = menu_box(display) or open_menu(display)
    icon = wait_for_icon(display)
    left = max(0, menu.x - 10)
    right = max(menu.x + menu.width, icon.x + icon.width)
    box = Box(right - left, menu.y + menu.height + 10, left, 0)
    grab(display, box, name)
    return ARTIFACTS / f"{name}.png"
