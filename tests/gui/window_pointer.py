"""Use a Kassasync window (the settings dialog, the problems window) with the pointer and the keyboard,
reading what is on the screen: the window is found by its title, screenshotted, and read by Tesseract
word by word, each word with its place, so a test clicks a button, tab or radio button where its label
reads, as the shop owner does (see tray_pointer.py for why OCR and not the widget tree)."""

from __future__ import annotations

import time
from dataclasses import dataclass

from PIL import Image

from . import tray_pointer as pointer
from .conftest import wait_for


@dataclass(frozen=True)
class Word:
    text: str
    box: pointer.Box  # on the screen
    line: tuple[str, str, str]  # Tesseract's block, paragraph, line


def window_of(display: str, title: str) -> str | None:
    """The visible window so titled (xdotool's pattern does not match non-ASCII letters: any there)."""
    pattern = "".join(c if c.isascii() else ".+" for c in title)
    found = pointer._run(display, "xdotool", "search", "--onlyvisible", "--name", pattern).split()
    return found[-1] if found else None


def wait_for_window(display: str, title: str, timeout: float = 20.0) -> pointer.Box:
    assert wait_for(lambda: window_of(display, title) is not None, timeout), f"no window {title!r}"
    time.sleep(0.5)  # mapped, then painted
    window = window_of(display, title)
    assert window is not None
    return pointer._geometry(display, window)


def read_words(display: str, title: str, name: str) -> list[Word]:
    box = wait_for_window(display, title)
    image = pointer.grab(display, box, name)
    return words_in(image, box)


def words_in(image: Image.Image, origin: pointer.Box) -> list[Word]:
    words = [
        Word(text, pointer.Box(width, height, origin.x + left, origin.y + top), line)
        for text, left, top, width, height, line in pointer.ocr_words(image, "11", "window-pointer-ocr")
    ]
    return sorted(words, key=lambda w: (w.box.y, w.box.x))


def text_of(words: list[Word]) -> str:
    return " ".join(word.text for word in words)


def find_word(words: list[Word], label: str, *, topmost: bool = True) -> Word:
    """The word that reads like ``label`` (OCR is fuzzy: matched as tray_pointer.similar does)."""
    found = [word for word in words if pointer.similar(word.text, label)]
    assert found, f"no {label!r} among {[word.text for word in words]}"
    return found[0] if topmost else found[-1]


def click_word(display: str, title: str, label: str, name: str, *, topmost: bool = True) -> Word:
    word = find_word(read_words(display, title, name), label, topmost=topmost)
    x, y = word.box.centre
    pointer.click(display, x, y)
    time.sleep(0.3)
    return word


def type_text(display: str, text: str) -> None:
    pointer._run(display, "xdotool", "type", "--delay", "30", text)


def key(display: str, *keys: str) -> None:
    pointer._run(display, "xdotool", "key", *keys)
