"""Item-writing lint: cues that let a guesser who knows no MoP beat chance (25 %).

Warnings, not errors: `bank check` prints them and `--strict` fails on them; the
trainer's editor can show each beside the field its `field` path names ("stem",
"options.2.text"), as it does for `question_rules.FieldProblem`. A question may
acknowledge a warning with a reason (`lint_ok: {key-longest: "..."}`), which
silences exactly that code for that question.

One feature extraction, `option_cues`, serves both the warnings and
`bench/cue_guesser.py`, so the benchmark measures exactly what the lint looks for.

Measured on the shipped bank (385 questions) when this was written. A "false alarm" is a warning
that, read by hand, would not help a guesser; every warning of every rule was read.
- absolute-in-distractors: in the bank `only` is in 54 distractors and 2 keys,
  `every` 36 / 3, `must` 22 / 3, `always`+`never` 9 / 0 (3:1 is chance). `all`
  (25 / 6) and `each` (54 / 10) are barely above chance and often just count
  ("all five principles"), so they are not absolute words here. "every five years"
  is a frequency, not a sweeping claim, and is skipped.
- key-shares-stem-words: words in more than 10 % of all options (portfolio,
  initiative, management) echo every stem and are ignored; so are "use"/"used".
  A 6-letter prefix stemmer matched "committee" with "committing"; suffix stripping
  does not. Of 38 warnings, one is weak (ROL-025: "Group" echoed from another body's name).
- key-odd-form: three options sharing a last or first word while the key does not,
  or a key whose word count lies well outside the distractors' range. Articles
  (a, an, the, one) count as one opening word: "A ..." against "The ..." was a
  false alarm in every case read. Options joined with "and" or a comma split 3-1
  too (key the odd one in ~half of those), but that is not flagged.
- key-longest: 1.3 x the longest distractor and 8+ characters more; at 1.3 alone,
  "A process perspective" (21) against "A maturity level" (16) was flagged.
- near-duplicate-stem: `similar_stems` at 0.6 on the raw wording paired only
  template stems ("Which of the following is NOT one of ...": 8 pairs, all false);
  requiring the content words (template words dropped) to be 0.6 alike as well
  leaves pairs that read as the same question.
- near-duplicate-key: keys 0.75 alike (content words) AND stems sharing content
  words with a Dice overlap of 0.37 or more. On the bank: 24 pairs (18 questions),
  every one the same fact asked twice on reading; the next pair down (0.36, DEF-065/DEF-069)
  asks different things about the same document. Questions sharing only a key
  term ("Portfolio Direction Group", 40+ pairs) overlap 0.33 or less.
  Twins below the bar (missed): DEL-013/ROL-008, DEL-019/DOC-006 (0.33)."""

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from studyapp.domain.question_rules import FieldProblem, similar_stems

CODES = {
    "absolute-in-distractors": "absolute words only in distractors (or, in a NOT question, only in the key)",
    "key-shares-stem-words": "the key alone repeats words of the stem",
    "key-odd-form": "the key is the odd one out in form or length",
    "key-longest": "the key is the longest option by a wide margin",
    "all-none-above": "'all of the above' or 'none of the above'",
    "negative-not-capitals": "a negative stem without its negative word in capitals",
    "near-duplicate-stem": "a stem that reads like another question's",
    "near-duplicate-key": "the same fact tested twice: alike keys and overlapping stems",
}
MAX_REASON = 500

ABSOLUTE_WORDS = frozenset({"always", "never", "only", "every", "must", "none", "nothing", "everything",
                            "whatever", "any", "completely", "entirely", "solely", "exclusively",
                            "guarantee", "guarantees", "guaranteed"})
_FREQUENCY = re.compile(r"\bevery\s+(single\s+)?(\d+|two|three|four|five|six|ten|day|week|month|quarter|year)", re.I)
_ALL_NONE = re.compile(r"\b(all|none|both) of the (above|following)\b|\ball of these\b", re.I)
# "at least" is not a negative question; FALSE and OUTSIDE are negative only when written as capitals.
_NEGATIVE = re.compile(r"(?<!at )\b(not|except|least|incorrect|untrue)\b", re.I)
_NEGATIVE_CAPITALS = re.compile(r"\b(NOT|EXCEPT|LEAST|INCORRECT|UNTRUE|FALSE|OUTSIDE)\b")
_STOP = frozenset(
    "a an the of to in on for and or is are be by with as at it its this that which what who whom whose these those "
    "from into than then most best does do did has have had not can may will would should could their they them his "
    "her he she you your we our us one two three four five six seven more less each every all any both how why when "
    "where there here about over under between after before during such so if no yes also only own same other "
    "another being been was were mop following statement describes describe use used uses using main".split())
