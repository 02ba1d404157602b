"""A language variant's part of the sitemap, written without the i18n plugin's template (14fixed).

Built in processes of their own (:mod:`klartext.plugin.variants`), each variant rendered
mkdocs-static-i18n's ``sitemap.xml`` template over its pages, and MkDocs wrote that part (and a gzip
copy of it) to the site's root, where the parent then wrote the joined sitemap over it. Here the part
is put together directly from the same objects, as that template writes it (``render``, the same
text; only for the template of mkdocs-static-i18n 1.3.1, recognised by the hash of its source), and
handed to the parent without writing it: MkDocs does not build the template in that variant
(:func:`take_part`, :func:`give_back`). The sequential build (one process) keeps the template.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from markupsafe import escape

NAME = "sitemap.xml"
TEMPLATE_SHA256 = "538e71a0c68befdae40bb4e0451150b1ca424ef5b1c4f0e0e7d806640d17e5e7"
"""The hash of ``custom_i18n_sitemap/sitemap.xml`` of mkdocs-static-i18n 1.3.1, which :func:`render`
follows; any other sitemap template (another version, a project's own) is rendered by MkDocs."""

_HEAD = ('<?xml version="1.0" encoding="UTF-8"?>\n'
         '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">')


def known_template(env: Any) -> bool:
    """Whether ``env`` renders the sitemap with the template :func:`render` follows, with the settings
    it assumes (no autoescape, no finalize, Jinja's default whitespace handling)."""
    if env.autoescape is not False or env.finalize is not None or env.trim_blocks or env.lstrip_blocks \
            or env.keep_trailing_newline:
        return False
    try:
        source, filename, _ = env.loader.get_source(env, NAME)
    except Exception:  # noqa: BLE001 - not found, or a loader of another kind: MkDocs renders it
        return False
    return Path(filename).parent.name == "custom_i18n_sitemap" and \
        hashlib.sha256(source.encode("utf-8")).hexdigest() == TEMPLATE_SHA256


def render(alternates: Mapping[str, Iterable[Any]], site_url: Any) -> str:
    """What the template writes for the context ``i18n_alternates`` = ``alternates`` (each variant's
    files) and ``config.site_url`` = ``site_url``: one ``<url>`` per file with a page, its address,
    date and the addresses of the same page in every variant (``file.alternates``)."""
    out = [_HEAD]
    for files in alternates.values():
        for file in files:
            page = _get(file, "page")
            if not page or _get(page, "is_link"):
                continue
            href = _href(page)
            if href is None:
                href = f"{site_url}{_get(file, 'url')}"
            out.append(f"\n    <url>\n        <loc>{href}</loc>")
            date = _get(page, "update_date")
            if date:
                out.append(f"\n        <lastmod>{date}</lastmod>")
            out.append("\n        <changefreq>daily</changefreq>")
            for locale, other in _get(file, "alternates").items():
                link = _href(_get(other, "page"))
                if link is None:
                    url = _get(other, "url")
                    link = f"{site_url}" if url == "./" else f"{site_url}{url}"
                out.append(f'\n        <xhtml:link rel="alternate" hreflang="{locale}" href="{link}"/>')
            out.append("\n    </url>")
    out.append("\n</urlset>")
    return "".join(out)


def _href(page: Any) -> str | None:
    """``page.canonical_url | e``, else ``page.abs_url | e`` (the template's order), else None."""
    for name in ("canonical_url", "abs_url"):
        value = _get(page, name)
        if value:
            return str(escape(value))
    return None


def _get(thing: Any, name: str) -> Any:
    """``thing.name`` as Jinja reads it (an attribute, else an item; None where Jinja has Undefined,
    which is false and prints nothing)."""
    if thing is None:
        return None
    try:
        return getattr(thing, name)
    except AttributeError:
        try:
            return thing[name]
        except (TypeError, LookupError):
            return None


def take_part(env: Any, config: Any, alternates: Mapping[str, Iterable[Any]]) -> str | None:
    """In a build whose sitemap is joined from the variants' parts: this variant's part, and MkDocs
    told not to render the template in this build (:func:`give_back` undoes that). None (MkDocs
    renders it as before): the template is not the one :func:`render` follows."""
    templates = getattr(config.theme, "static_templates", None)
    if not isinstance(templates, set) or NAME not in templates or not known_template(env):
        return None
    text = render(alternates, config.site_url)
    templates.discard(NAME)
    config.theme.klartext_sitemap_taken = True
    return text


def give_back(config: Any) -> None:
    """After a build that took its part (:func:`take_part`): the template is MkDocs' again."""
    if getattr(config.theme, "klartext_sitemap_taken", False):
        config.theme.static_templates.add(NAME)
        config.theme.klartext_sitemap_taken = False
