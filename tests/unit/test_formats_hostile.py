"""Hostile files are refused with a clear message, without hanging or eating memory.

Each test runs the reader behind a deadline (a hang fails the test instead of the
suite) and measures peak allocation with tracemalloc; how fast each refusal is, is
printed by bench/formats_bench.py (timings are never asserted in tests)."""

import random
import threading
import tracemalloc

from studyapp.domain.formats import MAX_FILE_BYTES, MAX_QUESTIONS, parse_file

DEADLINE_SECONDS = 10


def refuse(name: str, raw: bytes, text_format: str | None = None):
    """(format, parsed, peak bytes allocated while reading), failing if the reader does not return in time."""
    outcome = {}

    def run():
        tracemalloc.start()
        try:
            outcome["result"] = parse_file(name, raw, text_format)
            outcome["peak"] = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(DEADLINE_SECONDS)
    assert not worker.is_alive(), f"reading {name} did not finish within {DEADLINE_SECONDS} s"
    fmt, parsed = outcome["result"]
    assert parsed.questions == []
    return fmt, parsed, outcome["peak"]


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<quiz><question type="multichoice"><name><text>&lol9;</text></name></question></quiz>
"""


def test_billion_laughs_xml_is_refused_before_any_entity_expands():
    fmt, parsed, peak = refuse("laughs.xml", BILLION_LAUGHS)
    assert fmt == "moodlexml"
    assert [(p.line, p.message) for p in parsed.problems] == [
        (2, "the file declares a DTD or entities (<!DOCTYPE ...>), which are refused: "
            "they can expand without limit or read other files")]
    assert peak < 5_000_000


def test_ten_thousand_nested_gift_braces_are_refused():
    raw = b"Deep? " + b"{" * 10_000 + b"=a ~b" + b"}" * 10_000 + b"\n"
    fmt, parsed, peak = refuse("deep.gift", raw)
    assert fmt == "gift"
    assert [(p.line, p.message) for p in parsed.problems] == [
        (1, "unbalanced braces: a { inside the answers (write \\{ for a brace in the text)")]
    assert peak < 5_000_000


def test_a_fifty_megabyte_file_is_refused_unread():
    raw = b"Big? {=a ~b}\n\n" * (50 * 1024 * 1024 // 14)
    fmt, parsed, peak = refuse("big.gift", raw)
    assert [p.message for p in parsed.problems] == [
        f"file is {len(raw):,} bytes; an import file may hold at most {MAX_FILE_BYTES:,} (split it into several files)"]
    assert peak < 1_000_000  # not a byte of it was decoded or copied


def test_binary_garbage_is_refused_as_not_text():
    raw = random.Random(9).randbytes(200_000)
    _, parsed, _ = refuse("garbage.gift", raw)
    assert [p.message for p in parsed.problems] == ["this is a binary file, not a text file of questions"]


def test_a_file_that_is_not_utf8_says_so():
    _, parsed, _ = refuse("latin1.txt", "Qui est-ce ? {=Été ~Hiver}\n".encode("latin-1"), "gift")
    assert [(p.line, p.message) for p in parsed.problems] == [
        (1, "the file is not UTF-8 (byte 0xc9); save it as UTF-8 and import it again")]


def test_more_questions_than_the_cap_are_refused_whole():
    raw = b"".join(b"Q%d? {=a ~b}\n\n" % n for n in range(MAX_QUESTIONS + 1))
    _, parsed, _ = refuse("many.gift", raw)
    assert [p.message for p in parsed.problems] == [
        f"file holds {MAX_QUESTIONS + 1:,} questions; an import file may hold at most {MAX_QUESTIONS:,} "
        "(split it into several files)"]
