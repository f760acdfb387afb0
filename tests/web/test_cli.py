import shutil

import yaml
from sqlalchemy import func, select

from studyapp.extensions import db
from studyapp.models import Answer, Question, QuestionVersion, User
from tests.conftest import FIXTURES, answer, start_session


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def bank_copy(tmp_path):
    folder = tmp_path / "bank"
    shutil.copytree(FIXTURES / "bank", folder)
    return folder


def edit_question(path, question_id, **changes):
    data = yaml.safe_load(path.read_text())
    question = next(q for q in data["questions"] if q["id"] == question_id)
    question.update(changes)
    path.write_text(yaml.safe_dump(data, sort_keys=False))


def test_bank_check_passes_on_a_good_bank(runner):
    result = runner.invoke(args=["bank", "check"])
    assert result.exit_code == 0 and "11 questions OK" in result.output


def test_bank_check_lists_every_problem_as_file_line_message(runner, tmp_path):
    folder = bank_copy(tmp_path)
    text = (folder / "alpha.yaml").read_text().replace("topic: alpha.second", "topic: alpha.zzz", 1)
    (folder / "alpha.yaml").write_text(text.replace("level: 1", "level: 5", 1))
    result = runner.invoke(args=["bank", "check", str(folder)])
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if ".yaml:" in line]
    assert len(lines) == 2
    assert any(f"{folder / 'alpha.yaml'}:" in line and "unknown topic 'alpha.zzz'" in line for line in lines)
    assert any("level must be 1 (know) or 2 (understand)" in line for line in lines)


def test_import_is_idempotent(app, runner):
    versions = count(app, QuestionVersion)
    result = runner.invoke(args=["bank", "import"])
    assert result.exit_code == 0 and "0 added, 0 changed (new version), 11 unchanged, 0 retired, 0 conflicts" in result.output
    assert count(app, QuestionVersion) == versions


def test_changed_question_becomes_a_new_version_and_old_answers_keep_theirs(app, runner, learner, tmp_path):
    url = start_session(learner, "topic", "beta.only")
    answer(learner, url, 0)
    with app.app_context():
        answered = db.session.scalar(select(Answer))
        question_id, old_version_id = answered.question_id, answered.question_version_id
    folder = bank_copy(tmp_path)
    edit_question(folder / "beta.yaml", question_id, stem="A reworded stem for this question?")
    result = runner.invoke(args=["bank", "import", str(folder)])
    assert "0 added, 1 changed (new version), 10 unchanged" in result.output
    with app.app_context():
        question = db.session.get(Question, question_id)
        assert question.current_version.version == 2
        assert question.current_version.stem == "A reworded stem for this question?"
        answered = db.session.scalar(select(Answer))
        assert answered.question_version_id == old_version_id
        assert answered.question_version.stem != question.current_version.stem


def test_a_bank_with_any_error_imports_nothing(app, runner, tmp_path):
    folder = bank_copy(tmp_path)
    edit_question(folder / "alpha.yaml", "TST-001", stem="Changed, but the other file is broken?")
    (folder / "beta.yaml").write_text((folder / "beta.yaml").read_text().replace("  correct: true\n", "", 1))
    before = count(app, QuestionVersion)
    result = runner.invoke(args=["bank", "import", str(folder)])
    assert result.exit_code == 1 and "nothing was changed" in result.output
    assert count(app, QuestionVersion) == before


