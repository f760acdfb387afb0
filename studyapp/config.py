"""Package defaults. Later layers override them, in this order:
instance/config.py, then STUDYAPP_* environment variables, then the test mapping
(see create_app)."""

from datetime import timedelta

# STUDYAPP_DATABASE_URL; None means a SQLite file in the instance folder.
DATABASE_URL = None
# Connections each worker keeps open: at least its threads (`serve --threads`, 8 by default).
# With fewer, every busy moment opens and closes extra connections (on PostgreSQL, 43 new
# sessions in five seconds of eight concurrent page views instead of 8).
DATABASE_POOL_SIZE = 10
SQLALCHEMY_ENGINE_OPTIONS: dict = {}
# PostgreSQL: a pooled connection idle this long is checked (one round trip) before use,
# so one that a restart or an idle timeout closed is replaced unseen; one used moments ago
# is not (see extensions._ping_idle_connections). pool_pre_ping=True in the engine options
# checks every checkout instead.
DATABASE_PING_AFTER_IDLE_SECONDS = 10

# STUDYAPP_SECRET_KEY; None means "read or create instance/secret_key".
SECRET_KEY = None

# Content folders; None means "the checkout, else the copy bundled in the wheel".
SYLLABUS_DIR = None
QUESTION_BANK_DIR = None

# CSRF tokens stay bound to the login session but do not expire on a clock:
# a learner who leaves a question open for hours must not lose the answer.
WTF_CSRF_TIME_LIMIT = None
WTF_CSRF_SSL_STRICT = True

# Werkzeug's method string; the tests use a cheap one to keep the suite fast.
PASSWORD_HASH_METHOD = "scrypt"

# STUDYAPP_HTTPS=true in production (served over HTTPS): Secure cookies and HSTS.
HTTPS = False
# STUDYAPP_PROXY_FIX_HOPS: how many proxies in front set X-Forwarded-*; 0 trusts none.
PROXY_FIX_HOPS = 0

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
REMEMBER_COOKIE_HTTPONLY = True
REMEMBER_COOKIE_SAMESITE = "Lax"
REMEMBER_COOKIE_DURATION = timedelta(days=14)

# Flask-Limiter: memory is right for one process; use redis://... for gunicorn workers.
RATELIMIT_STORAGE_URI = "memory://"
RATELIMIT_HEADERS_ENABLED = True
# Per address. A whole class logs in from one office address at the start of a lesson,
# so these are set for a class of 60, not one person; password guessing against one
# account is stopped by the per-account lock below, which holds across all addresses.
# Join-link sign-ups and accounts a trainer creates from a list are not limited per address.
LOGIN_RATE_LIMIT = "120 per minute;1000 per hour"
REGISTER_RATE_LIMIT = "60 per hour"
# Per account (database-backed, all workers): every 5th failure in a row locks the
# email for 15 minutes; a successful login clears the count.
LOGIN_LOCK_AFTER = 5
LOGIN_LOCK_MINUTES = 15
# STUDYAPP_INVITE_ONLY=true: no open registration; learners sign up through a group's join link.
INVITE_ONLY = False
# Groups: one-time set-password links for accounts made from a class list last this long;
# the report flags learners inactive this many days or with this many open mistakes;
# the topic facility a group report leans on is recomputed at most this often per worker.
SET_PASSWORD_DAYS = 14
GROUP_INACTIVE_DAYS = 7
GROUP_OPEN_MISTAKES = 15
# One-time password reset links made by an admin.
PASSWORD_RESET_HOURS = 24
PASSWORD_RESET_RATE_LIMIT = "20 per hour"

# Mail (registration notices); unset MAIL_SERVER means nothing is sent.
MAIL_SERVER = None
MAIL_PORT = 25
MAIL_USE_TLS = False
MAIL_USERNAME = None
MAIL_PASSWORD = None
MAIL_FROM = "studyapp@localhost"

# Bounded requests (see validation.guard_request). No page uploads files, and the
# longest field a form sends is a question's explanation (8,000 characters).
MAX_CONTENT_LENGTH = 2 * 1024 * 1024       # a larger body is a 413, refused before it is read
MAX_FORM_MEMORY_SIZE = 500_000             # one multipart text field
MAX_FORM_PARTS = 200                       # multipart parts
MAX_FORM_FIELDS = 200                      # fields of any form, urlencoded included
MAX_FORM_VALUE_LENGTH = 20_000
MAX_PATH_LENGTH = 1024
MAX_QUERY_LENGTH = 2048
MAX_QUERY_VALUE_LENGTH = 500

PRACTICE_SESSION_SIZE = 10

# A mock exam: 50 questions in 40 minutes, as the real one. Tests use shorter mocks;
# the time and the pass mark scale with the length.
MOCK_QUESTIONS = 50
MOCK_MINUTES = 40
DESIRED_RETENTION = 0.9

# Mastery: below this many answers in a topic, or with a band wider than this,
# the report says "not enough data yet".
MASTERY_BAND_LIMIT = 0.45

# Item statistics are cached (analytics.stats): a trainer's page refreshes them when they
# are older than this and answers have arrived since; a regrade refreshes them at once.
STATS_MAX_AGE_SECONDS = 600
# Problem reports a learner may file per hour (one open report per question version anyway).
REPORTS_PER_HOUR = 10
