"""Moodle XML reading: CDATA, format attributes, categories, ids and tags; refusals by element line."""

import pytest

from studyapp.domain.formats import moodle_xml

QUESTION = """<question type="multichoice">
  <name><text>Office role</text></name>
  <questiontext format="{fmt}"><text><![CDATA[{stem}]]></text></questiontext>
  <generalfeedback format="{fmt}"><text>{general}</text></generalfeedback>
  <idnumber>{idnumber}</idnumber>
  <single>{single}</single>
  <answer fraction="100"><text>Supports decisions</text><feedback><text>It advises.</text></feedback></answer>
  <answer fraction="{wrong}"><text>Makes decisions</text><feedback><text>The board decides.</text></feedback></answer>
  {extra}
</question>"""


def quiz(*questions: str) -> str:
    return '<?xml version="1.0" encoding="UTF-8"?>\n<quiz>\n' + "\n".join(questions) + "\n</quiz>\n"


def question(fmt="html", stem="<p>What does the <b>portfolio office</b> do?</p>", general="Advice, not decisions.",
             idnumber="", single="true", wrong="0", extra=""):
    return QUESTION.format(fmt=fmt, stem=stem, general=general, idnumber=idnumber, single=single, wrong=wrong, extra=extra)


def test_cdata_html_is_converted_to_markdown_and_feedback_kept():
    parsed = moodle_xml.parse("q.xml", quiz(question(idnumber="OFF-1")))
    assert parsed.problems == []
    [read] = parsed.questions
    assert read.values["stem"] == "What does the **portfolio office** do?"
    assert read.values["explanation"] == "Advice, not decisions."
    assert [(o["text"], o["correct"], o["why"]) for o in read.values["options"]] == [
        ("Supports decisions", True, "It advises."), ("Makes decisions", False, "The board decides.")]
    assert (read.title, read.idnumber, read.line) == ("Office role", "OFF-1", 3)


@pytest.mark.parametrize("fmt, stem, expected", [
    ("markdown", "Is *this* kept?", "Is *this* kept?"),
    ("plain_text", "Is *this* <b>kept</b>?", r"Is \*this\* \<b\>kept\</b\>?"),
    ("html", "<p>One</p><p>Two<br>three</p><script>alert(1)</script>", "One\n\nTwo  \nthree"),
    ("moodle_auto_format", "Auto text", "Auto text"),
])
def test_format_attributes(fmt, stem, expected):
    [read] = moodle_xml.parse("q.xml", quiz(question(fmt=fmt, stem=stem))).questions
    assert read.values["stem"] == expected


def test_categories_and_tags_travel_with_the_questions():
    category = '<question type="category"><category><text>$course$/top/MoP/Roles</text></category></question>'
    tags = "<tags><tag><text>roles</text></tag><tag><text>level-2</text></tag></tags>"
    [read] = moodle_xml.parse("q.xml", quiz(category, question(extra=tags))).questions
    assert read.category == "$course$/top/MoP/Roles"
    assert (read.values["tags"], read.values["level"]) == (["roles"], 2)


BAD = [
    (question(single="false"), "multiple-answer questions (<single>false</single>) are not supported: one option is right"),
    (question(wrong="50"), "partial-credit answers (fraction 50) are not supported: one option is right"),
    (question(wrong="100"), "2 options are marked correct; exactly one must be"),
    (question(extra='<file name="a.png" encoding="base64">AAAA</file>'),
     "embedded files (<file>) are not imported: remove the picture or link to it"),
    ('<question type="essay"><name><text>E</text></name></question>',
     "question type 'essay' is not supported: only single-answer multichoice"),
    ('<question type="truefalse"><name><text>T</text></name></question>',
     "question type 'truefalse' is not supported: only single-answer multichoice"),
]


@pytest.mark.parametrize("bad, message", BAD)
def test_bad_questions_are_refused_at_their_element_line(bad, message):
    parsed = moodle_xml.parse("q.xml", quiz(question(), bad))
    assert len(parsed.questions) == 1
    assert [(p.line, p.message) for p in parsed.problems] == [(13, message)]


@pytest.mark.parametrize("text, line, message", [
    ("<quiz>\n<question type='multichoice'>\n</quiz>", 3,
     "malformed XML: mismatched tag (line 3, column 3)"),
    ("<quiz></quiz><x/>", 1, "malformed XML: junk after document element (line 1, column 14)"),
    ("<questions/>", 1, "the root element is <questions>; a Moodle XML file holds <quiz>"),
    ('<?xml version="1.0"?>\n<!DOCTYPE quiz SYSTEM "file:///etc/passwd">\n<quiz/>', 2,
     "the file declares a DTD or entities (<!DOCTYPE ...>), which are refused: they can expand without limit or read other files"),
])
def test_bad_files_are_refused_whole(text, line, message):
    parsed = moodle_xml.parse("q.xml", text)
    assert parsed.questions == []
    assert [(p.line, p.message) for p in parsed.problems] == [(line, message)]
