"""Kassaavstämning: the register's days set against what Fortnox holds for them, for the accountant."""
