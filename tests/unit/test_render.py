from html.parser import HTMLParser

import pytest

from studyapp.domain.render import heading_slug, render_markdown

HOSTILE = [
    ("<script>alert(1)</script>", "<script"),
    ('<img src="x" onerror="alert(1)">', "onerror="),
    ("[click](javascript:alert(1))", "javascript:"),
    ('<a href="https://example.org" onclick="steal()">x</a>', "onclick"),
    ("<iframe src='https://evil.example'></iframe>", "<iframe"),
    ('![x](javascript:alert(1))', "javascript:"),
    ("<div style='background:url(javascript:alert(1))'>x</div>", "style="),
    ("[x](JaVaScRiPt:alert(1))", "avascript:"),
    ("[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)", "data:"),
]


class Elements(HTMLParser):
    """Collects the real elements and attributes of a page (escaped text is not one)."""

    def __init__(self, html: str):
        super().__init__()
        self.elements: list[tuple[str, dict]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))


@pytest.mark.parametrize(("markdown", "forbidden"), HOSTILE)
def test_hostile_markdown_renders_harmless(markdown, forbidden):
    for tag, attributes in Elements(render_markdown(markdown).html).elements:
        assert tag not in {"script", "iframe", "object", "embed", "style"}
        assert not [name for name in attributes if name.startswith("on") or name == "style"]
        for name in ("href", "src"):
            value = (attributes.get(name) or "").strip().lower()
            assert not value.startswith(("javascript:", "data:", "vbscript:")), (forbidden, value)


def test_raw_html_is_shown_as_text_not_passed_on():
    html = render_markdown("Use <b>bold</b> and <script>x()</script>").html
    assert "&lt;b&gt;" in html and "&lt;script&gt;" in html


def test_headings_get_stable_anchors_and_a_toc():
    rendered = render_markdown("## Clear line of sight\n\n### Director's role\n")
    assert '<h2 id="clear-line-of-sight">' in rendered.html
    assert rendered.anchors == ["clear-line-of-sight", "directors-role"]
    assert rendered.toc[0]["children"][0]["id"] == "directors-role"
    assert heading_slug("Director's role") == "directors-role"


def test_internal_links_are_resolved_and_external_links_kept():
    rendered = render_markdown("[a](principles.x#y) [b](https://example.org)", lambda t: f"/s/{t}")
    assert 'href="/s/principles.x#y"' in rendered.html
    assert 'href="https://example.org"' in rendered.html
    assert rendered.links == ["principles.x#y"]


def test_tables_and_admonitions_survive_sanitizing():
    html = render_markdown('| a | b |\n|---|---|\n| 1 | 2 |\n\n!!! warning "Exam trap"\n    Careful.\n').html
    assert "<table>" in html and "<td>1</td>" in html
    assert '<div class="admonition warning">' in html and '<p class="admonition-title">Exam trap</p>' in html


def test_unknown_classes_are_dropped():
    html = render_markdown('!!! evil "x"\n    y\n').html
    assert "evil" not in html
