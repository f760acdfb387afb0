"""Import/export speed of the shipped bank in every format, and how fast hostile files are refused.

Prints studyapp's figures beside a bare baseline computed in the same run: for reading,
the standard library's own reader of the same bytes (csv.reader, ElementTree, str.split);
for hostile files, just decoding the bytes. Run: .venv/bin/python bench/formats_bench.py"""

import csv
import io
import random
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from studyapp.content.services import syllabus_index  # noqa: E402
from studyapp.domain.bank import parse_bank_file, read_bank_dir  # noqa: E402
from studyapp.domain.formats import anki, aiken, csv_format, gift, moodle_xml, parse_file  # noqa: E402
from studyapp.domain.syllabus import load_syllabus  # noqa: E402

BASELINES = {"gift": lambda t: t.split("\n\n"), "aiken": lambda t: t.split("\n\n"),
             "moodlexml": lambda t: ET.fromstring(t), "csv": lambda t: list(csv.reader(io.StringIO(t)))}
WRITERS = {"gift": gift, "aiken": aiken, "moodlexml": moodle_xml, "csv": csv_format}


def best_of(function, repeat=5) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    index = syllabus_index(load_syllabus(ROOT / "syllabus"))
    specs = [s for name, raw in read_bank_dir(ROOT / "question_bank") for s in parse_bank_file(name, raw, index)[0]]
    print(f"shipped bank: {len(specs)} questions")
    print(f"{'format':<10} {'bytes':>9} {'write ms':>9} {'read ms':>9} {'stdlib split/parse ms':>22}")
    for fmt, module in WRITERS.items():
        text = module.write(specs)
        write_ms = best_of(lambda: module.write(specs)) * 1000
        read_ms = best_of(lambda: parse_file(f"bank.{fmt}", text.encode(), fmt)) * 1000
        base_ms = best_of(lambda: BASELINES[fmt](text)) * 1000
        print(f"{fmt:<10} {len(text.encode()):>9,} {write_ms:>9.1f} {read_ms:>9.1f} {base_ms:>22.1f}")
    print(f"{'apkg':<10} {len(anki.write(specs)):>9,} {best_of(lambda: anki.write(specs), 2) * 1000:>9.1f}")

    laughs = (b'<?xml version="1.0"?>\n<!DOCTYPE l [<!ENTITY a "aaaaaaaaaa">' +
              b"".join(b'<!ENTITY a%d "%s">' % (n, (b"&a%d;" % (n - 1) if n else b"&a;") * 10) for n in range(1, 10)) +
              b"]>\n<quiz>&a9;</quiz>")
    hostile = {"billion laughs (xml)": ("laughs.xml", laughs),
               "10,000 nested braces": ("deep.gift", b"Q " + b"{" * 10_000 + b"=a ~b" + b"}" * 10_000),
               "50 MB file": ("big.gift", b"Q? {=a ~b}\n\n" * (50 * 1024 * 1024 // 12)),
               "binary garbage (1 MB)": ("junk.gift", random.Random(1).randbytes(1024 * 1024))}
    print(f"\n{'hostile file':<24} {'refused in ms':>14} {'bytes.decode ms':>16}  message")
    for label, (name, raw) in hostile.items():
        _, parsed = parse_file(name, raw)
        refused = best_of(lambda: parse_file(name, raw), 3) * 1000
        decode = best_of(lambda: raw.decode("utf-8", "replace"), 3) * 1000
        print(f"{label:<24} {refused:>14.2f} {decode:>16.2f}  {parsed.problems[0].message[:70]}")


if __name__ == "__main__":
    main()
