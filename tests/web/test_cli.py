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
    assert result.exit_code == 0 and "0 added, 0 changed (new version), 11 unchanged, 0 retired" in result.output
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


def test_removed_question_is_retired_not_deleted(app, runner, tmp_path):
    folder = bank_copy(tmp_path)
    data = yaml.safe_load((folder / "beta.yaml").read_text())
    data["questions"] = data["questions"][1:]
    (folder / "beta.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
    result = runner.invoke(args=["bank", "import", str(folder / "beta.yaml")])
    assert "1 retired" in result.output
    with app.app_context():
        assert db.session.get(Question, "TST-008").retired


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
