"""Moodle XML: single-answer multichoice questions in, the same out.

Parsed with defusedxml: a DTD (and so any entity, internal or external) is refused
before it can expand. The Moodle-XML readers on PyPI handle few elements and swallow
errors, so this is our own: every refused question is named by its <question>
element's line. `<file>` attachments are refused (the question says why), since a
draft that silently lost its picture could be published wrong."""

import xml.etree.ElementTree as ET

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

from studyapp.domain.formats.common import (
    ImportedQuestion, Parsed, count_problem, export_tags, level_and_tags, make_values, structure_problems,
)
from studyapp.domain.formats.text import to_markdown
from studyapp.domain.problems import Problem

CARRIES = frozenset({"stem", "options", "why", "explanation", "topic", "level", "tags"})


class XmlQuestionError(ValueError):
    pass


class _LineBuilder(ET.TreeBuilder):
    """Remembers the line each element starts on (ElementTree keeps no positions)."""

    def __init__(self):
        super().__init__()
        self.parser: DefusedXMLParser | None = None
        self.lines: dict[ET.Element, int] = {}

    def start(self, tag, attrs):
        element = super().start(tag, attrs)
        self.lines[element] = self.parser.parser.CurrentLineNumber
        return element


def _parse_tree(name: str, text: str) -> tuple[ET.Element | None, dict, Problem | None]:
    builder = _LineBuilder()
    parser = DefusedXMLParser(target=builder, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    builder.parser = parser
    try:
        parser.feed(text)
        return parser.close(), builder.lines, None
    except DefusedXmlException:
        line = parser.parser.CurrentLineNumber
        return None, {}, Problem(name, line, "the file declares a DTD or entities (<!DOCTYPE ...>), which are refused: "
                                             "they can expand without limit or read other files")
    except ET.ParseError as error:
        line, column = error.position
        reason = str(error).split(": line ", 1)[0]
        return None, {}, Problem(name, line, f"malformed XML: {reason} (line {line}, column {column + 1})")


def parse(name: str, text: str) -> Parsed:
    """Every multichoice question of a Moodle XML text, or the reason each other one is refused."""
    root, lines, problem = _parse_tree(name, text)
    if problem:
        return Parsed(carries=CARRIES, problems=[problem])
    if root.tag != "quiz":
        return Parsed(carries=CARRIES, problems=[Problem(name, 1, f"the root element is <{root.tag}>; "
                                                                  "a Moodle XML file holds <quiz>")])
    parsed, category = Parsed(carries=CARRIES), ""
    elements = root.findall("question")
    too_many = count_problem(name, len(elements))
    if too_many:
        return Parsed(carries=CARRIES, problems=[too_many])
    for element in elements:
        kind = element.get("type", "")
        if kind == "category":
            category = _text(element.find("category")).strip()
            continue
        try:
            parsed.questions.append(_question(name, lines.get(element, 1), element, kind, category))
        except XmlQuestionError as error:
            parsed.problems.append(Problem(name, lines.get(element, 1), str(error)))
    return parsed


def _text(element: ET.Element | None, text_format: str | None = None) -> str:
    """The <text> child of a Moodle text element, in Markdown; '' if absent."""
    if element is None:
        return ""
    child = element.find("text")
    value = (child.text or "") if child is not None else ""
    return to_markdown(value.strip(), text_format or element.get("format", "html")) if text_format != "raw" else value


def _question(name: str, line: int, element: ET.Element, kind: str, category: str) -> ImportedQuestion:
    label = element.findtext("name/text", "").strip()
    if kind != "multichoice":
        raise XmlQuestionError(f"question type {kind or '(none)'!r} is not supported: only single-answer multichoice")
    if element.find(".//file") is not None:
        raise XmlQuestionError("embedded files (<file>) are not imported: remove the picture or link to it")
    if element.findtext("single", "true").strip().lower() in ("false", "0"):
        raise XmlQuestionError("multiple-answer questions (<single>false</single>) are not supported: one option is right")
    text_element = element.find("questiontext")
    stem_format = text_element.get("format", "html") if text_element is not None else "html"
    options = [_option(answer, stem_format) for answer in element.findall("answer")]
    stem = _text(text_element)
    problems = structure_problems(options, stem)
    if problems:
        raise XmlQuestionError("; ".join(problems))
    level, tags = level_and_tags([tag.findtext("text", "").strip() for tag in element.findall("tags/tag")])
    return ImportedQuestion(make_values(stem, options, _text(element.find("generalfeedback")), level=level, tags=tags),
                            name, line, title=label, idnumber=element.findtext("idnumber", "").strip(),
                            category=category)


def _option(answer: ET.Element, default_format: str) -> dict:
    raw = answer.get("fraction", "0")
    try:
        fraction = float(raw)
    except ValueError:
        raise XmlQuestionError(f"answer fraction {raw!r} is not a number") from None
    if fraction not in (0.0, 100.0):
        raise XmlQuestionError(f"partial-credit answers (fraction {raw}) are not supported: one option is right")
    text_format = answer.get("format", default_format)
    return {"text": _text(answer, text_format), "correct": fraction == 100.0, "why": _text(answer.find("feedback"))}


# --- writing -----------------------------------------------------------------------------------

def write(specs) -> str:
    """Moodle XML for QuestionSpecs: a category per topic, Markdown texts, idnumber, tags with the level."""
    quiz = ET.Element("quiz")
    category = None
    for spec in specs:
        wanted = f"$course$/top/{spec.module}/{spec.topic}"
        if wanted != category:
            holder = ET.SubElement(quiz, "question", type="category")
            _text_child(ET.SubElement(holder, "category"), wanted)
            category = wanted
        quiz.append(_question_element(spec))
    ET.indent(quiz)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(quiz, encoding="unicode") + "\n"


def _text_child(parent: ET.Element, value: str) -> ET.Element:
    ET.SubElement(parent, "text").text = value
    return parent


def _question_element(spec) -> ET.Element:
    question = ET.Element("question", type="multichoice")
    _text_child(ET.SubElement(question, "name"), spec.id)
    _text_child(ET.SubElement(question, "questiontext", format="markdown"), spec.stem)
    _text_child(ET.SubElement(question, "generalfeedback", format="markdown"), spec.explanation)
    for tag, value in (("defaultgrade", "1"), ("penalty", "0.3333333"), ("hidden", "0"), ("idnumber", spec.id),
                       ("single", "true"), ("shuffleanswers", "true"), ("answernumbering", "abc")):
        ET.SubElement(question, tag).text = value
    for option in spec.options:
        answer = _text_child(ET.SubElement(question, "answer", fraction="100" if option.correct else "0",
                                           format="markdown"), option.text)
        _text_child(ET.SubElement(answer, "feedback", format="markdown"), option.why)
    tags = ET.SubElement(question, "tags")
    for tag in export_tags(spec.level, spec.tags):
        _text_child(ET.SubElement(tags, "tag"), tag)
    return question
