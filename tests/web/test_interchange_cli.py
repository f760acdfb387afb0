"""`studyapp bank import` of GIFT/Aiken/XML/CSV files and `bank export --format`: drafts, updates, atomicity."""

import zipfile

from sqlalchemy import func, select

from studyapp.content.questions import spec_of
from studyapp.extensions import db
from studyapp.models import AuditEntry, Question, Status
from tests.conftest import ROOT, close_app, make_app

GIFT = """$CATEGORY: $course$/top/Imported/First things

// [id:ext-1] [tag:definition]
::Alpha one::Which letter comes first? {
=A#It opens the alphabet.
~B#It is second.
~C
####Alphabetical order.
}

::Alpha two::Which number is even? {=Two ~Three ~Five}
"""


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def mapping(tmp_path, text="First things: alpha.first\n"):
    return write(tmp_path, "map.yaml", text)


def questions(app, **where):
    with app.app_context():
        statement = select(Question).order_by(Question.id)
        for key, value in where.items():
            statement = statement.where(getattr(Question, key) == value)
        return [(q.id, q.status, q.topic_id, q.source_ref, q.current_version.version)
                for q in db.session.scalars(statement)]


def test_gift_questions_arrive_as_drafts_in_the_mapped_topic(app, runner, tmp_path):
    result = runner.invoke(args=["bank", "import", "--mapping", mapping(tmp_path), write(tmp_path, "q.gift", GIFT)])
    assert result.exit_code == 0, result.output
    assert "2 new (as drafts), 0 updated, 0 unchanged, 0 conflicts, 0 refused" in result.output
    assert questions(app, status=Status.DRAFT) == [("ALP-001", "draft", "alpha.first", "id:ext-1", 1),
                                                   ("ALP-002", "draft", "alpha.first", "name:Alpha two", 1)]
    with app.app_context():
        version = db.session.get(Question, "ALP-001").current_version
        assert version.options[0] == {"text": "A", "correct": True, "why": "It opens the alphabet."}
        assert version.explanation == "Alphabetical order." and version.tags == ["definition"]
        assert db.session.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "import")) == 2


def test_a_reimport_updates_instead_of_duplicating(app, runner, tmp_path):
    path = write(tmp_path, "q.gift", GIFT)
    runner.invoke(args=["bank", "import", "--mapping", mapping(tmp_path), path])
    again = runner.invoke(args=["bank", "import", "--mapping", mapping(tmp_path), path])
    assert "0 new (as drafts), 0 updated, 2 unchanged" in again.output
    write(tmp_path, "q.gift", GIFT.replace("Which number is even?", "Which of these numbers is even?"))
    changed = runner.invoke(args=["bank", "import", "--mapping", mapping(tmp_path), path])
    assert "0 new (as drafts), 1 updated, 1 unchanged" in changed.output, changed.output
    assert [row[-1] for row in questions(app, status=Status.DRAFT)] == [1, 2]


def test_a_file_with_a_bad_question_imports_nothing_and_lists_every_problem(app, runner, tmp_path):
    bad = GIFT + "\nNo right answer? {~x ~y}\n\nAn essay? {}\n"
    path = write(tmp_path, "bad.gift", bad)
    result = runner.invoke(args=["bank", "import", "--mapping", mapping(tmp_path), path])
    assert result.exit_code == 1
    assert f"{path}:13: no option is marked correct" in result.output
    assert f"{path}:15: essay questions (empty braces) are not supported" in result.output
    assert "2 problem(s); nothing was changed." in result.output
    assert questions(app, status=Status.DRAFT) == []


def test_skip_bad_imports_the_good_ones_and_lists_the_skipped(app, runner, tmp_path):
    path = write(tmp_path, "bad.gift", GIFT + "\nNo right answer? {~x ~y}\n")
    result = runner.invoke(args=["bank", "import", "--skip-bad", "--mapping", mapping(tmp_path), path])
    assert result.exit_code == 0
    assert f"skipped: {path}:13: no option is marked correct" in result.output
    assert len(questions(app, status=Status.DRAFT)) == 2


def test_an_unmapped_category_arrives_as_drafts_waiting_for_a_topic(app, runner, tmp_path):
    path = write(tmp_path, "q.gift", GIFT)
    result = runner.invoke(args=["bank", "import", path])
    assert result.exit_code == 0, result.output
    assert "2 new (as drafts), 2 waiting for a topic, 0 updated" in result.output
    assert "waiting for a topic (map the category with --mapping" in result.output and ": NEW-001, NEW-002" in result.output
    assert questions(app, status=Status.DRAFT) == [("NEW-001", "draft", None, "id:ext-1", 1),
                                                   ("NEW-002", "draft", None, "name:Alpha two", 1)]
    with app.app_context():
        assert db.session.get(Question, "NEW-001").module_id is None
        assert runner.invoke(args=["bank", "export", "--format", "gift", "--out", str(tmp_path / "b.gift")]).exit_code == 0
    assert "NEW-00" not in (tmp_path / "b.gift").read_text()
    mapped = runner.invoke(args=["bank", "import", "--mapping", mapping(tmp_path), path])
    assert "0 new (as drafts), 2 updated" in mapped.output and "waiting" not in mapped.output, mapped.output
    assert [(q[0], q[2], q[4]) for q in questions(app, status=Status.DRAFT)] == [("NEW-001", "alpha.first", 2),
                                                                                ("NEW-002", "alpha.first", 2)]
    with app.app_context():
        assert db.session.get(Question, "NEW-001").module_id == "alpha"


