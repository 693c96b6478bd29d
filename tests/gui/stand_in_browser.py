"""The shop owner's browser in the GUI tests: opens Fortnox's consent page, reads it, clicks "Godkänn".

``webbrowser`` runs it through ``BROWSER`` with the login address. It GETs the page the owner would see,
writes it beside itself for the test to read (``KASSASYNC_TEST_BROWSER_LOG``), and submits the consent
form with the approve button, following the redirect back to Kassasync's loopback listener as a browser
would. Exit 0 only when the form was there and Kassasync's listener answered.
"""

from __future__ import annotations

import os
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin

import requests


class ConsentForm(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.action: str | None = None
        self.fields: dict[str, str] = {}
        self.tenant: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "form":
            self.action = values.get("action")
        elif tag == "input" and values.get("type") == "hidden":
            self.fields[values["name"]] = values.get("value", "")
        elif tag == "option" and self.tenant is None:
            self.tenant = values.get("value")


def main(url: str) -> int:
    page = requests.get(url, timeout=10)
    log = os.environ.get("KASSASYNC_TEST_BROWSER_LOG")
    if log:
        Path(log).write_text(page.text, encoding="utf-8")
    form = ConsentForm()
    form.feed(page.text)
    if page.status_code != 200 or form.action is None:
        return 1
    data = {**form.fields, "decision": "approve"}
    if form.tenant:
        data["tenant"] = form.tenant
    answer = requests.post(urljoin(url, form.action), data=data, timeout=10)
    return 0 if answer.status_code == 200 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
