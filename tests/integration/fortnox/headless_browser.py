"""Stands in for the user's browser (via the BROWSER variable ``webbrowser`` honours): follows the
sandbox's auto-approve redirect to Kassasync's loopback listener."""

from __future__ import annotations

import sys

import requests

if __name__ == "__main__":
    sys.exit(0 if requests.get(sys.argv[1], timeout=10).status_code == 200 else 1)
