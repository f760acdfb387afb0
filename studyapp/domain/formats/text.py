"""Text formats of imported questions, all stored as Markdown.

Markdown is kept as it is. Plain text is escaped so it shows exactly as typed. HTML
(GIFT `[html]`, Moodle XML's default) is converted to Markdown for the common tags
(paragraphs, line breaks, bold, italics, code, lists, links) and every other tag is
dropped, keeping its text; what is left still goes through render.py's sanitizer
when shown, like every other text."""

import re
from html.parser import HTMLParser

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#|])")
_INLINE = {"b": "**", "strong": "**", "i": "*", "em": "*", "code": "`"}
_BLOCKS = {"p", "div", "ul", "ol", "table", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre"}
_DROPPED = {"script", "style", "head", "title"}


def plain_to_markdown(text: str) -> str:
    """Plain text that Markdown shows character for character."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


class _ToMarkdown(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.skipping = 0
        self.href: list[str | None] = []

    def handle_starttag(self, tag, attrs):
        if tag in _DROPPED:
            self.skipping += 1
        elif tag in _INLINE:
            self.out.append(_INLINE[tag])
        elif tag == "br":
            self.out.append("  \n")
        elif tag == "li":
            self.out.append("\n- ")
        elif tag in _BLOCKS:
            self.out.append("\n\n")
        elif tag == "a":
            href = dict(attrs).get("href") or ""
            self.href.append(href if href.startswith(("http://", "https://")) else None)
            self.out.append("[" if self.href[-1] else "")

    def handle_endtag(self, tag):
        if tag in _DROPPED:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _INLINE:
            self.out.append(_INLINE[tag])
        elif tag in _BLOCKS:
            self.out.append("\n\n")
        elif tag == "a" and self.href:
            href = self.href.pop()
            self.out.append(f"]({href})" if href else "")

    def handle_data(self, data):
        if not self.skipping:
            self.out.append(plain_to_markdown(re.sub(r"\s+", " ", data)))


def html_to_markdown(text: str) -> str:
    """Simple HTML as Markdown; unknown tags dropped (their text kept), scripts and styles dropped whole."""
    if "<" not in text and "&" not in text:
        return text
    parser = _ToMarkdown()
    parser.feed(text)
    parser.close()
    joined = "".join(parser.out)
    lines = [line.strip() if not line.endswith("  ") else line.lstrip() for line in joined.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def to_markdown(text: str, text_format: str) -> str:
    """Text in one of Moodle's formats (html, markdown, plain_text, moodle_auto_format) as Markdown."""
    if text_format in ("html", "[html]"):
        return html_to_markdown(text)
    if text_format in ("plain_text", "[plain]"):
        return plain_to_markdown(text)
    return text
