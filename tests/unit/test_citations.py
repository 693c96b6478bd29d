"""Every "why" in the code can be followed in a clean clone: citations point inside the repository."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ROOT / "docs" / "sources"
OUTSIDE = re.compile(r"\.\./shared|/work/shared|\bshared/(?:fortnox|design|bookkeeping)/")
CITED = {
    "REFERENCE": "REFERENCE.md",
    "FIELD.md": "FIELD.md",
    "RULES.md": "RULES.md",
    "DETAIL.md": "DETAIL.md",
}


def code_files() -> list[Path]:
    folders = ("src", "tests", "benchmarks", "installer")
    return [p for folder in folders for p in (ROOT / folder).rglob("*.py") if p != Path(__file__).resolve()]


def test_no_comment_cites_a_file_outside_the_repository() -> None:
    outside = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in code_files()
        for number, line in enumerate(path.read_text("utf-8").splitlines(), 1)
        if OUTSIDE.search(line)
    ]
    assert outside == []


def test_what_the_code_cites_is_kept_in_docs_sources() -> None:
    text = "\n".join(path.read_text("utf-8") for path in code_files())
    for name, file in CITED.items():
        if name in text:
            assert (SOURCES / file).is_file(), file


def test_a_cited_reference_section_exists() -> None:
    """``REFERENCE §4.7`` names a heading of docs/sources/REFERENCE.md (``§10.6``: item 6 of section 10)."""
    headings = set(
        re.findall(r"^#+\s*(\d+(?:\.\d+)*)\b", (SOURCES / "REFERENCE.md").read_text("utf-8"), re.M)
    )
    text = "\n".join(path.read_text("utf-8") for path in code_files())
    cited = set(re.findall(r"REFERENCE(?:\.md)?`*\s*§\s*(\d+(?:\.\d+)*)", text))
    unknown = {number for number in cited if number not in headings and number.split(".")[0] not in headings}
    assert unknown == set()