def test_export_skips_drafts_waiting_for_a_topic_and_says_so(app, runner, tmp_path):
    runner.invoke(args=["bank", "import", write(tmp_path, "q.gift", GIFT)])
    for fmt in ("gift", "aiken", "moodlexml", "csv", "apkg"):
        out = tmp_path / f"bank.{fmt}"
        result = runner.invoke(args=["bank", "export", "--format", fmt, "--out", str(out)])
        assert result.exit_code == 0, result.output
        assert "skipped 2 drafts waiting for a topic" in result.output
    assert "Which number is even" not in (tmp_path / "bank.gift").read_text()
    result = runner.invoke(args=["bank", "export", "--out", str(tmp_path / "yaml")])
    assert result.exit_code == 0 and "skipped 2 drafts waiting for a topic" in result.output, result.output
    assert not any("NEW-00" in p.read_text() for p in (tmp_path / "yaml").glob("*.yaml"))


def test_a_mapping_to_an_unknown_topic_is_refused(app, runner, tmp_path):
    result = runner.invoke(args=["bank", "import", "--mapping", mapping(tmp_path, "First things: alpha.nope\n"),
                                 write(tmp_path, "q.gift", GIFT)])
    assert result.exit_code == 1 and "'First things' maps to unknown topic 'alpha.nope'" in result.output


def test_aiken_and_csv_with_a_named_format(app, runner, tmp_path):
    aiken = write(tmp_path, "a.txt", "Which is a vowel?\nA. E\nB. K\nANSWER: A\n")
    csv = write(tmp_path, "b.data", "stem;option_a;option_b;correct;topic\nWhich is odd?;4;7;B;beta.only\n")
    assert runner.invoke(args=["bank", "import", "--mapping", mapping(tmp_path, "x: alpha.first\n"), "--format",
                               "csv", csv]).exit_code == 0
    result = runner.invoke(args=["bank", "import", aiken])
    assert "1 new (as drafts), 1 waiting for a topic" in result.output, result.output
    assert [(q[0], q[2]) for q in questions(app, status=Status.DRAFT)] == [("BET-001", "beta.only"), ("NEW-001", None)]


def test_a_web_edited_question_is_a_conflict_unless_overwrite(app, runner, tmp_path):
    path = write(tmp_path, "q.gift", GIFT)
    runner.invoke(args=["bank", "import", "--mapping", mapping(tmp_path), path])
    with app.app_context():
        db.session.get(Question, "ALP-001").synced_state = "edited-in-the-web"
        db.session.commit()
    write(tmp_path, "q.gift", GIFT.replace("=A#", "=A letter#"))
    result = runner.invoke(args=["bank", "import", "--mapping", mapping(tmp_path), path])
    assert "conflict: ALP-001" in result.output and "0 updated" in result.output
    forced = runner.invoke(args=["bank", "import", "--overwrite", "--mapping", mapping(tmp_path), path])
    assert "1 updated" in forced.output


def test_export_writes_each_format(app, runner, tmp_path):
    for fmt in ("gift", "aiken", "moodlexml", "csv", "apkg"):
        out = tmp_path / f"bank.{fmt}"
        result = runner.invoke(args=["bank", "export", "--format", fmt, "--module", "beta", "--out", str(out)])
        assert result.exit_code == 0 and "(4 questions" in result.output, result.output
    assert (tmp_path / "bank.gift").read_text().count("::TST-") == 4
    assert zipfile.is_zipfile(tmp_path / "bank.apkg")
    assert runner.invoke(args=["bank", "export", "--module", "gamma", "--out", str(tmp_path)]).exit_code == 1


def test_the_shipped_bank_round_trips_through_every_full_format(tmp_path):
    app = make_app(tmp_path, syllabus=ROOT / "syllabus", bank=ROOT / "question_bank")
    try:
        runner = app.test_cli_runner()
        with app.app_context():
            before = {q.id: spec_of(q) for q in db.session.scalars(select(Question))}
        for fmt in ("gift", "moodlexml", "csv"):
            out = tmp_path / f"bank.{fmt}"
            assert runner.invoke(args=["bank", "export", "--format", fmt, "--out", str(out)]).exit_code == 0
            result = runner.invoke(args=["bank", "import", str(out)])
            assert f"0 new (as drafts), 0 updated, {len(before)} unchanged, 0 conflicts, 0 refused" in result.output
        with app.app_context():
            assert {q.id: spec_of(q) for q in db.session.scalars(select(Question))} == before
    finally:
        close_app(app)
