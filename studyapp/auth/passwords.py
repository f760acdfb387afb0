"""Password rules (ASVS 5.0 V6.2): long enough, not absurdly long, not a common password."""

from functools import lru_cache
from pathlib import Path

from wtforms.validators import ValidationError

MIN_LENGTH = 10
# Long passphrases are welcome; past this a password is a mistake or an attempt to make
# the hash expensive.
MAX_LENGTH = 200
COMMON_PASSWORDS = Path(__file__).with_name("common_passwords.txt")


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """The shipped list (see its header for where it comes from), read once."""
    lines = COMMON_PASSWORDS.read_text(encoding="utf-8").splitlines()
    return frozenset(line for line in lines if line and not line.startswith("#"))


def password_problem(password: str) -> str | None:
    """Why this password may not be used, or None."""
    if len(password) < MIN_LENGTH:
        return f"Use at least {MIN_LENGTH} characters."
    if len(password) > MAX_LENGTH:
        return f"Use at most {MAX_LENGTH} characters: a long passphrase is fine, this is too long."
    if password.strip().lower() in common_passwords():
        return "This is one of the most common passwords, so it is the first one attackers try. Choose another."
    return None


def acceptable_password(form, field) -> None:
    """WTForms validator for a new password."""
    problem = password_problem(field.data or "")
    if problem:
        raise ValidationError(problem)
