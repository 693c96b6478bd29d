"""From install to the first good sync, alone: the shop owner's whole way through the tray (issue 16).

Everything is done as the owner does it, with the pointer and the keyboard in a real X server (Xvfb,
trayer as the tray host, dunst showing notifications on a D-Bus session bus), and everything is read
off the screen by OCR (tray_pointer.py, window_pointer.py): the icon's menu, the settings dialog, the
notification, the problems window. The browser is a stand-in (stand_in_browser.py) that opens the
sandbox's consent page and presses "Godkänn". Only Fortnox itself is the sandbox, and the sandbox is
where the test checks the books: one paid invoice per receipt.

first start → set-up state (the settings open by themselves) → Bläddra → Bokföring: kundfaktura with
the cash customer, Lagermodul → log in through the consent page → Schema → OK → Synkronisera → the icon
spins → the notification → the status header; then a period locked in Fortnox → the problem in the menu
→ "Visa problem..." with the remedy → the period unlocked → "Försök igen" → good. Screenshots of each
step go to tests/artifacts/way-*.png (docs/anvandarguide.md shows them).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest

from fortnox_sandbox.testing import RunningSandbox, running_sandbox
from kassasync.pos.demo import make_demo_company
from kassasync.pos.records import OutboxState
from kassasync.pos.store import PosStore, company_file

from . import tray_pointer as pointer
from . import window_pointer as window
from .conftest import ARTIFACTS, screenshot, wait_for

pytestmark = pytest.mark.gui

SETTINGS = "Kassasync – inställningar"
FILE_DIALOG = "Välj kassans företagsfil"
PROBLEMS = "Kassasync – problem"
STAND_IN_BROWSER = Path(__file__).with_name("stand_in_browser.py")
KASSA = Path(tempfile.gettempdir()) / "Kassa"


@pytest.fixture
def fortnox() -> Iterator[RunningSandbox]:
    """The demo company in Fortnox, asking for consent as Fortnox does (no auto-approve)."""
    with running_sandbox(seed="demo", test_mode=True, auto_approve=False, rate_limit=10_000) as sandbox:
        sandbox.configure_tenant(warehouse=True, allow_negative_stock=True)  # Fortnox Lager is on
        tenant = sandbox.state.tenant("demo")  # the core catalogue: a first pull in seconds, not minutes
        for number in [n for n in tenant.articles if n.isdigit() and int(n) >= 5000]:
            del tenant.articles[number]
        for key in [k for k in tenant.prices if k[1] not in tenant.articles]:
            del tenant.prices[key]
        yield sandbox


@pytest.fixture
def notifications(tray_host: str) -> Iterator[dict[str, str]]:
    """A D-Bus session bus with dunst on it: notifications appear on the screen, as on a desktop."""
    bus = subprocess.run(
        ["dbus-daemon", "--session", "--fork", "--print-address=1", "--print-pid=1"],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "DISPLAY": tray_host},
    ).stdout.split()
    address, pid = bus[0], int(bus[1])
    env = {"DISPLAY": tray_host, "DBUS_SESSION_BUS_ADDRESS": address}
    dunst = subprocess.Popen(
        ["dunst", "-config", "/dev/null"],
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield env
    finally:
        dunst.terminate()
        dunst.wait(timeout=5)
        os.kill(pid, signal.SIGTERM)


def kassasync(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "kassasync", *args], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def icon_frames(display: str, seconds: float) -> list[bytes]:
    """The icon as the tray host shows it, grabbed for ``seconds``: the spinner's frames differ."""
    frames: list[bytes] = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        box = pointer.icon_box(display)
        if box is not None:
            frames.append(pointer.grab(display, box, "way-icon-frame").tobytes())
        time.sleep(0.1)
    return frames


def notification_text(display: str, name: str) -> str:
    """dunst's popup, read off the screen."""
    assert wait_for(lambda: window.window_of(display, "^Dunst$") is not None, 30.0), "no notification shown"
    found = window.window_of(display, "^Dunst$")
    assert found is not None
    box = pointer._geometry(display, found)
    return window.text_of(window.words_in(pointer.grab(display, box, name), box))


