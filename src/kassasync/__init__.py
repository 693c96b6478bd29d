"""Kassasync: keeps a Swedish shop's cash register and its Fortnox books in step."""

__version__ = "0.1.0"
