"""The fortnox layer (see docs/ARCHITECTURE.md)."""
