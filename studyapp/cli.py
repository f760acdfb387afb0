"""The `studyapp` command: Flask's CLI group plus serve, bank, syllabus and user commands.

Each command parses its arguments, calls a service and prints a clear result."""

import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import FlaskGroup, with_appcontext

from studyapp import create_app
from studyapp.content import questions, services as content
from studyapp.domain.bank import lint_warnings, read_bank_dir
from studyapp.domain.formats import FORMATS
from studyapp.domain.problems import ContentError
from studyapp.domain.syllabus_check import check_syllabus
from studyapp.extensions import db
from studyapp.models import Role


@click.group(cls=FlaskGroup, create_app=create_app, add_version_option=False, load_dotenv=False)
def cli():
    """studyapp: study and practise for the MoP® Foundation exam."""


def register_commands(app) -> None:
    for command in (serve, bank, syllabus, user, backup, restore, stats):
        app.cli.add_command(command)


def _fail(problems) -> None:
    for problem in problems:
        click.echo(str(problem), err=True)
    click.echo(f"{len(problems)} problem(s); nothing was changed.", err=True)
    sys.exit(1)


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", default=1, show_default=True, type=int, help="gunicorn worker processes")
@click.option("--threads", default=8, show_default=True, type=int, help="threads per worker")
@click.option("--no-load", is_flag=True, help="skip migrating and loading the shipped content")
@with_appcontext
def serve(host, port, workers, threads, no_load):
    """Migrate the database, load the syllabus and bank, and serve with gunicorn."""
    if workers > 1 and current_app.config["RATELIMIT_STORAGE_URI"].startswith("memory"):
        # Each worker would count on its own: N workers allow N times the login attempts.
        raise click.UsageError("--workers above 1 needs shared rate-limit storage: set "
                               "STUDYAPP_RATELIMIT_STORAGE_URI=redis://host:6379 (memory:// counts per worker)")
    if threads > current_app.config["DATABASE_POOL_SIZE"]:
        # Threads beyond the pool would open and close a connection on every busy request.
        raise click.UsageError(f"--threads {threads} needs at least {threads} pooled connections: set "
                               f"STUDYAPP_DATABASE_POOL_SIZE={threads}")
    if not no_load:
        _upgrade_and_load()
    db.engine.dispose()  # the workers open their own connections
    from studyapp.server import run_gunicorn

    click.echo(f"studyapp on http://{host}:{port}/  (Ctrl+C to stop)")
    run_gunicorn(f"{host}:{port}", workers=workers, threads=threads)


def _upgrade_and_load() -> None:
    from flask_migrate import upgrade

    upgrade(directory=current_app.extensions["migrate"].directory)
    try:
        topics, result = content.load_shipped_content()
    except ContentError as error:
        db.session.rollback()
        _fail(error.problems)
    db.session.commit()
    for conflict in result.conflicts if result else ():
        click.echo(f"conflict: {conflict}", err=True)
    syllabus_said = f"{topics} topics" if topics is not None else "unchanged since the last load"
    bank_said = result.summary() if result else "unchanged since the last load"
    click.echo(f"syllabus: {syllabus_said}; question bank: {bank_said}")


@click.group()
def bank():
    """Check, import and export question-bank YAML files."""


def _bank_files(paths: tuple[str, ...]) -> list[tuple[str, bytes]]:
    if not paths:
        return read_bank_dir(content.bank_dir())
    files = []
    for path in map(Path, paths):
        files += read_bank_dir(path) if path.is_dir() else [(str(path), path.read_bytes())]
    return files


@bank.command("check")
@click.argument("paths", nargs=-1, type=click.Path(exists=True))
@click.option("--strict", is_flag=True, help="item-writing warnings count as errors (exit 1)")
@with_appcontext
def bank_check(paths, strict):
    """Report every problem as file:line: message; exit 1 if there is any.

    Item-writing warnings (cues that help a guesser) follow as
    file:line: warning [code]: message; they fail the check only with --strict."""
    result = content.check_bank_files(_bank_files(paths))
    if not result.ok:
        _fail(result.problems)
    warnings = lint_warnings(result.questions)
    for warning in warnings:
        click.echo(str(warning), err=True)
    if strict and warnings:
        click.echo(f"{len(warnings)} warning(s), failing because of --strict (acknowledge one with lint_ok).", err=True)
        sys.exit(1)
    suffix = f", {len(warnings)} warning(s)" if warnings else ""
    click.echo(f"{len(result.questions)} questions OK{suffix}")


