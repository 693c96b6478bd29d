"""Draw Kassasync's tray icons and the multi-size .ico, deterministically (byte-for-byte reproducible).

    python assets/make_icons.py [OUT_DIR]     (default: assets/icons next to this script)

Every state is the orange Kassasync disc with its own mark, so the states differ in shape as well as in
colour (a colour-blind shop owner still tells them apart): idle = two sync arrows, syncing = a turning
arc (8 frames), attention = yellow triangle with "!", error = red disc with a white cross, login = blue
disc with a padlock, paused = a grey disc in an orange ring with two bars. Shapes only, no fonts: fonts
differ per machine. Drawn large and scaled down with LANCZOS so 16 px stays crisp enough.
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

Painter = Callable[[ImageDraw.ImageDraw], None]


def disc(draw: ImageDraw.ImageDraw, fill: tuple[int, int, int, int] = ORANGE) -> None:
    draw.ellipse((8, 8, 248, 248), fill=fill, outline=ORANGE_DARK if fill == ORANGE else ORANGE, width=14)


def arrows(draw: ImageDraw.ImageDraw) -> None:
    """Two arcs with arrow heads: "kept in sync"."""
    box = (60, 60, 196, 196)
    draw.arc(box, 200, 340, fill=WHITE, width=22)
    draw.arc(box, 20, 160, fill=WHITE, width=22)
    draw.polygon([(196, 96), (222, 140), (166, 136)], fill=WHITE)
    draw.polygon([(60, 160), (34, 116), (90, 120)], fill=WHITE)


def spinner(frame: int) -> Painter:
    def paint(draw: ImageDraw.ImageDraw) -> None:
        start = frame * (360 // FRAMES) - 90
        draw.arc((56, 56, 200, 200), 0, 360, fill=ORANGE_DARK, width=26)
        draw.arc((56, 56, 200, 200), start, start + 110, fill=WHITE, width=26)
        draw.ellipse((112, 112, 144, 144), fill=WHITE)

    return paint


def badge_attention(draw: ImageDraw.ImageDraw) -> None:
    arrows(draw)
    draw.polygon([(176, 112), (252, 250), (100, 250)], fill=YELLOW, outline=BLACK, width=6)
    draw.rectangle((168, 150, 184, 206), fill=BLACK)
    draw.rectangle((168, 220, 184, 236), fill=BLACK)


def badge_error(draw: ImageDraw.ImageDraw) -> None:
    arrows(draw)
    draw.ellipse((112, 112, 252, 252), fill=RED, outline=WHITE, width=8)
    draw.line((148, 148, 216, 216), fill=WHITE, width=22)
    draw.line((216, 148, 148, 216), fill=WHITE, width=22)


def badge_login(draw: ImageDraw.ImageDraw) -> None:
    arrows(draw)
    draw.ellipse((112, 112, 252, 252), fill=BLUE, outline=WHITE, width=8)
    draw.arc((152, 130, 212, 196), 180, 360, fill=WHITE, width=14)
    draw.rectangle((144, 168, 220, 226), fill=WHITE)
    draw.rectangle((176, 184, 188, 210), fill=BLUE)


def paused(draw: ImageDraw.ImageDraw) -> None:
    draw.rectangle((84, 70, 116, 186), fill=WHITE)
    draw.rectangle((140, 70, 172, 186), fill=WHITE)


STATES: dict[str, tuple[tuple[int, int, int, int], Painter]] = {
    "idle": (ORANGE, arrows),
    "attention": (ORANGE, badge_attention),
    "error": (ORANGE, badge_error),
    "login": (ORANGE, badge_login),
    "paused": (GREY, paused),
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
