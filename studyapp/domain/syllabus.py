"""Reading and checking the syllabus folder (format in docs/authoring.md)."""

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from studyapp.domain.problems import Problem
from studyapp.domain.render import Rendered, heading_slug, render_markdown
from studyapp.domain.safe_yaml import LOADER, plain_yaml_problem

URL_PREFIX = "/syllabus"
REQUIRED_TOPIC_SECTIONS = ("Worked example", "Exam traps", "Summary", "Related topics")
_FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n?(.*)\Z", re.DOTALL)
_MODULE_DIR = re.compile(r"^(\d\d)-([a-z][a-z0-9-]*)$")
_TOPIC_FILE = re.compile(r"^(\d\d)-([a-z][a-z0-9-]*)\.md$")


@dataclass
class ModuleDoc:
    id: str
    title: str
    weight: int
    order: int
    body: str
    path: Path


@dataclass
class TopicDoc:
    id: str
    module_id: str
    slug: str
    title: str
    objectives: list[str]
    order: int
    body: str
    path: Path


@dataclass
class PageDoc:
    id: str
    title: str
    body: str
    path: Path


@dataclass
class GlossaryEntry:
    term: str
    definition: str
    topic: str
    line: int

    @property
    def slug(self) -> str:
        return heading_slug(self.term)


@dataclass
class Syllabus:
    root: Path
    modules: list[ModuleDoc] = field(default_factory=list)
    topics: list[TopicDoc] = field(default_factory=list)
    pages: list[PageDoc] = field(default_factory=list)
    glossary: list[GlossaryEntry] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # Checking, indexing and storing all need each page rendered: render it once.
    _rendered: dict[str, Rendered] = field(default_factory=dict, repr=False)

    def topic(self, topic_id: str) -> TopicDoc | None:
        return next((t for t in self.topics if t.id == topic_id), None)

    def module_ids(self) -> set[str]:
        return {m.id for m in self.modules}

    def rel(self, path: Path) -> str:
        try:
            return str(path.relative_to(self.root.parent))
        except ValueError:
            return str(path)


def word_count(markdown_text: str) -> int:
    """Words of prose, ignoring Markdown punctuation and link targets."""
    prose = re.sub(r"\]\([^)]*\)", "]", markdown_text)
    return len(re.findall(r"[A-Za-z0-9][A-Za-z0-9'’-]*", prose))


def topic_url(topic_id: str, anchor: str | None = None) -> str:
    module_id, _, slug = topic_id.partition(".")
    url = f"{URL_PREFIX}/{module_id}/{slug}"
    return f"{url}#{anchor}" if anchor else url


def see_url(see: str) -> str:
    """URL of a question's `see` target: a topic id with an optional #anchor."""
    topic_id, _, anchor = see.partition("#")
    return topic_url(topic_id, anchor or None)


def target_url(target: str, syllabus: Syllabus) -> str | None:
    """URL of an internal link target (topic id, module id, page, glossary, diagram)."""
    page, _, anchor = target.partition("#")
    suffix = f"#{anchor}" if anchor else ""
    if page.startswith("diagrams/") and not anchor:
        return f"{URL_PREFIX}/{page}"
    if page == "glossary" or any(p.id == page for p in syllabus.pages):
        return f"{URL_PREFIX}/{page}{suffix}"
    if page in syllabus.module_ids():
        return f"{URL_PREFIX}/{page}{suffix}"
    if syllabus.topic(page):
        return topic_url(page, anchor or None)
    return None


def load_syllabus(root: Path) -> Syllabus:
    """Parse every module, topic, page and the glossary; problems are collected, not raised."""
    syllabus = Syllabus(root=root)
    if not root.is_dir():
        syllabus.problems.append(Problem(str(root), 0, "syllabus folder not found"))
        return syllabus
    for folder in sorted(p for p in root.iterdir() if p.is_dir() and p.name != "diagrams"):
        _load_module(syllabus, folder)
    for path in sorted(root.glob("*.md")):
        meta, body = _read_front_matter(syllabus, path, required=("id", "title"))
        if meta is not None:
            syllabus.pages.append(PageDoc(str(meta["id"]), str(meta["title"]), body, path))
    _load_glossary(syllabus, root / "glossary.yaml")
    return syllabus