@bank.command("import")
@click.argument("paths", nargs=-1, type=click.Path(exists=True))
@click.option("--format", "text_format", type=click.Choice(FORMATS), help="the files' format (default: told by "
              "extension and content)")
@click.option("--mapping", type=click.File("rb"), help="YAML file of `category: topic-id` lines (GIFT/Aiken/XML/CSV)")
@click.option("--skip-bad", is_flag=True, help="import the good questions and list the refused ones (GIFT/Aiken/XML/CSV)")
@click.option("--overwrite", is_flag=True, help="replace questions changed in the web since the last import")
@click.option("--retire-missing", is_flag=True, help="retire questions of the imported modules the files lack (YAML)")
@with_appcontext
def bank_import(paths, text_format, mapping, skip_bad, overwrite, retire_missing):
    """Import files (default: the shipped bank). Idempotent; a bad file imports nothing.

    YAML banks keep their ids and status. GIFT, Aiken, Moodle XML and CSV questions
    arrive as drafts; a re-import updates them. A question changed in the web since
    the last import is reported and skipped."""
    files = _bank_files(paths)
    if text_format == "yaml" or (text_format is None and all(n.endswith((".yaml", ".yml")) for n, _ in files)):
        _import_yaml(files, overwrite, retire_missing)
    else:
        _import_other(files, text_format, mapping, skip_bad, overwrite)


def _import_yaml(files, overwrite: bool, retire_missing: bool) -> None:
    try:
        result = questions.import_bank(content.check_bank_files(files), overwrite=overwrite,
                                       retire_missing=retire_missing)
    except ContentError as error:
        db.session.rollback()
        _fail(error.problems)
    db.session.commit()
    _report_import(result)


def _import_other(files, text_format, mapping_file, skip_bad: bool, overwrite: bool) -> None:
    from studyapp.domain.formats.mapping import read_mapping
    from studyapp.interchange import services as interchange

    mapping = {}
    if mapping_file is not None:
        mapping, problems = read_mapping(mapping_file.name, mapping_file.read().decode("utf-8", "replace"),
                                         content.stored_syllabus_index())
        if problems:
            _fail(problems)
    plan = interchange.plan_import(files, mapping, text_format, overwrite)
    if plan.problems and not skip_bad:
        _fail(plan.problems)
    report = interchange.apply_plan(plan, None, skip_bad=True)
    db.session.commit()
    for problem in report.skipped:
        click.echo(f"skipped: {problem}", err=True)
    for item in plan.items:
        if item.action == "conflict":
            click.echo(f"conflict: {item.question_id}: changed in the web since the last import, and the file differs "
                       f"({', '.join(item.differs)}); skipped (use --overwrite)", err=True)
    if report.unpublished:
        click.echo(f"back to draft (the new text fails a publishing rule): {', '.join(report.unpublished)}")
    if report.waiting:
        click.echo(f"waiting for a topic (map the category with --mapping and import again, or give each a topic in "
                   f"the trainer's bank before publishing): {', '.join(report.waiting)}")
    click.echo(plan.summary())


def _report_import(result: questions.ImportResult) -> None:
    for conflict in result.conflicts:
        click.echo(f"conflict: {conflict}", err=True)
    if result.retired:
        click.echo(f"retired: {', '.join(result.retired)}")
    click.echo(result.summary())


@bank.command("export")
@click.option("--format", "text_format", type=click.Choice(["yaml", "gift", "aiken", "moodlexml", "csv", "apkg"]),
              default="yaml", show_default=True)
@click.option("--module", help="only this module's questions")
@click.option("--out", "out_path", type=click.Path(), required=True,
              help="YAML: folder to write <module>.yaml into; other formats: the file to write")
@with_appcontext
def bank_export(text_format, module, out_path):
    """Write the current questions (web edits, drafts and retired ones included)."""
    from studyapp.interchange import services as interchange

    specs = interchange.specs_for(module=module)
    if module and not specs:
        raise click.ClickException(f"module {module!r} has no questions")
    waiting = questions.waiting_for_topic(module=module)
    if waiting:
        click.echo(f"skipped {waiting} draft{'' if waiting == 1 else 's'} waiting for a topic "
                   "(give each a topic in the trainer's bank to export it)", err=True)
    if text_format == "yaml":
        folder = Path(out_path)
        folder.mkdir(parents=True, exist_ok=True)
        for name, text in questions.export_bank().items():
            if module in (None, name):
                (folder / f"{name}.yaml").write_text(text, encoding="utf-8")
                click.echo(f"wrote {folder / f'{name}.yaml'}")
        return
    Path(out_path).write_bytes(interchange.export_bytes(text_format, specs))
    click.echo(f"wrote {out_path} ({len(specs)} questions, {text_format})")