def titled(display: str, text: str, timeout: float = 90.0) -> None:
    assert wait_for(lambda: text in pointer.icon_title(display), timeout), pointer.icon_title(display)


def test_a_shop_owner_gets_from_install_to_a_good_sync_alone(
    tray_host: str, notifications: dict[str, str], tmp_path: Path, fortnox: RunningSandbox
) -> None:
    display = tray_host
    KASSA.mkdir(exist_ok=True)
    # A folder as a register keeps it (the guide's pictures show it; xdotool types ASCII only).
    shop = Path(tempfile.mkdtemp(prefix="Butik-", dir=KASSA))
    make_demo_company(company_file(shop), days=1).close()
    browser_log = tmp_path / "consent.html"
    env = {
        **os.environ,
        **notifications,
        "PYSTRAY_BACKEND": "gtk",
        "KASSASYNC_HOME": str(tmp_path / "home"),
        "KASSASYNC_CLIENT_ID": fortnox.client_id,  # what the Windows build bakes in
        "KASSASYNC_CLIENT_SECRET": fortnox.client_secret,
        "KASSASYNC_TOKEN_STORE": "file",
        "KASSASYNC_STARTUP_SYNC_DELAY_S": "3600",
        "BROWSER": f"{sys.executable} {STAND_IN_BROWSER} %s",
        "KASSASYNC_TEST_BROWSER_LOG": str(browser_log),
    }
    # Where Fortnox is: support's way to point the agent at the sandbox (nothing the owner sets).
    kassasync(env, "config", "set", "fortnox.api_url", fortnox.api_url)
    kassasync(env, "config", "set", "fortnox.auth_url", f"{fortnox.base_url}/oauth-v1")
    kassasync(env, "config", "set", "fortnox.redirect_port", "0")

    agent = subprocess.Popen(
        [sys.executable, "-m", "kassasync", "tray"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        # 1. First start: the set-up state, and the settings open by themselves; no red icon, no sync.
        pointer.wait_for_icon(display)
        window.wait_for_window(display, SETTINGS)
        screenshot(display, "way-01-first-start")
        assert "fel" not in pointer.icon_title(display).lower(), pointer.icon_title(display)

        # 2. Bläddra: the register's company file.
        window.click_word(display, SETTINGS, "Bläddra...", "way-02-settings-empty")
        window.wait_for_window(display, FILE_DIALOG)
        window.type_text(display, str(company_file(shop)))
        window.key(display, "Return")
        assert wait_for(
            lambda: "Hörnbutiken" in window.text_of(window.read_words(display, SETTINGS, "way-03-company")),
            15.0,
        )

        # 3. Bokföring: paid customer invoices to the cash customer, and the stock module.
        window.click_word(display, SETTINGS, "Bokföring", "way-04-before-bokforing")
        window.click_word(display, SETTINGS, "Kundfaktura", "way-05-bokforing")
        window.click_word(display, SETTINGS, "Lagermodul", "way-06-kundfaktura")  # focus ring moved on
        words = window.read_words(display, SETTINGS, "way-07-lagermodul")
        label = window.find_word(words, "(kundnr)")
        pointer.click(display, label.box.x + label.box.width + 40, label.box.centre[1])
        window.key(display, "ctrl+a")
        window.key(display, "End", "shift+Home", "BackSpace")
        window.type_text(display, "1")
        window.read_words(display, SETTINGS, "way-08-bokforing-done")  # the window, for the guide

        # 4. Kassa och Fortnox: log in; the stand-in browser approves on Fortnox's consent page.
        window.click_word(display, SETTINGS, "Kassa", "way-09-before-login")
        window.click_word(display, SETTINGS, "Logga", "way-10-login")
        assert wait_for(
            lambda: "Inloggad" in window.text_of(window.read_words(display, SETTINGS, "way-11-logged-in")),
            30.0,
        )
        assert "Godkänn integration" in browser_log.read_text(encoding="utf-8")

        # 5. Schema och start: the default schedule, seen; then OK.
        window.click_word(display, SETTINGS, "Schema", "way-12-before-schema")
        window.read_words(display, SETTINGS, "way-13-schema")
        window.click_word(display, SETTINGS, "OK", "way-14-ok", topmost=False)
        assert wait_for(lambda: window.window_of(display, SETTINGS) is None, 10.0), "OK did not close"

        # 6. Synkronisera: the icon spins, the notification tells, the status header keeps it.
        titled(display, "Kassasync:", 10.0)
        pointer.click_item(display, "Synkronisera")
        frames = icon_frames(display, 2.0)
        assert len(set(frames)) >= 2, "the icon did not spin"
        titled(display, "Kassasync: allt klart")
        told = notification_text(display, "way-15-notification")
        screenshot(display, "way-15-notification-screen")
        assert "kvitt" in told.lower(), told
        lines = pointer.read_menu(display, "way-16-status-header-crop")
        pointer.screenshot_with_menu(display, "way-16-status-header")
        texts = [line.text for line in lines]
        assert any(pointer.similar(t, "Senast idag") and "skickade" in t for t in texts), texts
        assert any(pointer.similar(t[:5], "Nästa") for t in texts), texts
        pointer.close_menu(display)
        with PosStore.open(company_file(shop)) as store:
            keys = [entry.receipt for entry in store.outbox_entries()]
            assert store.state_counts()[OutboxState.PAID] == len(keys) > 0  # paid invoices, all
        invoices = fortnox.counters()["invoices_by_reference"]
        assert all(invoices.get(key) == 1 for key in keys), invoices  # one invoice per receipt

        # 7. The period is locked in Fortnox; a new receipt is held back, and the menu says why.
        tenant = fortnox.state.tenant("demo")
        tenant.lock_period(date.today() + timedelta(days=1))
        with PosStore.open(company_file(shop)) as store:
            sold = next(iter(store.receipts_in_state(OutboxState.PAID)))
            later = sold.model_copy(update={"receipt_number": 9001})
            assert store.add_receipt(later)
        pointer.click_item(display, "Synkronisera")
        titled(display, "ett problem håller kvar kvitton")
        lines = pointer.read_menu(display, "way-17-held-crop")
        pointer.screenshot_with_menu(display, "way-17-held")
        texts = [line.text for line in lines]
        assert any(pointer.similar(t[:20], "Perioden till och med") for t in texts), texts
        pointer.click_item(display, "Visa problem...")
        words = window.read_words(display, PROBLEMS, "way-18-problems-window")
        shown = window.text_of(words)
        assert "låst" in shown and "Fortnox" in shown, shown  # the problem with its remedy, in full

        # 8. Unlocked in Fortnox; "Försök igen" sends the held receipt, once.
        tenant.lock_period(None)
        window.click_word(display, PROBLEMS, "Försök", "way-19-retry", topmost=False)  # the button
        titled(display, "Kassasync: allt klart")
        with PosStore.open(company_file(shop)) as store:
            entry = store.outbox_entry(later.key)
            assert entry is not None and entry.state is OutboxState.PAID
        assert fortnox.counters()["invoices_by_reference"].get(later.key) == 1
        lines = pointer.read_menu(display, "way-20-good-again-crop")
        pointer.screenshot_with_menu(display, "way-20-good-again")
        pointer.close_menu(display)
    finally:
        shutil.rmtree(shop, ignore_errors=True)
        agent.send_signal(signal.SIGTERM)
        try:
            agent.wait(timeout=10)
        except subprocess.TimeoutExpired:
            agent.kill()
            agent.wait()
        (ARTIFACTS / "way-agent-stderr.txt").write_bytes(agent.stderr.read() if agent.stderr else b"")
