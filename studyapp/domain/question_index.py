"""What the trainer's bank searches and filters on, computed once per version.

A version is immutable, so its search text and tag key are worked out when it is
stored; the bank page then filters with plain LIKE instead of parsing JSON per row."""

import re
from collections.abc import Iterable, Mapping

MAX_TERMS = 8


def search_text(stem: str, options: Iterable[Mapping], explanation: str) -> str:
    """Stem, every option's text and why, and the explanation, case-folded, one space apart."""
    parts = [stem] + [f"{o['text']} {o['why']}" for o in options] + [explanation]
    return " ".join(" ".join(parts).split()).casefold()


def tags_key(tags: Iterable[str]) -> str:
    """"|a|b|": a tag filter is LIKE '%|tag|%', exact on whole tags."""
    tags = [t.strip().casefold() for t in tags if t.strip()]
    return f"|{'|'.join(tags)}|" if tags else ""


def search_terms(query: str) -> list[str]:
    """The words of a search box, case-folded; every one must occur (at most MAX_TERMS)."""
    return [term.casefold() for term in re.findall(r"[^\s\"']+", query or "")][:MAX_TERMS]
