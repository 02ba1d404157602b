"""Klartext: a municipal integration concept as data, pages and documents.

Everything in this package is free of MkDocs imports except ``klartext.plugin``, the MkDocs plugin
that connects it to MkDocs events (and the staff commands that start MkDocs).
"""