# Words in more than 10 % of the bank's options: an echo of these in the key is no cue.
GENERIC_WORDS = frozenset({"portfolio", "initiativ", "manag"})
_DETERMINERS = frozenset({"a", "an", "the", "one"})
_SUFFIXES = ("ations", "ation", "ments", "ment", "ings", "ing", "ies", "es", "ed", "al", "ic", "s", "e", "y")

LONGEST_RATIO, LONGEST_MIN_CHARS = 1.3, 8
ODD_WORDS_RATIO, ODD_WORDS_MIN = 1.5, 2
SIMILAR_STEMS_LINT = 0.6
SIMILAR_KEYS, STEM_OVERLAP = 0.75, 0.37


@dataclass(frozen=True)
class LintWarning:
    code: str
    field: str
    message: str


@dataclass(frozen=True)
class OptionCues:
    """What a guesser can see in one option without knowing MoP."""

    absolute: tuple[str, ...] = ()
    shared_stem_words: tuple[str, ...] = ()
    odd_form: str = ""
    longest: bool = False
    all_none: bool = False


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


def _stem(word: str) -> str:
    # Two rounds of suffix stripping: organizational -> organization -> organiz.
    for _ in range(2):
        for suffix in _SUFFIXES:
            if word.endswith(suffix) and len(word) - len(suffix) >= 4:
                word = word[: -len(suffix)]
                break
    return word


def content_words(text: str) -> list[str]:
    """Stemmed words that carry meaning: no template or function words."""
    # Numbers are facts ("100", "3"), however short.
    return [_stem(w) for w in words(text) if w not in _STOP and (len(w) > 2 or w.isdigit())]


def is_negative(stem: str) -> bool:
    """Whether the stem asks for the exception (NOT, EXCEPT, LEAST ...), in any case."""
    asking = question_sentence(stem)
    return bool(_NEGATIVE_CAPITALS.search(asking) or _NEGATIVE.search(asking))


def question_sentence(stem: str) -> str:
    """The sentence that asks; a scenario before it may say "not" without being negative."""
    asking = stem.strip()
    if "?" in asking:
        asking = asking[: asking.rindex("?")]
    sentences = re.split(r"(?<=[.!?])\s+", asking)
    # An elliptical "... that project plans do not?" is not a negative question.
    return re.sub(r"\bnot\s*$", "", sentences[-1])


def _absolute_words(text: str) -> tuple[str, ...]:
    found = set(words(_FREQUENCY.sub(" ", text))) & ABSOLUTE_WORDS
    return tuple(sorted(found))


def _shared_stem_words(stem: str, text: str) -> tuple[str, ...]:
    shared = set(content_words(stem)) & set(content_words(text))
    return tuple(sorted(shared - GENERIC_WORDS))


def option_cues(values: Mapping) -> list[OptionCues]:
    """The cues of each option of one question (plain values, as `check_question` takes)."""
    texts = [str(o.get("text", "")).strip() for o in values["options"]]
    stem = str(values.get("stem", ""))
    return [
        OptionCues(
            absolute=_absolute_words(text),
            shared_stem_words=_shared_stem_words(stem, text),
            odd_form=_odd_form(texts, number),
            longest=_longest_by_far(texts, number),
            all_none=bool(_ALL_NONE.search(text)),
        )
        for number, text in enumerate(texts)
    ]


def _longest_by_far(texts: list[str], number: int) -> bool:
    others = max(len(t) for i, t in enumerate(texts) if i != number)
    mine = len(texts[number])
    return mine >= LONGEST_RATIO * others and mine - others >= LONGEST_MIN_CHARS


def _odd_form(texts: list[str], number: int) -> str:
    """Why option `number` stands apart from all the others in form, or ""."""
    token_lists = [words(t) or [""] for t in texts]
    rest = [t for i, t in enumerate(token_lists) if i != number]
    mine = token_lists[number]
    endings = {_stem(t[-1]) for t in rest}
    if len(rest) >= 3 and len(endings) == 1 and _stem(mine[-1]) not in endings:
        return f"the other options all end in '{rest[0][-1]}' and this one does not"
    openings = {_opening(t) for t in rest}
    if len(rest) >= 3 and len(openings) == 1 and _opening(mine) not in openings:
        return f"the other options all start with '{rest[0][0]}' and this one does not"
    return _odd_word_count(len(mine), [len(t) for t in rest])