def _load_module(syllabus: Syllabus, folder: Path) -> None:
    match = _MODULE_DIR.match(folder.name)
    if not match:
        syllabus.problems.append(Problem(syllabus.rel(folder), 0, "module folder must be named NN-<module>"))
        return
    meta, body = _read_front_matter(syllabus, folder / "index.md", required=("id", "title", "weight", "order"))
    if meta is None:
        return
    module = ModuleDoc(str(meta["id"]), str(meta["title"]), meta["weight"], meta["order"], body, folder / "index.md")
    if module.id != match.group(2):
        _problem(syllabus, module.path, f"module id {module.id!r} does not match folder {folder.name!r}")
    if not isinstance(module.weight, int) or isinstance(module.weight, bool) or module.weight < 0:
        _problem(syllabus, module.path, "weight must be a whole number of percent")
        module.weight = 0
    syllabus.modules.append(module)
    for path in sorted(folder.glob("*.md")):
        if path.name != "index.md":
            _load_topic(syllabus, module, path)


def _load_topic(syllabus: Syllabus, module: ModuleDoc, path: Path) -> None:
    match = _TOPIC_FILE.match(path.name)
    if not match:
        _problem(syllabus, path, "topic file must be named NN-<topic>.md")
        return
    meta, body = _read_front_matter(syllabus, path, required=("id", "title", "objectives"))
    if meta is None:
        return
    topic_id = str(meta["id"])
    expected = f"{module.id}.{match.group(2)}"
    if topic_id != expected:
        _problem(syllabus, path, f"topic id {topic_id!r} should be {expected!r} (module folder and file name)")
    objectives = meta["objectives"]
    if not (isinstance(objectives, list) and objectives and all(isinstance(o, str) and o.strip() for o in objectives)):
        _problem(syllabus, path, "objectives must be a non-empty list of sentences")
        objectives = []
    syllabus.topics.append(TopicDoc(
        id=topic_id, module_id=module.id, slug=topic_id.partition(".")[2], title=str(meta["title"]),
        objectives=objectives, order=int(match.group(1)), body=body, path=path,
    ))


def _read_front_matter(syllabus: Syllabus, path: Path, required: tuple[str, ...]):
    if not path.is_file():
        _problem(syllabus, path, "file is missing")
        return None, ""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        _problem(syllabus, path, f"not valid UTF-8 ({error.reason})")
        return None, ""
    match = _FRONT_MATTER.match(text)
    if not match:
        _problem(syllabus, path, "front matter missing: the file must start with a --- block", line=1)
        return None, ""
    try:
        unsafe = plain_yaml_problem(match.group(1))
        if unsafe:
            _problem(syllabus, path, f"front matter: {unsafe[1]}", line=unsafe[0] + 1)
            return None, ""
        meta = yaml.load(match.group(1), Loader=LOADER)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        _problem(syllabus, path, f"front matter is not valid YAML: {getattr(error, 'problem', error)}",
                 line=(mark.line + 2) if mark else 1)
        return None, ""
    if not isinstance(meta, dict):
        _problem(syllabus, path, "front matter must be a mapping", line=1)
        return None, ""
    missing = [key for key in required if key not in meta]
    if missing:
        _problem(syllabus, path, f"front matter lacks {', '.join(missing)}", line=1)
        return None, ""
    return meta, match.group(2)


def _load_glossary(syllabus: Syllabus, path: Path) -> None:
    if not path.is_file():
        return
    try:
        text = path.read_text(encoding="utf-8")
        unsafe = plain_yaml_problem(text)
        if unsafe:
            _problem(syllabus, path, unsafe[1], line=unsafe[0])
            return
        node = yaml.compose(text, Loader=LOADER)
        data = yaml.load(text, Loader=LOADER)
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        _problem(syllabus, path, f"glossary is not valid YAML: {error}")
        return
    if not isinstance(data, dict) or not isinstance(data.get("terms"), list):
        _problem(syllabus, path, "glossary must be a mapping with a list under 'terms'", line=1)
        return
    term_nodes = dict(node.value)
    lines = [n.start_mark.line + 1 for n in next(v for k, v in term_nodes.items() if k.value == "terms").value]
    for entry, line in zip(data["terms"], lines):
        if not isinstance(entry, dict) or not all(isinstance(entry.get(k), str) and entry[k].strip() for k in ("term", "definition", "topic")):
            _problem(syllabus, path, "each term needs non-empty term, definition and topic", line=line)
            continue
        syllabus.glossary.append(GlossaryEntry(entry["term"].strip(), entry["definition"].strip(), entry["topic"].strip(), line))


def _problem(syllabus: Syllabus, path: Path, message: str, line: int = 1) -> None:
    syllabus.problems.append(Problem(syllabus.rel(path), line, message))


def render_doc(body: str, syllabus: Syllabus) -> Rendered:
    """A page of this syllabus rendered with its internal links resolved (cached per syllabus)."""
    if body not in syllabus._rendered:
        syllabus._rendered[body] = render_markdown(body, lambda target: target_url(target, syllabus))
    return syllabus._rendered[body]
