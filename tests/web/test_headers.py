"""Security headers on every route in the URL map, for anonymous and logged-in users."""

import re
from pathlib import Path

import pytest
from flask import request

from studyapp import views
from tests.conftest import make_app, close_app
from tests.web.route_walk import people, rules


def test_every_route_sends_the_security_headers(app, make_user):
    walk = people(app, make_user)
    for rule in rules(app):
        if "GET" not in rule.methods:
            continue
        for role in ("anonymous", "learner", "admin"):
            response = walk.as_(role).get(rule.url(walk.samples))
            response.close()
            where = f"{role} GET {rule.pattern} ({response.status_code})"
            policy = response.headers.get("Content-Security-Policy", "")
            assert "frame-ancestors 'none'" in policy, where
            assert "unsafe-inline" not in _directive(policy, "script-src") + _directive(policy, "default-src"), where
            assert response.headers.get("X-Content-Type-Options") == "nosniff", where
            assert response.headers.get("Referrer-Policy") == "same-origin", where
            assert "Strict-Transport-Security" not in response.headers, where  # plain HTTP: never
            if role != "anonymous" and rule.endpoint != "static":
                assert response.headers.get("Cache-Control") == "no-store", where


def _directive(policy: str, name: str) -> str:
    return next((part for part in policy.split(";") if part.strip().startswith(name)), "")


def test_pages_with_a_form_token_are_not_cached_even_when_anonymous(client):
    assert client.get("/account/login").headers["Cache-Control"] == "no-store"


def test_no_template_holds_inline_script_or_event_handlers():
    templates = Path(__file__).parents[2] / "templates"
    offenders = [str(path) for path in templates.rglob("*.html")
                 if re.search(r"<script(?![^>]*\bsrc=)|\son[a-z]+\s*=", path.read_text())]
    assert offenders == []


@pytest.fixture
def https_app(tmp_path):
    app = make_app(tmp_path, HTTPS=True, PROXY_FIX_HOPS=1)
    yield app
    close_app(app)


def test_production_https_setting_adds_hsts_secure_cookies_and_trusts_one_proxy(https_app, make_user):
    client = https_app.test_client()
    response = client.get("/account/login", headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"})
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert "Secure" in response.headers["Set-Cookie"]
    assert https_app.config["REMEMBER_COOKIE_SECURE"] is True
    assert type(https_app.wsgi_app).__name__ == "ProxyFix"


def test_proxy_fix_gives_the_client_address_from_one_trusted_hop(https_app):
    seen = []
    https_app.add_url_rule("/_addr", "addr", lambda: seen.append(request.remote_addr) or "")
    https_app.test_client().get("/_addr", headers={"X-Forwarded-For": "198.51.100.1, 203.0.113.9"},
                                environ_base={"REMOTE_ADDR": "10.0.0.1"})
    assert seen == ["203.0.113.9"]


def test_header_links_follow_the_prefix_the_proxy_serves_the_app_under(https_app):
    client = https_app.test_client()
    plain = client.get("/account/login").get_data(as_text=True)
    prefixed = client.get("/account/login", headers={"X-Forwarded-Prefix": "/study"}).get_data(as_text=True)
    assert 'href="/syllabus/"' in plain and 'href="/static/app.css"' in plain
    assert 'href="/study/syllabus/"' in prefixed and 'href="/study/static/app.css"' in prefixed
    assert 'href="/syllabus/"' not in prefixed
    assert 'href="/study/' not in client.get("/account/login").get_data(as_text=True)


def test_a_topic_pages_links_follow_the_prefix_and_name_its_neighbours(https_app):
    # Built by views.path_to and remembered per prefix: the plain page after the prefixed
    # one must not get the prefixed paths.
    client = https_app.test_client()
    prefixed = client.get("/syllabus/alpha/second", headers={"X-Forwarded-Prefix": "/study"}).get_data(as_text=True)
    plain = client.get("/syllabus/alpha/second").get_data(as_text=True)
    for page, prefix in ((prefixed, "/study"), (plain, "")):
        assert f'<a rel="prev" href="{prefix}/syllabus/alpha/first">' in page
        assert f'href="{prefix}/syllabus/alpha">' in page   # the crumb to its module
    assert 'href="/study/' not in plain


def test_remembered_paths_stay_few_whatever_they_are_asked_for(app, monkeypatch):
    monkeypatch.setattr(views, "MAX_PATHS", 3)
    with app.test_request_context("/"):
        for position in range(1, 20):
            assert views.path_to("practice.item", session_id=7, position=position) == f"/practice/7/{position}"
        assert len(views.page_paths()) == 3


def test_every_page_names_an_icon_that_is_served(client):
    # Without one, each new browser asks for /favicon.ico and gets a 404 (a console error).
    page = client.get("/account/login").get_data(as_text=True)
    icon = re.search(r'<link rel="icon" href="([^"]+)"', page).group(1)
    with client.get(icon) as response:   # a static file's response holds the file open
        assert response.status_code == 200 and response.mimetype == "image/svg+xml"


def test_a_route_keeps_the_headers_it_set_itself_and_none_is_sent_twice(https_app):
    def own_headers():
        return "", {"Content-Security-Policy": "default-src 'none'", "X-Frame-Options": "SAMEORIGIN",
                    "Referrer-Policy": "no-referrer", "Strict-Transport-Security": "max-age=60"}

    https_app.add_url_rule("/_own", "own", own_headers)
    headers = https_app.test_client().get("/_own", headers={"X-Forwarded-Proto": "https"}).headers
    assert headers.getlist("Content-Security-Policy") == ["default-src 'none'; frame-ancestors 'none'"]
    assert headers.getlist("X-Frame-Options") == ["SAMEORIGIN"]
    assert headers.getlist("Referrer-Policy") == ["no-referrer"]
    assert headers.getlist("Strict-Transport-Security") == ["max-age=60"]
    assert headers.getlist("X-Content-Type-Options") == ["nosniff"]


def test_a_route_that_sets_none_gets_each_header_once(client):
    headers = client.get("/account/login").headers
    for name in ("Content-Security-Policy", "X-Content-Type-Options", "X-Frame-Options", "Referrer-Policy",
                 "Cache-Control"):
        assert len(headers.getlist(name)) == 1, name
    assert headers["X-Frame-Options"] == "DENY"
