from sqlalchemy import select

from studyapp.extensions import db
from studyapp.models import TopicRead
from tests.conftest import Browser
from tests.unit.test_render import Elements


def test_module_index_shows_progress_per_module(learner):
    learner.post("/syllabus/alpha/first/read", {"read": "1"}, token_from="/syllabus/alpha/first")
    page = learner.get("/syllabus/").get_data(as_text=True)
    assert "1 of 2 read" in page and "0 of 1 read" in page


def test_topic_page_has_objectives_toc_and_neighbours(client):
    page = client.get("/syllabus/alpha/second").get_data(as_text=True)
    assert "Know the second idea" in page
    assert 'href="#second-idea"' in page and '<h2 id="second-idea">' in page
    assert 'rel="prev" href="/syllabus/alpha/first"' in page
    assert 'rel="next" href="/syllabus/beta/only"' in page


def test_first_and_last_topics_link_one_way_only(client):
    first = client.get("/syllabus/alpha/first").get_data(as_text=True)
    last = client.get("/syllabus/beta/only").get_data(as_text=True)
    assert 'rel="prev"' not in first and 'rel="next" href="/syllabus/alpha/second"' in first
    assert 'rel="next"' not in last and 'rel="prev" href="/syllabus/alpha/second"' in last
    assert '<a href="/syllabus/beta">Beta module</a>' in last   # the crumb names the topic's module


def test_a_read_mark_shows_only_to_its_reader(app, learner, make_user):
    learner.post("/syllabus/alpha/first/read", {"read": "1"}, token_from="/syllabus/alpha/first")
    assert "Read ✓" in learner.get("/syllabus/alpha/first").get_data(as_text=True)
    assert "Read ✓" not in learner.get("/syllabus/alpha/second").get_data(as_text=True)
    make_user("other@example.org")
    other = Browser(app.test_client())
    other.login("other@example.org")
    assert "Mark as read" in other.get("/syllabus/alpha/first").get_data(as_text=True)


def test_internal_links_and_diagrams_point_at_reader_urls(client):
    page = client.get("/syllabus/alpha/first").get_data(as_text=True)
    assert 'href="/syllabus/glossary#widget"' in page
    assert 'src="/syllabus/diagrams/square.svg"' in page and 'alt="A square diagram"' in page


def test_mark_as_read_toggles(app, learner):
    learner.post("/syllabus/alpha/first/read", {"read": "1"}, token_from="/syllabus/alpha/first")
    assert "Read ✓" in learner.get("/syllabus/alpha/first").get_data(as_text=True)
    learner.post("/syllabus/alpha/first/read", {"read": "0"}, token_from="/syllabus/alpha/first")
    with app.app_context():
        assert db.session.scalars(select(TopicRead)).all() == []


def test_anonymous_readers_cannot_mark_as_read(app, browser):
    response = browser.post("/syllabus/alpha/first/read", {"read": "1"}, token_from="/account/login")
    assert response.status_code == 302 and "/account/login" in response.headers["Location"]
    with app.app_context():
        assert db.session.scalars(select(TopicRead)).all() == []


def test_glossary_filters_on_the_server_too(client):
    everything = client.get("/syllabus/glossary").get_data(as_text=True)
    filtered = client.get("/syllabus/glossary?q=gadg").get_data(as_text=True)
    assert "Widget" in everything and "Gadget" in everything
    assert "Gadget" in filtered and "<dt>Widget</dt>" not in filtered
    assert 'id="widget"' in everything


def test_diagrams_are_served_as_svg_that_cannot_run_script(client):
    response = client.get("/syllabus/diagrams/square.svg")
    assert response.mimetype == "image/svg+xml"
    assert "default-src 'none'" in response.headers["Content-Security-Policy"]
    response.close()
    assert client.get("/syllabus/diagrams/secret_key").status_code == 404
    assert client.get("/syllabus/diagrams/..%2F..%2Fpyproject.toml").status_code == 404


def test_every_page_carries_the_trademark_notice(client):
    for url in ("/", "/syllabus/", "/syllabus/alpha/first", "/account/login"):
        assert "MoP® is a registered trade mark" in client.get(url).get_data(as_text=True)


def test_stored_markdown_from_a_trainer_cannot_run_script(app, learner):
    """A question written with hostile Markdown shows as text in the learner's browser."""
    from tests.conftest import start_session
    from studyapp.models import QuestionVersion

    with app.app_context():
        for version in db.session.scalars(select(QuestionVersion)):
            version.stem = '<script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror=alert(1)>'
            version.options = [{**o, "text": "<b onmouseover=alert(1)>hi</b>"} for o in version.options]
        db.session.commit()
    page = learner.get(start_session(learner)).get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page  # shown as text
    for tag, attributes in Elements(page).elements:
        assert not [name for name in attributes if name.startswith("on")], (tag, attributes)
        assert not (attributes.get("href") or "").lower().startswith("javascript:")
        if tag == "script":
            assert attributes.get("src", "").startswith("/static/")
