"""GIFT reading: a table of good inputs over the syntax, a table of bad ones with exact messages and lines."""

import pytest

from studyapp.domain.formats import gift


def only(text: str):
    parsed = gift.parse("q.gift", text)
    assert parsed.problems == [], parsed.problems
    assert len(parsed.questions) == 1
    return parsed.questions[0]


def options(question):
    return [(o["text"], o["correct"], o["why"]) for o in question.values["options"]]


GOOD = [
    # (input, stem, options, explanation)
    ("Which cycle ranks the initiatives? {=Definition ~Delivery ~Neither}",
     "Which cycle ranks the initiatives?", [("Definition", True, ""), ("Delivery", False, ""), ("Neither", False, "")], ""),
    ("Pick one {\n  =Right#Because it is.\n  ~Wrong#Because it is not.\n  ####The lesson.\n}",
     "Pick one", [("Right", True, "Because it is."), ("Wrong", False, "Because it is not.")], "The lesson."),
    (r"Escapes \: \# \= \{ \} \~ \\ stay {=a\=b ~c\~d#why \#1}",
     "Escapes : # = { } ~ \\ stay", [("a=b", True, ""), ("c~d", False, "why #1")], ""),
    (r"Two\nlines {=x ~y}", "Two\nlines", [("x", True, ""), ("y", False, "")], ""),
    ("[markdown]Is **this** bold? {=yes ~no}", "Is **this** bold?", [("yes", True, ""), ("no", False, "")], ""),
    ("[html]<p>Is <b>this</b> bold?</p> {=<i>yes</i> ~no}", "Is **this** bold?", [("*yes*", True, ""), ("no", False, "")], ""),
    ("[plain]Is *this* <b>plain</b>? {=yes ~no}", r"Is \*this\* \<b\>plain\</b\>?", [("yes", True, ""), ("no", False, "")], ""),
    ("The portfolio office {=supports ~replaces} the board.", "The portfolio office _____ the board.",
     [("supports", True, ""), ("replaces", False, "")], ""),
    ("Weights {=%100%right ~%0%wrong}", "Weights", [("right", True, ""), ("wrong", False, "")], ""),
]


@pytest.mark.parametrize("text, stem, expected, explanation", GOOD)
def test_good_gift_reads_as_expected(text, stem, expected, explanation):
    question = only(text)
    assert question.values["stem"] == stem
    assert options(question) == expected
    assert question.values["explanation"] == explanation


def test_title_comments_id_tags_and_category_are_kept():
    text = ("// a file comment, on its own\n\n$CATEGORY: $course$/top/Imported/Principles\n\n"
            "// [id:EXT-9] [tag:definition] [tag:level-2]\n::Principle one::Which? {=A ~B}\n")
    question = only(text)
    assert (question.title, question.idnumber, question.category) == ("Principle one", "EXT-9",
                                                                     "$course$/top/Imported/Principles")
    assert question.values["tags"] == ["definition"] and question.values["level"] == 2
    assert question.identity == "id:EXT-9"
    assert question.line == 6  # the first line of the question itself, after its comment


def test_questions_are_separated_by_blank_lines_and_keep_their_own_lines():
    parsed = gift.parse("q.gift", "First? {=a ~b}\n\n\n// note\nSecond?\n{=c ~d}\n")
    assert [(q.values["stem"], q.line) for q in parsed.questions] == [("First?", 1), ("Second?", 5)]


def test_identity_falls_back_to_title_then_stem():
    assert only("::Name::Q? {=a ~b}").identity == "name:Name"
    assert only("A   long\\nquestion? {=a ~b}").identity == "stem:A long question?"


BAD = [
    ("Q? {}", "essay questions (empty braces) are not supported: only single-answer multiple choice"),
    ("Q? {#5:1}", "numerical questions are not supported: only single-answer multiple choice"),
    ("Q? {T}", "true/false questions are not supported: the exam asks one of four options"),
    ("Q? {=a -> 1 =b -> 2 =c -> 3}", "matching questions are not supported: only single-answer multiple choice"),
    ("Q? {=four =4}", "short-answer questions (only = answers) are not supported: add wrong options with ~"),
    ("Q? {~a ~b ~c}", "no option is marked correct"),
    ("Q? {~%50%a ~%50%b ~c}", "partial-credit answers (%50%) are not supported: one option is right"),
    ("Q? {=a =b ~c}", "2 options are marked correct; exactly one must be"),
    ("Q? {=a}", "short-answer questions (only = answers) are not supported: add wrong options with ~"),
    ("Q? {=a ~}", "an option has no text"),
    ("Q? {=a ~b", "unbalanced braces: the { of the answers is never closed"),
    ("Q? =a ~b}", "unbalanced braces: a } with no {"),
    ("Q? {=a {~b}}", "unbalanced braces: a { inside the answers (write \\{ for a brace in the text)"),
    ("Q? {=a ~b} and {=c ~d}", "unbalanced braces: more than one answer block (write \\{ and \\} for braces in the text)"),
    ("Just a description.", "no answers in braces { }: descriptions and essays are not imported"),
    (r"Q\x? {=a ~b}", r"unknown escape \x: only \: \# \= \{ \} \~ \n and \\ are escapes"),
    ("::No end Q? {=a ~b}", "the title has no closing ::"),
    ("Q? {junk =a ~b}", "text 'junk' before the first answer: answers start with = or ~"),
]


@pytest.mark.parametrize("text, message", BAD)
def test_bad_gift_is_refused_with_its_reason_and_line(text, message):
    parsed = gift.parse("bad.gift", "Fine? {=a ~b}\n\n// comment\n" + text + "\n")
    assert len(parsed.questions) == 1
    assert [(p.file, p.line, p.message) for p in parsed.problems] == [("bad.gift", 4, message)]


def test_every_bad_question_is_listed_at_once():
    parsed = gift.parse("b.gift", "A? {}\n\nB? {~x ~y}\n\nC? {=x ~y}\n")
    assert [p.line for p in parsed.problems] == [1, 3]
    assert [q.values["stem"] for q in parsed.questions] == ["C?"]


def test_writer_escapes_what_the_reader_unescapes():
    text = "a:b#c=d{e}f~g\\h\ni"
    assert gift.escape(text) == "a\\:b\\#c\\=d\\{e\\}f\\~g\\\\h\\ni"
    assert only(f"{gift.escape(text)} {{={gift.escape(text)} ~x}}").values["stem"] == text
