"""Klartext: a municipal integration concept as data, pages and documents.

Everything in this package is free of MkDocs imports except ``hooks/klartext_mkdocs.py``,
the thin adapter that connects it to MkDocs events.
"""
