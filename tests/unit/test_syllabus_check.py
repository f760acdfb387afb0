import shutil
from pathlib import Path

import pytest

from studyapp.domain.syllabus import load_syllabus, target_url, word_count
from studyapp.domain.syllabus_check import check_syllabus, svg_problems

FIXTURE = Path(__file__).parent.parent / "fixtures" / "syllabus"


@pytest.fixture
def syllabus_copy(tmp_path):
    root = tmp_path / "syllabus"
    shutil.copytree(FIXTURE, root)
    return root


def problems_of(root):
    return [str(p) for p in check_syllabus(load_syllabus(root))]


def test_the_fixture_syllabus_is_clean():
    syllabus = load_syllabus(FIXTURE)
    assert check_syllabus(syllabus) == []
    assert [t.id for t in syllabus.topics] == ["alpha.first", "alpha.second", "beta.only"]


def test_broken_link_is_reported_with_file_and_line(syllabus_copy):
    path = syllabus_copy / "01-alpha" / "02-second.md"
    path.write_text(path.read_text().replace("(alpha.first)", "(alpha.missing)"))
    assert problems_of(syllabus_copy) == [
        "syllabus/01-alpha/02-second.md:26: link target 'alpha.missing' is not a topic, module or page"]


def test_missing_anchor_is_reported(syllabus_copy):
    path = syllabus_copy / "01-alpha" / "index.md"
    path.write_text(path.read_text().replace("#key-idea", "#no-such-heading"))
    assert any("anchor #no-such-heading does not exist in 'alpha.first'" in p for p in problems_of(syllabus_copy))


def test_weights_must_sum_to_100(syllabus_copy):
    path = syllabus_copy / "02-beta" / "index.md"
    path.write_text(path.read_text().replace("weight: 40", "weight: 30"))
    assert any("module weights sum to 90, not 100" in p for p in problems_of(syllabus_copy))


def test_bad_front_matter_and_wrong_id_are_reported(syllabus_copy):
    (syllabus_copy / "02-beta" / "02-broken.md").write_text("---\nid: [unclosed\n---\nText\n")
    (syllabus_copy / "02-beta" / "03-misnamed.md").write_text("---\nid: beta.other\ntitle: X\nobjectives: [a]\n---\n")
    problems = problems_of(syllabus_copy)
    assert any(p.startswith("syllabus/02-beta/02-broken.md:") and "not valid YAML" in p for p in problems)
    assert any("topic id 'beta.other' should be 'beta.misnamed'" in p for p in problems)


def test_missing_sections_and_glossary_topics_are_reported(syllabus_copy):
    path = syllabus_copy / "02-beta" / "01-only.md"
    path.write_text(path.read_text().replace("## Exam traps", "## Traps"))
    glossary = syllabus_copy / "glossary.yaml"
    glossary.write_text(glossary.read_text().replace("topic: beta.only", "topic: beta.gone"))
    problems = problems_of(syllabus_copy)
    assert any("missing section(s): Exam traps" in p for p in problems)
    assert "syllabus/glossary.yaml:5: term 'Gadget' links to unknown topic 'beta.gone'" in problems


def test_duplicate_glossary_terms_are_reported(syllabus_copy):
    glossary = syllabus_copy / "glossary.yaml"
    glossary.write_text(glossary.read_text().replace("term: Gadget", "term: widget"))
    assert any("term 'widget' is defined twice" in p for p in problems_of(syllabus_copy))


@pytest.mark.parametrize(("svg", "message"), [
    ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><title>t</title><script>x()</script></svg>', "<script> is not allowed"),
    ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1" onload="x()"><title>t</title></svg>', "event attribute 'onload'"),
    ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 1 1"><title>t</title><use xlink:href="https://x.example/a.svg#b"/></svg>', "external reference"),
    ('<svg xmlns="http://www.w3.org/2000/svg"><title>t</title></svg>', "needs a viewBox"),
    ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"></svg>', "needs a <title>"),
    ("<svg", "not well-formed"),
])
def test_unsafe_or_incomplete_diagrams_are_refused(svg, message):
    assert any(message in p for p in svg_problems(svg))


def test_link_targets_map_to_reader_urls():
    syllabus = load_syllabus(FIXTURE)
    assert target_url("alpha.first#key-idea", syllabus) == "/syllabus/alpha/first#key-idea"
    assert target_url("beta", syllabus) == "/syllabus/beta"
    assert target_url("glossary#widget", syllabus) == "/syllabus/glossary#widget"
    assert target_url("about-the-exam", syllabus) == "/syllabus/about-the-exam"
    assert target_url("nowhere", syllabus) is None


def test_word_count_ignores_markdown_punctuation():
    assert word_count("## A heading\n\n- one **bold** word, [link](x.y)") == 6


def test_aliases_in_the_glossary_or_front_matter_are_refused(tmp_path):
    from studyapp.domain.syllabus import _load_glossary, Syllabus

    path = tmp_path / "glossary.yaml"
    path.write_text("terms: &t\n  - *t\n")
    syllabus = Syllabus(root=tmp_path)
    _load_glossary(syllabus, path)
    assert [p.message for p in syllabus.problems] == ["YAML anchor &t is not allowed: write the value out in full"]
