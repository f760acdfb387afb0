"""`studyapp syllabus check`: everything that can be wrong with the syllabus, at once."""

import re
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

from studyapp.domain.problems import Problem
from studyapp.domain.render import heading_slug
from studyapp.domain.syllabus import REQUIRED_TOPIC_SECTIONS, Syllabus, render_doc, target_url

_SVG_NS = "{http://www.w3.org/2000/svg}"


def check_syllabus(syllabus: Syllabus) -> list[Problem]:
    """Return every problem: front matter, ids, weights, links, anchors, glossary, diagrams."""
    problems = list(syllabus.problems)
    problems += _duplicate_ids(syllabus)
    total = sum(m.weight for m in syllabus.modules)
    if syllabus.modules and total != 100:
        problems.append(Problem(syllabus.rel(syllabus.root), 0, f"module weights sum to {total}, not 100"))
    for module in syllabus.modules:
        if not any(t.module_id == module.id for t in syllabus.topics):
            problems.append(Problem(syllabus.rel(module.path), 1, f"module {module.id!r} has no topics"))
    anchors = {doc_id: render_doc(body, syllabus).anchors for doc_id, body, _ in _documents(syllabus)}
    anchors["glossary"] = [entry.slug for entry in syllabus.glossary]
    for doc_id, body, path in _documents(syllabus):
        problems += _link_problems(syllabus, body, path, anchors)
    for topic in syllabus.topics:
        missing = [s for s in REQUIRED_TOPIC_SECTIONS if heading_slug(s) not in anchors[topic.id]]
        if missing:
            problems.append(Problem(syllabus.rel(topic.path), 1, f"missing section(s): {', '.join(missing)}"))
    problems += _glossary_problems(syllabus)
    problems += _diagram_problems(syllabus)
    return sorted(problems)


def _documents(syllabus: Syllabus):
    yield from ((m.id, m.body, m.path) for m in syllabus.modules)
    yield from ((t.id, t.body, t.path) for t in syllabus.topics)
    yield from ((p.id, p.body, p.path) for p in syllabus.pages)


def _duplicate_ids(syllabus: Syllabus) -> list[Problem]:
    problems = []
    docs = list(_documents(syllabus))
    counts = Counter(doc_id for doc_id, _, _ in docs)
    for doc_id, _, path in docs:
        if counts[doc_id] > 1:
            problems.append(Problem(syllabus.rel(path), 1, f"id {doc_id!r} is used more than once"))
    return problems


def _link_problems(syllabus: Syllabus, body: str, path: Path, anchors: dict) -> list[Problem]:
    problems = []
    rendered = render_doc(body, syllabus)
    text = path.read_text(encoding="utf-8")
    for target in rendered.links:
        line = _line_of(text, f"]({target}")
        page, _, anchor = target.partition("#")
        if target_url(target, syllabus) is None:
            problems.append(Problem(syllabus.rel(path), line, f"link target {target!r} is not a topic, module or page"))
        elif anchor and anchor not in anchors.get(page, []):
            problems.append(Problem(syllabus.rel(path), line, f"anchor #{anchor} does not exist in {page!r}"))
    for src in rendered.images:
        line = _line_of(text, f"]({src}")
        if not src.startswith("diagrams/") or not (syllabus.root / src).is_file():
            problems.append(Problem(syllabus.rel(path), line, f"image {src!r} is not a file in syllabus/diagrams"))
    for match in re.finditer(r"!\[\s*\]\(", text):
        problems.append(Problem(syllabus.rel(path), text.count("\n", 0, match.start()) + 1, "image without alt text"))
    return problems


def _line_of(text: str, needle: str) -> int:
    index = text.find(needle)
    return text.count("\n", 0, index) + 1 if index >= 0 else 1


def _glossary_problems(syllabus: Syllabus) -> list[Problem]:
    problems = []
    path = syllabus.rel(syllabus.root / "glossary.yaml")
    seen: set[str] = set()
    for entry in syllabus.glossary:
        if entry.term.lower() in seen:
            problems.append(Problem(path, entry.line, f"term {entry.term!r} is defined twice"))
        seen.add(entry.term.lower())
        if syllabus.topic(entry.topic) is None:
            problems.append(Problem(path, entry.line, f"term {entry.term!r} links to unknown topic {entry.topic!r}"))
        if "\n" in entry.definition:
            problems.append(Problem(path, entry.line, f"definition of {entry.term!r} must be one line"))
    return problems


def _diagram_problems(syllabus: Syllabus) -> list[Problem]:
    problems = []
    for path in sorted((syllabus.root / "diagrams").glob("*.svg")):
        for message in svg_problems(path.read_text(encoding="utf-8")):
            problems.append(Problem(syllabus.rel(path), 1, message))
    return problems


def svg_problems(text: str) -> list[str]:
    """Reasons an SVG diagram is unsafe or incomplete (script, events, external refs, no title)."""
    try:
        root = ET.fromstring(text)
    except ET.ParseError as error:
        return [f"not well-formed XML: {error}"]
    problems = []
    if root.tag != f"{_SVG_NS}svg":
        problems.append("root element must be <svg> in the SVG namespace")
    if "viewBox" not in root.attrib:
        problems.append("<svg> needs a viewBox")
    if root.find(f"{_SVG_NS}title") is None:
        problems.append("<svg> needs a <title> for assistive technology")
    for element in root.iter():
        name = element.tag.removeprefix(_SVG_NS)
        if name in {"script", "foreignObject", "iframe", "image"}:
            problems.append(f"<{name}> is not allowed")
        for attribute, value in element.attrib.items():
            local = attribute.rsplit("}", 1)[-1]
            if local.lower().startswith("on"):
                problems.append(f"event attribute {local!r} is not allowed")
            if local == "href" and not value.startswith("#"):
                problems.append(f"external reference {value!r} is not allowed")
    return problems
