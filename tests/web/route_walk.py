"""Walk every route of the app's URL map as each kind of user, without naming any route.

Routes added later (the trainer workspace, admin pages, ...) are covered automatically:
the walkers read `app.url_map`, fill each path argument with a real sample where its
name is known and a plain one where it is not, and log users in by writing the session
cookie directly (cheap, and it survives routes that log out or rotate the session)."""

import re
from dataclasses import dataclass

from flask_wtf import FlaskForm
from itsdangerous import URLSafeTimedSerializer

from studyapp.extensions import db
from studyapp.models import User, utcnow
from tests.conftest import Browser, start_session

ARGUMENT = re.compile(r"<(?:(?P<converter>[a-zA-Z_]+)(?:\([^)]*\))?:)?(?P<name>[a-zA-Z_]+)>")
INTEGER_CONVERTERS = {"int", "id"}
ROLES = ("anonymous", "learner", "trainer", "admin")
CSRF_RAW = "route-walk-csrf-raw-token"


@dataclass
class Rule:
    pattern: str
    endpoint: str
    methods: tuple[str, ...]

    def arguments(self) -> list[tuple[str, str]]:
        """(name, converter) for each path argument, in order."""
        return [(m["name"], m["converter"] or "default") for m in ARGUMENT.finditer(self.pattern)]

    def url(self, samples: dict[str, str], **override: str) -> str:
        def fill(match):
            name, converter = match["name"], match["converter"] or "default"
            if name in override:
                return override[name]
            return samples.get(name, "1" if converter in INTEGER_CONVERTERS else "x")

        return ARGUMENT.sub(fill, self.pattern)


def rules(app) -> list[Rule]:
    """Every route the app serves, with the methods a client would send."""
    found = []
    for rule in app.url_map.iter_rules():
        methods = tuple(sorted(m for m in rule.methods if m not in ("HEAD", "OPTIONS")))
        found.append(Rule(rule.rule, rule.endpoint, methods))
    return sorted(found, key=lambda r: r.pattern)


def form_fields() -> set[str]:
    """The field names of every form class the app defines, present and future."""
    names, pending = set(), list(FlaskForm.__subclasses__())
    while pending:
        form_class = pending.pop()
        pending += form_class.__subclasses__()
        names |= {name for name in dir(form_class) if hasattr(getattr(form_class, name), "field_class")}
    return names - {"csrf_token"}


@dataclass
class People:
    """One client per role, the ids to log them in with, and real values for path arguments."""

    app: object
    clients: dict
    user_keys: dict
    samples: dict
    csrf: str
    cookies: dict = None

    def as_(self, role: str):
        """The role's client, logged in again if a request changed its session cookie
        (a logout, a login, a password change): cheaper than writing it every time."""
        client = self.clients[role]
        cookie = client.get_cookie("session")
        if cookie is not None and self.cookies.get(role) == cookie.value:
            return client
        with client.session_transaction() as session:
            session["csrf_token"] = CSRF_RAW
            if role == "anonymous":
                session.pop("_user_id", None)
            else:
                with self.app.app_context():
                    session["_user_id"] = db.session.get(User, self.user_keys[role]).get_id()
                session["_fresh"] = True
        self.cookies[role] = client.get_cookie("session").value
        return client


def _trainers_group(app, trainer_id: int, member_ids: list[int]) -> tuple[int, str]:
    """A real group of the trainer's with the learner and the victim in it (they have answers
    to report on), so group routes are walked with an id that exists, and its join code."""
    from studyapp.groups import services as groups

    with app.app_context():
        group = groups.create_group(db.session.get(User, trainer_id), "Walked group", None, False)
        for user_id in member_ids:
            groups.join(db.session.get(User, user_id), group, utcnow())
        db.session.commit()
        return group.id, groups.join_code(group)


def people(app, make_user) -> People:
    """Anonymous, a learner with a practice session and a running mock, a trainer, an admin,
    and a spare learner ("victim") that admin routes may act on without locking anyone out."""
    ids = {role: make_user(f"{role}@example.org", "learner" if role == "learner" else role)
           for role in ROLES[1:]}
    victim = make_user("victim@example.org", "learner")
    learner = Browser(app.test_client())
    learner.login("learner@example.org")
    session_url = start_session(learner)
    mock_url = learner.post("/mock/start", {}, token_from="/mock/").headers["Location"]
    group_id, code = _trainers_group(app, ids["trainer"], [ids["learner"], victim])
    samples = {
        "session_id": session_url.split("/")[2], "exam_id": mock_url.split("/")[2], "position": "1",
        "module_id": "alpha", "slug": "first", "name": "alpha", "question_id": "TST-001",
        "user_id": str(victim), "filename": "app.css", "group_id": str(group_id), "code": code,
    }
    clients = {role: app.test_client() for role in ROLES}
    clients["learner"] = learner.client
    with app.app_context():
        csrf = URLSafeTimedSerializer(app.secret_key, salt="wtf-csrf-token").dumps(CSRF_RAW)
    return People(app, clients, ids, samples, csrf, cookies={})
