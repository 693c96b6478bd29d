"""The register and Kassasync write the same file at once: nothing locked out, nothing lost."""

import subprocess
import sys
import time
from pathlib import Path

from kassasync.pos.records import Article, OutboxState, Target
from kassasync.pos.store import PosStore

RECEIPTS = 1000
REGISTER = Path(__file__).with_name("register_writer.py")


def test_a_register_writing_1000_receipts_while_the_agent_syncs_loses_nothing(store: PosStore) -> None:
    register = subprocess.Popen(
        [sys.executable, str(REGISTER), str(store.path), str(RECEIPTS)], stderr=subprocess.PIPE, text=True
    )
    posted: set[str] = set()
    rounds = 0
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        rounds += 1
        done = register.poll() is not None
        # The agent's side: a pull rewriting 500 articles, then posting what is pending.
        store.upsert_articles(
            Article(f"A{n}", f"Artikel {n} v{rounds}", 25, 100 + rounds) for n in range(500)
        )
        for receipt in store.pending_receipts(batch=100):
            assert store.mark_sending(receipt.key, Target.VOUCHER)
            assert store.mark_posted(receipt.key, f"V-{receipt.key}")
            posted.add(receipt.key)
        if done:
            break
    _, errors = register.communicate(timeout=30)
    assert register.returncode == 0, errors
    assert "locked" not in errors
    assert posted == {f"K9-{n}" for n in range(1, RECEIPTS + 1)}
    assert store.count("receipts") == RECEIPTS
    assert store.state_counts()[OutboxState.POSTED] == RECEIPTS
    assert rounds > 2  # the two really overlapped
