"""The Anki deck: one note per question, a GUID stable per question id, sanitized HTML on both sides."""

import io
import sqlite3
import zipfile

import genanki

from studyapp.domain.bank import OptionSpec, QuestionSpec
from studyapp.domain.formats import anki


def spec(question_id="PRI-001", stem="Which **principle**?", why="It is <script>alert(1)</script> the one."):
    return QuestionSpec(id=question_id, module="principles", topic="principles.x", level=1, stem=stem,
                        options=(OptionSpec("Strategy alignment", True, why), OptionSpec("Portfolio office", False, "")),
                        explanation="Five principles.", tags=("list",))


def notes(data: bytes, tmp_path) -> list[tuple]:
    path = tmp_path / "collection.anki2"
    path.write_bytes(zipfile.ZipFile(io.BytesIO(data)).read("collection.anki2"))
    with sqlite3.connect(path) as connection:
        return connection.execute("select guid, flds, tags from notes order by id").fetchall()


def test_each_question_is_a_note_whose_guid_follows_its_id(tmp_path):
    rows = notes(anki.write([spec("PRI-001"), spec("PRI-002", stem="Another?")]), tmp_path)
    assert [guid for guid, _, _ in rows] == [genanki.guid_for("PRI-001"), genanki.guid_for("PRI-002")]


def test_an_updated_export_keeps_the_guid_so_anki_updates_the_card(tmp_path):
    first = notes(anki.write([spec()]), tmp_path)
    second = notes(anki.write([spec(stem="Which principle, reworded?")]), tmp_path)
    assert first[0][0] == second[0][0] and first[0][1] != second[0][1]


def test_front_has_stem_and_options_back_has_answer_whys_and_explanation(tmp_path):
    [(_, fields, tags)] = notes(anki.write([spec()]), tmp_path)
    front, back, question_id = fields.split("\x1f")
    assert "<strong>principle</strong>" in front and "Strategy alignment" in front and "Portfolio office" in front
    assert "Answer: A" in back and "Five principles." in back and "It is" in back
    assert "<script" not in back and "<script" not in front
    assert question_id == "PRI-001"
    assert tags.split() == ["list", "principles"]
