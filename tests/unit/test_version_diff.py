"""The version diff: every field in order, word-level marks, unchanged fields left alone."""

from studyapp.domain.version_diff import changed_fields, diff_versions
from tests.question_cases import GOOD_VALUES, with_option


def content(**changes) -> dict:
    values = {key: value for key, value in GOOD_VALUES.items() if key != "id"}
    return {**values, **changes}


def test_identical_versions_have_no_change():
    assert changed_fields(content(), content()) == []
    assert all(not f.changed for f in diff_versions(content(), content()))


def test_a_reworded_stem_marks_only_the_changed_words():
    [stem] = [f for f in diff_versions(content(), content(stem="Which shape has exactly four straight sides?"))
              if f.label == "Stem"]
    assert ("del", "three") in stem.old_parts and ("ins", "four") in stem.new_parts
    assert "".join(text for _, text in stem.new_parts) == "Which shape has exactly four straight sides?"


def test_moving_the_key_and_changing_a_why_are_reported_by_option():
    new = content(options=with_option(0, correct=False, why="Now wrong."))
    new["options"][1]["correct"] = True
    assert changed_fields(content(), new) == ["Option 1 correct?", "Option 1 why", "Option 2 correct?"]


def test_topic_level_tags_and_a_fifth_option_are_compared():
    new = content(topic="alpha.second", level=2, tags=["scenario"],
                  options=GOOD_VALUES["options"] + [{"text": "Pentagon", "correct": False, "why": "Five."}])
    assert changed_fields(content(), new) == ["Topic", "Level", "Option 5 text", "Option 5 why", "Tags"]
