"""The shape the next engineer relies on: small modules, each named in the architecture map."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "src" / "kassasync"
MAX_LINES = 400


def modules() -> list[Path]:
    return sorted(
        p for p in PACKAGE.rglob("*.py") if p.name != "__init__.py" and "__pycache__" not in p.parts
    )


def test_no_module_is_over_400_lines() -> None:
    long = {
        str(p.relative_to(PACKAGE)): n
        for p in modules()
        if (n := len(p.read_text("utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}


def test_every_module_is_on_the_architecture_map() -> None:
    """docs/ARCHITECTURE.md's layout names each module, one a line, indented under its package."""
    text = (ROOT / "docs" / "ARCHITECTURE.md").read_text("utf-8")
    layout = text.split("## Layout", 1)[1].split("\n## ", 1)[0]
    tree = layout.split("src/kassasync/\n", 1)[1]
    named: set[str] = set()
    folders: list[str] = []
    for line in tree.splitlines():
        indent = (len(line) - len(line.lstrip(" "))) // 2
        entry = line.strip().split(" ", 1)[0]
        if indent == 0 and entry:
            break  # past src/kassasync/
        if not entry:
            continue
        folders = folders[: indent - 1]
        if entry.endswith("/"):
            folders.append(entry.rstrip("/"))
        elif entry.endswith(".py"):
            named.add("/".join([*folders, entry]))
    missing = [str(p.relative_to(PACKAGE)) for p in modules() if str(p.relative_to(PACKAGE)) not in named]
    assert missing == []
