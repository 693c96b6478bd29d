"""A local Fortnox (API v3 + OAuth2) for tests and the demo; imports nothing of kassasync.

No machine of ours reaches Fortnox, so every test of the agent is only as good as this simulator's
fidelity. docs/fortnox-api.md lists what it implements, with sources, and what it does not.
"""