def _opening(tokens: list[str]) -> str:
    return "a" if tokens[0] in _DETERMINERS else tokens[0]


def _odd_word_count(mine: int, rest: list[int]) -> str:
    low, high = min(rest), max(rest)
    if mine >= high + ODD_WORDS_MIN and mine >= ODD_WORDS_RATIO * high:
        return f"it has {mine} words and the others {low}-{high}"
    if low >= mine + ODD_WORDS_MIN and low >= ODD_WORDS_RATIO * mine:
        return f"it has {mine} words and the others {low}-{high}"
    return ""


# --- one question ------------------------------------------------------------------------


def lint_question(values: Mapping) -> list[LintWarning]:
    """Every cue in one question that points a guesser at the key, minus acknowledged ones.

    Expects values that pass `check_question` (exactly one correct option); returns
    nothing for a question without one, since there is no key to give away."""
    options = values.get("options") or []
    keys = [n for n, o in enumerate(options) if isinstance(o, Mapping) and o.get("correct")]
    if len(keys) != 1 or len(options) < 3:
        return []
    key, cues = keys[0], option_cues(values)
    found = [
        _absolute_rule(values, cues, key), _shared_words_rule(cues, key), _longest_rule(cues, key),
        _odd_form_rule(cues, key), _all_none_rule(cues), _negative_capitals_rule(values),
    ]
    return [w for w in found if w and not acknowledged(values, w.code)]


def acknowledged(values: Mapping, code: str) -> bool:
    """Whether the question's `lint_ok` acknowledges warnings of `code`."""
    return code in (values.get("lint_ok") or {})


def _label(number: int) -> str:
    return "ABCDEF"[number]


def _absolute_rule(values: Mapping, cues: list[OptionCues], key: int) -> LintWarning | None:
    flagged = [n for n, c in enumerate(cues) if c.absolute and n != key]
    if is_negative(values["stem"]):
        if cues[key].absolute and not flagged:
            return LintWarning("absolute-in-distractors", f"options.{key}.text", (
                f"only the key says '{', '.join(cues[key].absolute)}' in a NOT question: a guesser looks for the "
                "sweeping claim, because sweeping claims are the false ones; put a qualifier in the key too"))
        return None
    if cues[key].absolute or not flagged:
        return None
    found = sorted({w for n in flagged for w in cues[n].absolute})
    return LintWarning("absolute-in-distractors", f"options.{flagged[0]}.text", (
        f"option(s) {', '.join(_label(n) for n in flagged)} say '{', '.join(found)}' and the key has no such word: "
        "guessers cross out options that claim always/never/only, which leaves fewer to pick from; "
        "make the distractor a plausible qualified claim or give the key an equally firm word"))


def _shared_words_rule(cues: list[OptionCues], key: int) -> LintWarning | None:
    sharing = [n for n, c in enumerate(cues) if c.shared_stem_words]
    if sharing != [key]:
        return None
    return LintWarning("key-shares-stem-words", f"options.{key}.text", (
        f"only the key repeats stem words ({', '.join(cues[key].shared_stem_words)}): a guesser picks the option "
        "that echoes the question; use the word in a distractor too, or reword the stem"))


def _longest_rule(cues: list[OptionCues], key: int) -> LintWarning | None:
    if not cues[key].longest:
        return None
    return LintWarning("key-longest", f"options.{key}.text", (
        f"the key is at least {LONGEST_RATIO:.0%} as long as any distractor: guessers pick the longest, most "
        "qualified option, because writers add detail to make the key exactly right; trim it or lengthen one "
        "distractor"))


def _odd_form_rule(cues: list[OptionCues], key: int) -> LintWarning | None:
    reason = cues[key].odd_form
    if not reason or (cues[key].longest and "words" in reason):
        return None  # a key that is just much longer is reported once, as key-longest
    return LintWarning("key-odd-form", f"options.{key}.text", (
        f"the key is the odd one out: {reason}; a guesser picks the option that does not match the others, "
        "because three distractors written alike betray the one written differently"))


def _all_none_rule(cues: list[OptionCues]) -> LintWarning | None:
    flagged = [n for n, c in enumerate(cues) if c.all_none]
    if not flagged:
        return None
    return LintWarning("all-none-above", f"options.{flagged[0]}.text", (
        "'all/none of the above' lets a guesser who knows two options are true (or one false) answer without "
        "knowing the rest, and it is the key far more often than chance; write a fourth real option"))


