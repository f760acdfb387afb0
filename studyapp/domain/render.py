"""The one place where Markdown becomes HTML: python-markdown, then the nh3 allow-list.

Syllabus pages, question stems, options and explanations all go through
render_markdown(), so nothing an author or trainer types can run script in a
learner's browser."""

import re
from dataclasses import dataclass, field
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


def render_markdown(text: str, resolver: LinkResolver | None = None) -> Rendered:
    """Render untrusted Markdown to safe HTML, collecting anchors, toc and links."""
    rendered = Rendered(html="")
    md = markdown.Markdown(
        extensions=EXTENSIONS + [_InternalLinksExtension(resolver, rendered)],
        extension_configs={"toc": {"toc_depth": "2-3"}},
        output_format="html",
    )
    html = md.convert(text)
    rendered.html = sanitize_html(html)
    rendered.toc = [_toc_entry(token) for token in md.toc_tokens]
    rendered.anchors = _all_anchors(md.toc_tokens)
    return rendered


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
