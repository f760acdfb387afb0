"""No input produces a 5xx or a traceback: every route x hostile values, as anonymous, learner
and trainer (and admin where a trainer is turned away).

The walk reads the app's URL map (see route_walk.py), so routes added later are fuzzed
without touching this file. Three kinds of hostile input:

- each path argument, with values for its converter's type (integers out of range,
  non-ASCII digits; NUL, control characters, over-long and odd text);
- the query string, with the same text values under the names pages read;
- for every route that takes POST, each field of every form class the app defines,
  one at a time, while the others hold plausible values (so a hostile value reaches
  the code after validation, where `go=²` once failed after the answer was stored).

A deterministic table rather than Hypothesis: the same requests every run, a count that
can be stated, and a run time that stays well under a minute per database."""

import logging

import pytest

from tests.conftest import make_app, close_app
from tests.web.route_walk import INTEGER_CONVERTERS, ROLES, form_fields, people, rules

HOSTILE_INTEGERS = ["0", "-1", "2147483648", "99999999999999999999", "%C2%B2", "%D9%A3", "1e3", "0x1f"]
HOSTILE_TEXT = ["%00", "%0A", "x" * 3000, "%E2%80%AE%F0%9F%92%A5", "..%2F..%2Fetc%2Fpasswd", "%25",
                "%27%22%3Cscript%3E", "%FF%FE"]
QUERY_NAMES = ["q", "next", "page", "scope", "sort", "status", "module", "topic", "tag", "id", "format", "token"]
HOSTILE_QUERY = ["%00", "x" * 600, "%FF%FE"]
HOSTILE_FORM_VALUES = ["\x00", "²", "99999999999999999999", "nan", "0001-01-01", "x" * 19000, ""]
# Plausible values that let a form pass validation, so one hostile field at a time reaches the view.
# The password is valid but nobody's: a plausible one must not delete or lock out the walkers.
PLAUSIBLE = {"choice": "0", "kind": "mixed", "go": "next", "email": "learner@example.org",
             "password": "another fine passphrase", "confirm": "another fine passphrase", "current": "x",
             "display_name": "Fuzz", "desired_retention": "0.9", "exam_date": "", "question_id": "TST-001",
             "elapsed_ms": "1000", "read": "1", "role": "trainer"}


@pytest.fixture
def fuzz_app(tmp_path):
    app = make_app(tmp_path, LOGIN_RATE_LIMIT="100000 per minute", REGISTER_RATE_LIMIT="100000 per minute",
                   PASSWORD_RESET_RATE_LIMIT="100000 per minute")
    yield app
    close_app(app)


def _path_requests(rule, samples):
    for name, converter in rule.arguments():
        values = HOSTILE_INTEGERS + HOSTILE_TEXT[:2] if converter in INTEGER_CONVERTERS else HOSTILE_TEXT
        for value in values:
            yield rule.url(samples, **{name: value})


def _query_requests(rule, samples):
    base = rule.url(samples)
    for value in HOSTILE_QUERY:
        yield base + "?" + "&".join(f"{name}={value}" for name in QUERY_NAMES)


def _form_bodies(fields):
    baseline = {name: PLAUSIBLE.get(name, "1") for name in fields}
    for name in sorted(fields):
        for value in HOSTILE_FORM_VALUES:
            yield {**baseline, name: value}


def test_no_route_answers_hostile_input_with_a_server_error(fuzz_app, make_user, caplog):
    walk = people(fuzz_app, make_user)
    fields = form_fields()
    failures, count = [], 0

    def send(role, method, url, data=None):
        nonlocal count
        count += 1
        client = walk.as_(role)
        try:
            response = client.open(url, method=method, data=data)
        except Exception as error:  # TESTING propagates exceptions; collect them all instead
            failures.append(f"{role} {method} {url[:120]} {data and _short(data)}: {error!r}"[:400])
            return
        response.close()
        if response.status_code >= 500:
            failures.append(f"{role} {method} {url[:120]} {data and _short(data)}: {response.status_code}")

    caplog.set_level(logging.WARNING)
    for rule in rules(fuzz_app):
        roles = _roles_for(walk, rule)
        for url in [*_path_requests(rule, walk.samples), *_query_requests(rule, walk.samples)]:
            for role in roles:
                for method in rule.methods:
                    send(role, method, url, {"csrf_token": walk.csrf} if method != "GET" else None)
        if "POST" in rule.methods:
            role = _first_role_let_in(walk, rule)
            for body in _form_bodies(fields):
                send(role, "POST", rule.url(walk.samples), {**body, "csrf_token": walk.csrf})
    print(f"route fuzz: {len(rules(fuzz_app))} routes, {count} requests")
    assert failures == []
    tracebacks = [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]
    assert tracebacks == []
    refused = [r.getMessage() for r in caplog.records if "refused by the database" in r.getMessage()]
    assert refused == [], "the edge let these through to the database"


def _roles_for(walk, rule) -> tuple[str, ...]:
    """Anonymous, learner and trainer; admin too where a trainer is turned away (admin pages)."""
    if "GET" not in rule.methods:
        return ROLES[:3]
    response = walk.as_("trainer").get(rule.url(walk.samples))
    response.close()
    return ROLES if response.status_code in (401, 403) else ROLES[:3]


def _first_role_let_in(walk, rule) -> str:
    """The least privileged logged-in role that the route does not turn away."""
    for role in ROLES[1:]:
        response = walk.as_(role).post(rule.url(walk.samples), data={"csrf_token": walk.csrf})
        response.close()
        if response.status_code not in (401, 403) and "/account/login" not in response.headers.get("Location", ""):
            return role
    return ROLES[-1]


def _short(data: dict) -> str:
    odd = {k: v for k, v in data.items() if k != "csrf_token" and v != PLAUSIBLE.get(k, "1")}
    return repr({k: v[:20] for k, v in odd.items()})
