"""Package defaults. Later layers override them, in this order:
instance/config.py, then STUDYAPP_* environment variables, then the test mapping
(see create_app)."""

from datetime import timedelta

# STUDYAPP_DATABASE_URL; None means a SQLite file in the instance folder.
DATABASE_URL = None
SQLALCHEMY_ENGINE_OPTIONS: dict = {}

# STUDYAPP_SECRET_KEY; None means "read or create instance/secret_key".
SECRET_KEY = None

# Content folders; None means "the checkout, else the copy bundled in the wheel".
SYLLABUS_DIR = None
QUESTION_BANK_DIR = None

# CSRF tokens stay bound to the login session but do not expire on a clock:
# a learner who leaves a question open for hours must not lose the answer.
WTF_CSRF_TIME_LIMIT = None
WTF_CSRF_SSL_STRICT = True

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
REMEMBER_COOKIE_HTTPONLY = True
REMEMBER_COOKIE_SAMESITE = "Lax"
REMEMBER_COOKIE_DURATION = timedelta(days=14)

# Flask-Limiter: memory is right for one process; use redis://... for gunicorn workers.
RATELIMIT_STORAGE_URI = "memory://"
RATELIMIT_HEADERS_ENABLED = True
LOGIN_RATE_LIMIT = "10 per minute;50 per hour"
REGISTER_RATE_LIMIT = "10 per hour"

PRACTICE_SESSION_SIZE = 10

# A mock exam: 50 questions in 40 minutes, as the real one. Tests use shorter mocks;
# the time and the pass mark scale with the length.
MOCK_QUESTIONS = 50
MOCK_MINUTES = 40
DESIRED_RETENTION = 0.9

# Mastery: below this many answers in a topic, or with a band wider than this,
# the report says "not enough data yet".
MASTERY_BAND_LIMIT = 0.45
