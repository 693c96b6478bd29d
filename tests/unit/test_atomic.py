"""A file replaced whole or not at all: what settings, tokens and the last result rest on."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest

from kassasync.atomic import write_atomically


def test_a_failure_mid_write_leaves_the_old_file_and_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "settings.json"
    target.write_text("old", encoding="utf-8")

    def disk_full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(OSError):
        write_atomically(target, "new")
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["settings.json"]


def test_the_new_text_replaces_the_old_and_the_folder_is_made(tmp_path: Path) -> None:
    target = tmp_path / "state" / "last-sync.json"
    write_atomically(target, "första")
    write_atomically(target, "andra")
    assert target.read_text(encoding="utf-8") == "andra"


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")
def test_a_private_file_is_the_users_alone_and_a_plain_one_readable(tmp_path: Path) -> None:
    write_atomically(tmp_path / "tokens.json", "{}", private=True)
    write_atomically(tmp_path / "kassasync.desktop", "[Desktop Entry]")
    assert stat.S_IMODE((tmp_path / "tokens.json").stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "kassasync.desktop").stat().st_mode) == 0o644
