"""Export -> import gives the same bank: the whole shipped bank, and random questions (Hypothesis).

Full fidelity for GIFT, Moodle XML and CSV: id, text, key, why, explanation, topic,
level and tags (CSV also `see`). Aiken holds no feedback, ids, topics, levels or
tags: stems and options survive, with line breaks folded to spaces."""

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from studyapp.content.services import syllabus_index
from studyapp.domain.bank import OptionSpec, QuestionSpec, parse_bank_file, read_bank_dir
from studyapp.domain.formats import aiken, csv_format, gift, moodle_xml
from studyapp.domain.formats.mapping import resolve_topic
from studyapp.domain.question_rules import SyllabusIndex
from studyapp.domain.syllabus import load_syllabus

ROOT = Path(__file__).resolve().parents[2]
FULL = {"gift": gift, "moodlexml": moodle_xml, "csv": csv_format}


@pytest.fixture(scope="module")
def shipped():
    index = syllabus_index(load_syllabus(ROOT / "syllabus"))
    # parse_bank_file, not check_bank: the bank-wide near-duplicate scan costs seconds and is tested elsewhere.
    specs = [spec for name, raw in read_bank_dir(ROOT / "question_bank") for spec in parse_bank_file(name, raw, index)[0]]
    assert len(specs) >= 350  # the whole shipped bank, not a fixture
    return specs, index


def as_read(question, index):
    v = question.values
    return (question.idnumber, v["stem"], [(o["text"], o["correct"], o["why"]) for o in v["options"]],
            v["explanation"], resolve_topic(question, {}, index), v["level"], v["tags"])


def as_written(spec):
    return (spec.id, spec.stem, [(o.text, o.correct, o.why) for o in spec.options], spec.explanation, spec.topic,
            spec.level, list(spec.tags))


@pytest.mark.parametrize("fmt", FULL)
def test_the_whole_shipped_bank_survives_a_round_trip(fmt, shipped):
    specs, index = shipped
    parsed = FULL[fmt].parse(f"bank.{fmt}", FULL[fmt].write(specs))
    assert parsed.problems == []
    assert [as_read(q, index) for q in parsed.questions] == [as_written(s) for s in specs]


def test_csv_also_keeps_the_syllabus_section(shipped):
    specs, _ = shipped
    parsed = csv_format.parse("bank.csv", csv_format.write(specs))
    assert [q.values["see"] for q in parsed.questions] == [s.see for s in specs]


def test_aiken_keeps_stems_options_and_keys_and_loses_the_rest(shipped):
    specs, index = shipped
    parsed = aiken.parse("bank.txt", aiken.write(specs))
    assert parsed.problems == []
    folded = lambda text: " ".join(text.split())  # noqa: E731
    assert [(q.values["stem"], [(o["text"], o["correct"]) for o in q.values["options"]]) for q in parsed.questions] == [
        (folded(s.stem), [(folded(o.text), o.correct) for o in s.options]) for s in specs]
    lost = {(q.idnumber, q.values["explanation"], resolve_topic(q, {}, index), q.values["level"])
            for q in parsed.questions}
    assert lost == {("", "", None, None)}
    assert {o["why"] for q in parsed.questions for o in q.values["options"]} == {""}


# --- random questions ------------------------------------------------------------------------

TOPICS = ["principles.alpha", "delivery.beta-gamma"]
INDEX = SyllabusIndex(topic_modules={t: t.split(".")[0] for t in TOPICS})
# Any printable text, with the characters each format treats specially well represented.
_CHARS = st.one_of(st.characters(codec="utf-8", categories=("L", "N", "P", "S", "Zs")),
                   st.sampled_from(list("~=#{}:\\%'\"<>&*_[]-+@;,\n ")))
TEXT = st.text(_CHARS, min_size=1, max_size=60).map(str.strip).filter(bool)
OPTIONAL_TEXT = st.one_of(st.just(""), TEXT)
TAG = st.from_regex(r"[a-z][a-z0-9-]{0,12}", fullmatch=True).filter(lambda t: t not in ("level-1", "level-2"))


@st.composite
def questions(draw):
    texts = draw(st.lists(TEXT, min_size=2, max_size=6, unique_by=str.casefold))
    key = draw(st.integers(0, len(texts) - 1))
    options = tuple(OptionSpec(text, n == key, draw(OPTIONAL_TEXT)) for n, text in enumerate(texts))
    topic = draw(st.sampled_from(TOPICS))
    return QuestionSpec(id=f"ABC-{draw(st.integers(1, 99999)):03d}", module=topic.split(".")[0], topic=topic,
                        level=draw(st.sampled_from([1, 2])), stem=draw(TEXT), options=options,
                        explanation=draw(OPTIONAL_TEXT), tags=tuple(draw(st.lists(TAG, max_size=3, unique=True))))


@pytest.mark.parametrize("fmt", FULL)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(specs=st.lists(questions(), min_size=1, max_size=4))
def test_random_questions_survive_a_round_trip(fmt, specs):
    parsed = FULL[fmt].parse(f"random.{fmt}", FULL[fmt].write(specs))
    assert parsed.problems == []
    assert [as_read(q, INDEX) for q in parsed.questions] == [as_written(s) for s in specs]
