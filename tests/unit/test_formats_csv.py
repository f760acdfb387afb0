"""The CSV template: separators, Excel's BOM, quoted newlines, formula guards and refusals by row line."""

import pytest

from studyapp.domain.formats import csv_format, detect

HEADER = "id,topic,level,stem,option_a,why_a,option_b,why_b,option_c,why_c,option_d,why_d,correct,explanation,tags"


def read(text: str, name="bank.csv"):
    fmt, parsed = detect.parse_file(name, text.encode("utf-8"))
    assert fmt == "csv"
    return parsed


def test_a_row_is_a_question_with_every_column():
    parsed = read(HEADER + "\nPRI-900,principles.x,2,Which?,A1,wa,B1,wb,C1,wc,D1,wd,c,Lesson,\"list, scenario\"\n")
    assert parsed.problems == []
    [question] = parsed.questions
    values = question.values
    assert (question.idnumber, question.category, values["level"], values["tags"]) == (
        "PRI-900", "principles.x", 2, ["list", "scenario"])
    assert [o["correct"] for o in values["options"]] == [False, False, True, False]
    assert values["options"][0] == {"text": "A1", "correct": False, "why": "wa"}


def test_excel_bom_semicolons_and_quoted_newlines():
    text = "\ufeff" + HEADER.replace(",", ";") + '\n;;;"Two\nlines?";a;;b;;;;;;A;;\n'
    [question] = read(text).questions
    assert question.values["stem"] == "Two\nlines?"
    assert question.line == 2


def test_two_option_rows_need_only_two_columns_filled():
    [question] = read("stem,option_a,option_b,correct\nQ?,yes,no,B\n").questions
    assert [o["correct"] for o in question.values["options"]] == [False, True]


def test_guarded_cells_lose_their_apostrophe_on_the_way_in():
    [question] = read("stem,option_a,option_b,correct\n'=1+1?,'-5,'@x,A\n").questions
    assert question.values["stem"] == "=1+1?"
    assert [o["text"] for o in question.values["options"]] == ["-5", "@x"]


@pytest.mark.parametrize("cell, written", [
    ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"), ("+1", "'+1"), ("-1", "'-1"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\tx", "'\tx"), ("\rx", "'\rx"), ("plain", "plain"),
    ("'=", "''="), ("''-1", "'''-1"), ("'x", "'x"), ("'", "'"),
])
def test_export_guards_formula_cells(cell, written):
    assert csv_format.guard(cell) == written


@pytest.mark.parametrize("stem", ["'=", "''=x", "'x", "'", "=1", "it's = 2"])
def test_a_stem_that_looks_guarded_already_reads_back_as_written(stem):
    # Found by the round-trip property test: "'=" was written as "''=" and read back unchanged.
    written = f"stem,option_a,option_b,correct\n{csv_format.guard(stem)},a,b,A\n"
    assert read(written).questions[0].values["stem"] == stem


@pytest.mark.parametrize("row, message", [
    ("Q?,a,b,,,,", "no option is marked correct"),
    ("Q?,a,b,,,E", "correct is 'E', not the letter of an option (A to B)"),
    ("Q?,a,,c,,A", "an option column is empty between filled ones"),
    ("Q?,a,,,,A", "a question needs at least 2 options; this one has 1"),
    (",a,b,,,A", "the question has no text"),
    ("Q?,a,b,,3,A", "level must be 1 (know) or 2 (understand)"),
])
def test_bad_rows_are_refused_with_their_line(row, message):
    parsed = read("stem,option_a,option_b,option_c,level,correct\nFine?,x,y,,,A\n" + row + "\n")
    assert [(p.line, p.message) for p in parsed.problems] == [(3, message)]
    assert len(parsed.questions) == 1


def test_a_header_without_the_template_columns_is_refused():
    parsed = csv_format.parse("b.csv", "question,answer\nQ?,a\n")
    assert [(p.line, p.message) for p in parsed.problems] == [
        (1, "missing column(s) stem, option_a, option_b, correct; unknown column(s) question, answer "
            f"(the template's columns: {', '.join(csv_format.COLUMNS)})")]
