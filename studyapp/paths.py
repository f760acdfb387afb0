"""Where the app finds its templates and shipped content.

Order: explicit config, then the source checkout (an editable install), then the
copy bundled into the wheel by hatchling (see pyproject.toml)."""

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
CHECKOUT_DIR = PACKAGE_DIR.parent
BUNDLED_DIR = PACKAGE_DIR / "_bundled"


def content_dir(name: str, configured: str | None = None) -> Path:
    """Return the folder `name` (syllabus, question_bank, templates) to use."""
    if configured:
        return Path(configured)
    for base in (CHECKOUT_DIR, BUNDLED_DIR):
        candidate = base / name
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"cannot find the {name!r} folder in {CHECKOUT_DIR} or {BUNDLED_DIR}")
