"""Helpers for the two-level local government briefings.

Data flows one way: raw text (``data/raw``) -> :mod:`helpers.ingest.parsers` ->
validated tables (``data/processed``) -> statistics -> notebooks -> HTML.
"""

__version__ = "0.1.0"
