"""Draw Kassasync's tray icons and the multi-size .ico, deterministically (byte-for-byte reproducible).

    python assets/make_icons.py [OUT_DIR]     (default: assets/icons next to this script)

Each state must be told at a glance at 16 px, where a badge or an arrow is two pixels: so the states
differ first by the whole disc's colour and fill, then by a bold mark, and every disc keeps the orange
Kassasync rim. idle = orange disc, two white sync arrows; syncing = a white disc inside a bold orange
ring with a dark turning segment (8 frames), so a sync in progress is "light", all else "solid";
attention = yellow disc, black "!"; error = red disc, white cross; login = blue disc, white padlock;
paused = grey disc, two white bars; setup = dark slate disc, white gear ("set me up"). A colour-blind
shop owner still tells them apart by the marks. Shapes only, no fonts: fonts differ per machine. Drawn
large and scaled down with LANCZOS.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from PIL import Image, ImageDraw

SIZES = (16, 24, 32, 48, 64)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
FRAMES = 8
MASTER = 256
ORANGE = (242, 140, 40, 255)
ORANGE_DARK = (196, 98, 12, 255)
GREY = (150, 150, 150, 255)
WHITE = (255, 255, 255, 255)
YELLOW = (255, 205, 0, 255)
RED = (214, 38, 38, 255)
BLUE = (36, 99, 214, 255)
BLACK = (30, 30, 30, 255)
SLATE = (52, 64, 84, 255)

Painter = Callable[[ImageDraw.ImageDraw], None]


def disc(draw: ImageDraw.ImageDraw, fill: tuple[int, int, int, int] = ORANGE) -> None:
    draw.ellipse((8, 8, 248, 248), fill=fill, outline=ORANGE_DARK if fill == ORANGE else ORANGE, width=18)


def arrows(draw: ImageDraw.ImageDraw) -> None:
    """Two arcs with arrow heads: "kept in sync"."""
    box = (60, 60, 196, 196)
    draw.arc(box, 200, 340, fill=WHITE, width=26)
    draw.arc(box, 20, 160, fill=WHITE, width=26)
    draw.polygon([(200, 92), (226, 146), (162, 138)], fill=WHITE)
    draw.polygon([(56, 164), (30, 110), (94, 118)], fill=WHITE)


def spinner(frame: int) -> Painter:
    """Light centre, bold orange ring, a dark segment a quarter of the ring long that turns."""

    def paint(draw: ImageDraw.ImageDraw) -> None:
        start = frame * (360 // FRAMES) - 90
        draw.ellipse((8, 8, 248, 248), fill=ORANGE)
        draw.ellipse((70, 70, 186, 186), fill=WHITE)
        draw.arc((20, 20, 236, 236), start, start + 100, fill=SLATE, width=50)

    return paint


def exclamation(draw: ImageDraw.ImageDraw) -> None:
    draw.rectangle((106, 44, 150, 160), fill=BLACK)
    draw.ellipse((104, 176, 152, 224), fill=BLACK)


def cross(draw: ImageDraw.ImageDraw) -> None:
    draw.line((74, 74, 182, 182), fill=WHITE, width=40)
    draw.line((182, 74, 74, 182), fill=WHITE, width=40)


def padlock(draw: ImageDraw.ImageDraw) -> None:
    draw.arc((86, 46, 170, 140), 180, 360, fill=WHITE, width=26)
    draw.rectangle((86, 90, 99, 120), fill=WHITE)
    draw.rectangle((157, 90, 170, 120), fill=WHITE)
    draw.rectangle((62, 112, 194, 210), fill=WHITE)
    draw.rectangle((118, 138, 138, 184), fill=BLUE)


def paused(draw: ImageDraw.ImageDraw) -> None:
    draw.rectangle((74, 62, 114, 194), fill=WHITE)
    draw.rectangle((142, 62, 182, 194), fill=WHITE)


def gear(draw: ImageDraw.ImageDraw) -> None:
    """Eight teeth around a ring: "settings"."""
    centre = 128
    for angle in range(0, 360, 45):
        draw.arc((44, 44, 212, 212), angle - 12, angle + 12, fill=WHITE, width=34)
    draw.ellipse((centre - 64, centre - 64, centre + 64, centre + 64), fill=WHITE)
    draw.ellipse((centre - 26, centre - 26, centre + 26, centre + 26), fill=SLATE)


STATES: dict[str, tuple[tuple[int, int, int, int], Painter]] = {
    "idle": (ORANGE, arrows),
    "attention": (YELLOW, exclamation),
    "error": (RED, cross),
    "login": (BLUE, padlock),
    "paused": (GREY, paused),
    "setup": (SLATE, gear),
}


def master(fill: tuple[int, int, int, int], painter: Painter) -> Image.Image:
    image = Image.new("RGBA", (MASTER, MASTER), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    disc(draw, fill)
    painter(draw)
    return image


def all_masters() -> dict[str, Image.Image]:
    images = {name: master(fill, painter) for name, (fill, painter) in STATES.items()}
    for frame in range(FRAMES):
        images[f"syncing-{frame}"] = master(ORANGE, spinner(frame))
    return images


def generate(out_dir: Path) -> list[Path]:
    """Write every PNG and kassasync.ico into out_dir; returns the files written, sorted."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    masters = all_masters()
    for name, image in masters.items():
        for size in SIZES:
            path = out_dir / f"{name}-{size}.png"
            image.resize((size, size), Image.Resampling.LANCZOS).save(path, format="PNG", optimize=False)
            written.append(path)
    ico = out_dir / "kassasync.ico"
    masters["idle"].save(ico, format="ICO", sizes=[(s, s) for s in ICO_SIZES])
    written.append(ico)
    return sorted(written)


def main(argv: list[str]) -> int:
    out_dir = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parent / "icons"
    files = generate(out_dir)
    print(f"{len(files)} files written to {out_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