def test_a_question_absent_from_the_file_is_kept_unless_retire_missing(app, runner, tmp_path):
    folder = bank_copy(tmp_path)
    data = yaml.safe_load((folder / "beta.yaml").read_text())
    data["questions"] = data["questions"][1:]
    (folder / "beta.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
    result = runner.invoke(args=["bank", "import", str(folder / "beta.yaml")])
    assert "0 retired" in result.output
    with app.app_context():
        assert db.session.get(Question, "TST-008").status == "published"
    result = runner.invoke(args=["bank", "import", "--retire-missing", str(folder / "beta.yaml")])
    assert "retired: TST-008" in result.output and "1 retired" in result.output
    with app.app_context():
        question = db.session.get(Question, "TST-008")
        assert question.status == "retired" and question.current_version is not None


def test_export_round_trips_through_check(runner, tmp_path):
    out = tmp_path / "export"
    assert runner.invoke(args=["bank", "export", "--out", str(out)]).exit_code == 0
    assert sorted(p.name for p in out.iterdir()) == ["alpha.yaml", "beta.yaml"]
    result = runner.invoke(args=["bank", "check", str(out)])
    assert result.exit_code == 0 and "11 questions OK" in result.output


def test_syllabus_check_reports_a_broken_link(runner, tmp_path):
    assert runner.invoke(args=["syllabus", "check"]).exit_code == 0
    root = tmp_path / "syllabus"
    shutil.copytree(FIXTURES / "syllabus", root)
    topic = root / "02-beta" / "01-only.md"
    topic.write_text(topic.read_text().replace("(alpha.first)", "(alpha.first#nowhere)"))
    result = runner.invoke(args=["syllabus", "check", "--path", str(root)])
    assert result.exit_code == 1
    assert "01-only.md:26: anchor #nowhere does not exist in 'alpha.first'" in result.output


def test_user_create_with_role(app, runner):
    result = runner.invoke(args=["user", "create", "coach@example.org", "--role", "trainer", "--password", "a long password"])
    assert result.exit_code == 0 and "created trainer coach@example.org" in result.output
    with app.app_context():
        assert db.session.scalar(select(User.role).where(User.email == "coach@example.org")) == "trainer"
    again = runner.invoke(args=["user", "create", "coach@example.org", "--password", "a long password"])
    assert again.exit_code == 1 and "already exists" in again.output


def _web_edit(app, question_id: str, stem: str) -> None:
    from studyapp.content.questions import store_version, version_content
    from studyapp.models import utcnow

    with app.app_context():
        question = db.session.get(Question, question_id)
        store_version(question, {**version_content(question.current_version), "stem": stem},
                      author_id=None, source="web", now=utcnow())
        db.session.commit()


def test_import_reports_and_skips_a_question_changed_in_the_web(app, runner, tmp_path):
    _web_edit(app, "TST-008", "A stem a trainer rewrote in the browser?")
    folder = bank_copy(tmp_path)
    edit_question(folder / "beta.yaml", "TST-008", stem="A stem someone changed in the file?")
    result = runner.invoke(args=["bank", "import", str(folder)])
    assert result.exit_code == 0
    assert "conflict: TST-008: changed in the web since the last import" in result.output and "Stem" in result.output
    assert "1 conflicts" in result.output
    with app.app_context():
        assert db.session.get(Question, "TST-008").current_version.stem == "A stem a trainer rewrote in the browser?"
    result = runner.invoke(args=["bank", "import", "--overwrite", str(folder)])
    assert "0 conflicts" in result.output and "1 changed" in result.output
    with app.app_context():
        assert db.session.get(Question, "TST-008").current_version.stem == "A stem someone changed in the file?"


def test_an_unchanged_file_does_not_undo_a_web_edit_either(app, runner):
    _web_edit(app, "TST-008", "A stem a trainer rewrote in the browser?")
    result = runner.invoke(args=["bank", "import"])
    assert "conflict: TST-008" in result.output
    with app.app_context():
        assert db.session.get(Question, "TST-008").current_version.stem == "A stem a trainer rewrote in the browser?"


def test_export_with_web_edits_and_statuses_imports_back_unchanged(app, runner, tmp_path):
    _web_edit(app, "TST-008", "A stem a trainer rewrote in the browser?")
    with app.app_context():
        db.session.get(Question, "TST-009").status = "retired"
        db.session.commit()
    out = tmp_path / "export"
    assert runner.invoke(args=["bank", "export", "--out", str(out)]).exit_code == 0
    assert "status: retired" in (out / "beta.yaml").read_text()
    result = runner.invoke(args=["bank", "import", str(out)])
    assert "0 added, 0 changed (new version), 11 unchanged, 0 retired, 0 conflicts" in result.output
    # The exported files are now what the bank was synced with: a later edit there imports cleanly.
    edit_question(out / "beta.yaml", "TST-008", stem="Edited again, in the exported file?")
    assert "1 changed" in runner.invoke(args=["bank", "import", str(out)]).output


def test_the_whole_shipped_bank_round_trips_through_export_and_import(tmp_path):
    from studyapp.content.questions import spec_of
    from tests.conftest import ROOT, close_app, make_app

    app = make_app(tmp_path, syllabus=ROOT / "syllabus", bank=ROOT / "question_bank")
    try:
        runner = app.test_cli_runner()
        with app.app_context():
            before = {q.id: spec_of(q) for q in db.session.scalars(select(Question))}
        out = tmp_path / "export"
        assert runner.invoke(args=["bank", "export", "--out", str(out)]).exit_code == 0
        assert runner.invoke(args=["bank", "check", str(out)]).exit_code == 0
        result = runner.invoke(args=["bank", "import", "--retire-missing", str(out)])
        assert f"0 added, 0 changed (new version), {len(before)} unchanged, 0 retired, 0 conflicts" in result.output
        with app.app_context():
            after = {q.id: spec_of(q) for q in db.session.scalars(select(Question))}
        assert after == before and len(before) >= 350
    finally:
        close_app(app)


def test_bank_check_prints_item_writing_warnings_and_still_passes(runner, tmp_path):
    folder = bank_copy(tmp_path)
    text = (folder / "alpha.yaml").read_text()
    (folder / "alpha.yaml").write_text(text.replace("text: Option A of 1", "text: Option A of 1 is always right", 1))
    result = runner.invoke(args=["bank", "check", str(folder)])
    assert result.exit_code == 0 and "11 questions OK, 1 warning(s)" in result.output
    [line] = [line for line in result.output.splitlines() if "warning [" in line]
    assert line.startswith(f"{folder / 'alpha.yaml'}:8: warning [absolute-in-distractors]: question TST-001: ")


def test_bank_check_strict_fails_on_warnings_unless_acknowledged(runner, tmp_path):
    folder = bank_copy(tmp_path)
    text = (folder / "alpha.yaml").read_text().replace("text: Option A of 1", "text: Option A of 1 is always right", 1)
    (folder / "alpha.yaml").write_text(text)
    result = runner.invoke(args=["bank", "check", "--strict", str(folder)])
    assert result.exit_code == 1 and "1 warning(s), failing because of --strict" in result.output
    edit_question(folder / "alpha.yaml", "TST-001", lint_ok={"absolute-in-distractors": "The claim is quoted from a learner."})
    result = runner.invoke(args=["bank", "check", "--strict", str(folder)])
    assert result.exit_code == 0 and "11 questions OK" in result.output and "warning" not in result.output


def test_bank_check_strict_passes_a_clean_bank(runner):
    result = runner.invoke(args=["bank", "check", "--strict"])
    assert result.exit_code == 0 and "11 questions OK" in result.output


def test_a_second_load_of_unchanged_content_skips_the_work_and_a_change_is_picked_up(app, tmp_path):
    from studyapp.content.services import load_shipped_content

    with app.app_context():
        assert load_shipped_content() == (None, None)   # the fixture loaded it already
        versions = db.session.scalar(select(func.count()).select_from(QuestionVersion))
    folder = bank_copy(tmp_path)
    edit_question(folder / "beta.yaml", "TST-008", stem="A stem changed in the shipped file?")
    app.config["QUESTION_BANK_DIR"] = str(folder)
    with app.app_context():
        topics, result = load_shipped_content()
        db.session.commit()
        assert topics is None and result.changed == ["TST-008"]
        assert db.session.scalar(select(func.count()).select_from(QuestionVersion)) == versions + 1
        assert load_shipped_content() == (None, None)