def _negative_capitals_rule(values: Mapping) -> LintWarning | None:
    asking = question_sentence(values["stem"])
    lower = [m.group(0) for m in _NEGATIVE.finditer(asking) if m.group(0) != m.group(0).upper()]
    if not lower:
        return None
    return LintWarning("negative-not-capitals", "stem", (
        f"the stem asks a negative question with '{lower[0]}' in lower case: a learner who knows MoP but misses it "
        "answers the opposite question, so a careful guesser gains on them and the item tests reading, not MoP; "
        f"write {lower[0].upper()}"))


# --- across the bank ---------------------------------------------------------------------


def _key_text(values: Mapping) -> tuple[int, str]:
    return next((n, str(o["text"])) for n, o in enumerate(values["options"]) if o.get("correct"))


def _stem_overlap(first: str, second: str) -> float:
    """Dice overlap of two stems' content words, ignoring words every question uses."""
    a, b = set(content_words(first)) - GENERIC_WORDS, set(content_words(second)) - GENERIC_WORDS
    return 2 * len(a & b) / (len(a) + len(b)) if a and b else 0.0


def lint_bank(questions: Iterable[Mapping]) -> list[tuple[str, LintWarning]]:
    """Warnings that need the whole bank: near-duplicate stems and the same fact tested twice.

    Each pair is reported on the later question (in bank order), naming the earlier."""
    items = [q for q in questions if sum(bool(o.get("correct")) for o in q.get("options") or []) == 1]
    found = _near_duplicate_stems(items) + _near_duplicate_keys(items)
    by_id = {q["id"]: q for q in items}
    return [(qid, w) for qid, w in found if not acknowledged(by_id[qid], w.code)]


def _near_duplicate_stems(items: list[Mapping]) -> list[tuple[str, LintWarning]]:
    found = []
    for position, later in enumerate(items):
        earlier = items[:position]
        wording = dict(similar_stems(later["stem"], [(q["id"], q["stem"]) for q in earlier], SIMILAR_STEMS_LINT))
        if not wording:
            continue
        content = dict(similar_stems(" ".join(content_words(later["stem"])),
                                     [(q["id"], " ".join(content_words(q["stem"]))) for q in earlier
                                      if q["id"] in wording], SIMILAR_STEMS_LINT))
        twins = [f"{qid} ({wording[qid]:.0%} alike)" for qid in content if qid != later["id"]]
        if twins:
            found.append((later["id"], LintWarning("near-duplicate-stem", "stem", (
                f"the stem reads like {', '.join(twins)}: a learner who has met that question recognises this one "
                "and answers from memory of the other, not from MoP; ask about a different fact or reword"))))
    return found


def _near_duplicate_keys(items: list[Mapping]) -> list[tuple[str, LintWarning]]:
    keys = [(q["id"], " ".join(content_words(_key_text(q)[1]))) for q in items]
    found = []
    for position, later in enumerate(items):
        if not keys[position][1]:
            continue  # a key of function words only ("Seven") is a fact too short to compare
        alike = dict(similar_stems(keys[position][1], [k for k in keys[:position] if k[1]], SIMILAR_KEYS))
        twins = [q["id"] for q in items[:position]
                 if q["id"] in alike and q["id"] != later["id"] and _stem_overlap(q["stem"], later["stem"]) >= STEM_OVERLAP]
        if twins:
            number, text = _key_text(later)
            found.append((later["id"], LintWarning("near-duplicate-key", f"options.{number}.text", (
                f"the same fact as {', '.join(twins)}: the key '{text}' and the stem's content nearly repeat it, so "
                "a learner who met one is handed the other and a mock can ask it twice; test a different fact"))))
    return found


# --- acknowledgements ----------------------------------------------------------------------


def acknowledgement_problems(lint_ok) -> list[FieldProblem]:
    """Problems with a `lint_ok` field: a mapping of known warning codes to real reasons."""
    if lint_ok is None:
        return []
    if not isinstance(lint_ok, Mapping) or not lint_ok:
        return [FieldProblem("lint_ok", "lint_ok must map warning codes to reasons, e.g. {key-longest: \"...\"}")]
    problems = []
    for code, reason in lint_ok.items():
        if code not in CODES:
            problems.append(FieldProblem("lint_ok", f"lint_ok names unknown warning {code!r} "
                                                    f"(known: {', '.join(CODES)})"))
        elif not (isinstance(reason, str) and reason.strip()):
            problems.append(FieldProblem(f"lint_ok.{code}", f"lint_ok {code} needs a reason a reviewer can accept"))
        elif len(reason) > MAX_REASON:
            problems.append(FieldProblem(f"lint_ok.{code}", f"lint_ok {code}: keep the reason under {MAX_REASON} characters"))
    return problems
