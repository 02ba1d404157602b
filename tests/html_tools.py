"""Reading built HTML in tests: tags with attributes, links, ids (standard library only)."""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path


@dataclass
class Tag:
    name: str
    attrs: dict[str, str]


@dataclass
class ParsedPage:
    tags: list[Tag] = field(default_factory=list)

    def first(self, name: str) -> Tag:
        return next(tag for tag in self.tags if tag.name == name)

    def all(self, name: str, **attrs: str) -> list[Tag]:
        return [tag for tag in self.tags if tag.name == name
                and all(attrs[key] in tag.attrs.get(key, "").split() for key in attrs)]

    @property
    def ids(self) -> set[str]:
        return {tag.attrs["id"] for tag in self.tags if "id" in tag.attrs}


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = ParsedPage()

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.page.tags.append(Tag(tag, {key: value or "" for key, value in attrs}))


def parse(path: Path) -> ParsedPage:
    collector = _Collector()
    collector.feed(path.read_text(encoding="utf-8"))
    return collector.page


def html_pages(site: Path) -> list[Path]:
    return sorted(path for path in site.rglob("*.html") if path.name != "404.html")


def resolve(site: Path, page: Path, href: str) -> tuple[Path, str] | None:
    """The file and fragment an internal ``href`` on ``page`` points at (None for external links)."""
    if re.match(r"^[a-z][a-z0-9+.-]*:", href) or href.startswith("//"):
        return None
    target, _, fragment = href.partition("#")
    if not target:
        return page, fragment
    joined = posixpath.normpath(posixpath.join(page.parent.relative_to(site).as_posix(), target))
    path = site / joined
    if href.split("#")[0].endswith("/") or path.is_dir():
        path = path / "index.html"
    return path, fragment


LOADING_ATTRIBUTES = {
    "script": "src", "img": "src", "iframe": "src", "source": "src", "audio": "src",
    "video": "src", "track": "src", "embed": "src", "object": "data", "input": "src",
}
"""Tags whose attribute makes the browser fetch something when the page loads."""
