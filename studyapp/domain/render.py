"""The one place where Markdown becomes HTML: python-markdown, then the nh3 allow-list.

Syllabus pages, question stems, options and explanations all go through
render_markdown(), so nothing an author or trainer types can run script in a
learner's browser."""

import re
import threading
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable
from xml.etree.ElementTree import Element

import markdown
import nh3
from markdown.extensions import Extension
from markdown.extensions.toc import slugify
from markdown.treeprocessors import Treeprocessor

EXTENSIONS = [
    "toc", "tables", "admonition", "sane_lists", "attr_list",
    "pymdownx.superfences", "pymdownx.betterem",
]

_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
ALLOWED_TAGS = {
    "a", "abbr", "blockquote", "br", "code", "dd", "div", "dl", "dt", "em", "hr", "img",
    "li", "ol", "p", "pre", "span", "strong", "sub", "sup", "table", "tbody", "td", "th",
    "thead", "tr", "ul",
} | _HEADINGS
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "td": {"align"},
    "th": {"align"},
    **{h: {"id"} for h in _HEADINGS},
}
ALLOWED_CLASSES = {
    "div": {"admonition", "note", "warning", "tip", "important", "example"},
    "p": {"admonition-title"},
}

LinkResolver = Callable[[str], str | None]


def heading_slug(text: str) -> str:
    """The anchor python-markdown's toc extension gives a heading."""
    return slugify(text, "-")


@dataclass
class Rendered:
    html: str
    anchors: list[str] = field(default_factory=list)
    toc: list[dict] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    images: list[str] = field(default_factory=list)


class _InternalLinks(Treeprocessor):
    """Rewrites links written as content ids (`principles.strategy-alignment#x`) to URLs."""

    def __init__(self, md, resolver: LinkResolver | None, seen: Rendered):
        super().__init__(md)
        self.resolver = resolver
        self.seen = seen

    def run(self, root: Element) -> None:
        for element in root.iter():
            attribute = {"a": "href", "img": "src"}.get(element.tag)
            target = element.get(attribute) if attribute else None
            if not target or _is_external(target):
                continue
            (self.seen.links if element.tag == "a" else self.seen.images).append(target)
            url = self.resolver(target) if self.resolver else None
            if url is not None:
                element.set(attribute, url)


class _InternalLinksExtension(Extension):
    def __init__(self, resolver: LinkResolver | None, seen: Rendered):
        super().__init__()
        self.resolver, self.seen = resolver, seen

    def extendMarkdown(self, md):
        # Raw HTML is not part of our Markdown: it is shown as text, never passed on.
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        # After inline patterns (priority 20) have made the <a> and <img> elements.
        md.treeprocessors.register(_InternalLinks(md, self.resolver, self.seen), "internal_links", 5)


def _is_external(target: str) -> bool:
    return bool(re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:|^/|^#", target))


def sanitize_html(html: str) -> str:
    """Keep only the allow-listed tags, attributes, classes and URL schemes."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        allowed_classes=ALLOWED_CLASSES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )


class _Renderer:
    """One python-markdown converter, reused: building one costs far more than a short
    conversion, and a mock result converts about 500 fragments. Not thread-safe, so
    each thread keeps its own (see _renderer)."""

    def __init__(self):
        self.links = _InternalLinksExtension(None, Rendered(html=""))
        self.md = markdown.Markdown(extensions=EXTENSIONS + [self.links],
                                    extension_configs={"toc": {"toc_depth": "2-3"}}, output_format="html")
        self.processor = self.md.treeprocessors["internal_links"]

    def render(self, text: str, resolver: LinkResolver | None) -> Rendered:
        rendered = Rendered(html="")
        self.processor.resolver, self.processor.seen = resolver, rendered
        self.md.reset()
        rendered.html = sanitize_html(self.md.convert(text))
        rendered.toc = [_toc_entry(token) for token in self.md.toc_tokens]
        rendered.anchors = _all_anchors(self.md.toc_tokens)
        return rendered


_local = threading.local()


def _renderer() -> _Renderer:
    if not hasattr(_local, "renderer"):
        _local.renderer = _Renderer()
    return _local.renderer


def render_markdown(text: str, resolver: LinkResolver | None = None) -> Rendered:
    """Render untrusted Markdown to safe HTML, collecting anchors, toc and links."""
    return _renderer().render(text, resolver)


@lru_cache(maxsize=8192)
def render_fragment(text: str) -> str:
    """Safe HTML of a question's text (stem, option, why, explanation), cached by the text itself.

    The same text always renders to the same HTML (no resolver, no state), so the cache
    can never serve a stale page: an edited question is a different text. 8,192 entries
    hold a 5,000-question bank's hot fragments in a few megabytes."""
    return render_markdown(text).html


def _toc_entry(token: dict) -> dict:
    return {
        "id": token["id"], "name": token["name"],
        "children": [{"id": c["id"], "name": c["name"]} for c in token["children"]],
    }


def _all_anchors(tokens: list[dict]) -> list[str]:
    anchors = []
    for token in tokens:
        anchors.append(token["id"])
        anchors.extend(_all_anchors(token["children"]))
    return anchors