@click.group()
def syllabus():
    """Check and load the syllabus folder."""


@syllabus.command("check")
@click.option("--path", type=click.Path(exists=True, file_okay=False), help="syllabus folder (default: configured)")
@with_appcontext
def syllabus_check(path):
    """Front matter, ids, links and anchors, glossary, diagrams, weights."""
    loaded = content.read_syllabus(Path(path) if path else None)
    problems = check_syllabus(loaded)
    if problems:
        _fail(problems)
    click.echo(f"{len(loaded.modules)} modules, {len(loaded.topics)} topics, {len(loaded.glossary)} glossary terms OK")


@syllabus.command("load")
@with_appcontext
def syllabus_load():
    """Store the syllabus in the database (checked first)."""
    try:
        topics = content.load_syllabus_into_db(content.read_syllabus())
    except ContentError as error:
        db.session.rollback()
        _fail(error.problems)
    db.session.commit()
    click.echo(f"{topics} topics loaded")


@click.group()
def user():
    """Manage accounts."""


@user.command("create")
@click.argument("email")
@click.option("--role", type=click.Choice([r.value for r in Role]), default=Role.LEARNER.value, show_default=True)
@click.option("--name", default=None, help="display name (default: the part before @)")
@click.password_option(help="prompted for when not given")
@with_appcontext
def user_create(email, role, name, password):
    """Create an account with a role (learner, trainer or admin)."""
    from studyapp.auth.services import AccountError, create_user

    try:
        created = create_user(email, password, name or email.split("@")[0], role)
    except AccountError as error:
        raise click.ClickException(str(error)) from error
    db.session.commit()
    click.echo(f"created {role} {created.email}")


@click.command()
@click.option("--out", "out_file", type=click.Path(dir_okay=False), required=True, help="file to write")
@with_appcontext
def backup(out_file):
    """A consistent backup while the app serves: SQLite's backup API, or pg_dump."""
    from studyapp import backup as backups

    url = current_app.config["SQLALCHEMY_DATABASE_URI"]
    path = backups.sqlite_path(url)
    try:
        if path is not None:
            backups.backup_sqlite(path, Path(out_file))
            click.echo(f"backed up {path} to {out_file}")
            return
        dump, _ = backups.postgres_commands(url, Path(out_file))
        _run_postgres_tool(dump)
    except backups.BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"pg_dump wrote {out_file}")


@click.command()
@click.argument("backup_file", type=click.Path(exists=True, dir_okay=False))
@click.option("--force", is_flag=True, help="replace an existing database (stop the app first)")
@with_appcontext
def restore(backup_file, force):
    """Put a backup in place of the configured database (stop the app first)."""
    from studyapp import backup as backups

    url = current_app.config["SQLALCHEMY_DATABASE_URI"]
    path = backups.sqlite_path(url)
    db.engine.dispose()
    try:
        if path is not None:
            backups.restore_sqlite(Path(backup_file), path, force=force)
            click.echo(f"restored {backup_file} to {path}; run `studyapp db upgrade` if it is older")
            return
        _, load = backups.postgres_commands(url, Path(backup_file))
        _run_postgres_tool(load)
    except backups.BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"pg_restore loaded {backup_file}")


def _run_postgres_tool(command: list[str]) -> None:
    """Run pg_dump or pg_restore, or say the command to run where it is not installed."""
    from studyapp import backup as backups

    if not backups.run_if_available(command):
        raise click.ClickException(f"{command[0]} is not on PATH; run: {' '.join(command)}")


@click.group()
def stats():
    """Item statistics for trainers."""


@stats.command("refresh")
@with_appcontext
def stats_refresh():
    """Recompute the cached item statistics now (run it from cron, e.g. every 10 minutes)."""
    from studyapp.analytics.stats import refresh
    from studyapp.models import utcnow

    run = refresh(utcnow())
    db.session.commit()
    click.echo(f"Item statistics refreshed over {run.answers} answers.")
