"""Benchmark: is readiness calibrated? Predicted 50-question scores against real ones.

Usage: python bench/readiness_bench.py [--data ../shared/data] [--split test|train]

Real learners: the ASSISTments 2009-10 skill-builder students (../shared/data, never
copied into the repository). Each test student is walked answer by answer through the
app's own MasteryTracker (default parameters, topic facility from the training
students). At every 50th answer from the 60th on (readiness is withheld before 60),
while 50 more answers follow, the next 50 answers are the "mock": each skill is a module
whose share is its count among those 50, and studyapp.domain.readiness.readiness() -
the function the app calls - predicts the score with its 90 % band and the chance of
reaching 25. Nothing about the next 50 answers but their skills is used.

Printed: how often the real score falls inside the 90 % band (target 88-92 %), overall
and by predicted score; the Brier score of the pass probability beside a baseline (the
learner's running accuracy with a binomial spread) and the base rate; a reliability table.
"""

import argparse
import math
import sys
from collections import Counter
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from mastery_bench import facilities, read_students  # noqa: E402

from studyapp.domain.exams import EXAM_PASS_MARK, EXAM_QUESTIONS  # noqa: E402
from studyapp.domain.mastery import MasteryTracker  # noqa: E402
from studyapp.domain.readiness import ReadinessRules, readiness  # noqa: E402
from studyapp.domain.report import TopicStanding  # noqa: E402

FIRST, STEP = 60, 50


def predictions(students, facility, **constants):
    """(predicted, low, high, pass probability, running accuracy, real score) per checkpoint."""
    rules = replace(ReadinessRules(**constants), min_answers=FIRST, min_answers_per_module=0)
    rows = []
    for student in students:
        tracker = MasteryTracker(facility=facility)
        right = 0
        for t, (skill, correct) in enumerate(student):
            if t >= FIRST and (t - FIRST) % STEP == 0 and t + EXAM_QUESTIONS <= len(student):
                mock = student[t:t + EXAM_QUESTIONS]
                shares = Counter(s for s, _ in mock)
                standings = [TopicStanding(s, s, s, s, n, tracker.estimate(s), True) for s, n in shares.items()]
                r = readiness(standings, {"all": t}, [], rules)
                rows.append((r.predicted, r.low, r.high, r.pass_probability, right / t, sum(c for _, c in mock)))
            tracker.record(skill, bool(correct))
            right += correct
    return rows


def baseline_pass(accuracy: float) -> float:
    """Running accuracy as a binomial score, normal tail at the pass mark."""
    mean, sd = EXAM_QUESTIONS * accuracy, math.sqrt(EXAM_QUESTIONS * accuracy * (1 - accuracy))
    if sd == 0:
        return 1.0 if mean >= EXAM_PASS_MARK - 0.5 else 0.0
    return 0.5 * math.erfc((EXAM_PASS_MARK - 0.5 - mean) / (sd * math.sqrt(2)))


def brier(pairs) -> float:
    return sum((p - y) ** 2 for p, y in pairs) / len(pairs)


def report(rows, title: str) -> None:
    passed = [int(score >= EXAM_PASS_MARK) for *_, score in rows]
    inside = [low - 0.5 <= score <= high + 0.5 for _, low, high, _, _, score in rows]
    print(f"## {title}\n")
    print(f"{len(rows)} predictions; real score inside the 90 % band: {100 * sum(inside) / len(rows):.1f} %")
    print(f"mean band width {sum(h - lo for _, lo, h, *_ in rows) / len(rows):.1f} marks; "
          f"mean error {sum(p - s for p, *_, s in rows) / len(rows):+.2f}, "
          f"mean absolute error {sum(abs(p - s) for p, *_, s in rows) / len(rows):.2f} marks\n")
    print("| predicted score | predictions | inside the band | passed | mean P(pass) |\n|---|---|---|---|---|")
    for low, high in ((0, 15), (15, 25), (25, 35), (35, 51)):
        chosen = [(i, r) for i, r in enumerate(rows) if low <= r[0] < high]
        if chosen:
            print(f"| {low}-{min(high, 50)} | {len(chosen)} | {100 * sum(inside[i] for i, _ in chosen) / len(chosen):.0f} % "
                  f"| {100 * sum(passed[i] for i, _ in chosen) / len(chosen):.0f} % "
                  f"| {100 * sum(r[3] for _, r in chosen) / len(chosen):.0f} % |")
    rate = sum(passed) / len(passed)
    print(f"\nBrier score of P(pass >= {EXAM_PASS_MARK}/50), lower is better:\n")
    print("| predictor | Brier |\n|---|---|")
    print(f"| base rate {rate:.2f} for everyone | {brier([(rate, y) for y in passed]):.4f} |")
    print(f"| running accuracy, binomial (baseline) | {brier([(baseline_pass(r[4]), y) for r, y in zip(rows, passed)]):.4f} |")
    print(f"| studyapp readiness | {brier([(r[3], y) for r, y in zip(rows, passed)]):.4f} |")
    print("\nReliability of P(pass):\n\n| P(pass) | predictions | mean P(pass) | passed |\n|---|---|---|---|")
    for k in range(10):
        chosen = [(r[3], y) for r, y in zip(rows, passed) if k / 10 <= r[3] < (k + 1) / 10 or (k == 9 and r[3] == 1)]
        if chosen:
            print(f"| {k / 10:.1f}-{(k + 1) / 10:.1f} | {len(chosen)} | {100 * sum(p for p, _ in chosen) / len(chosen):.0f} % "
                  f"| {100 * sum(y for _, y in chosen) / len(chosen):.0f} % |")
    print()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "data")
    parser.add_argument("--split", choices=["test", "train"], default="test",
                        help="train: the students any readiness constant may be tuned on")
    args = parser.parse_args()
    train = read_students(args.data / "assistments_builder_train.csv")
    facility, _ = facilities(train)
    students = train if args.split == "train" else read_students(args.data / "assistments_builder_test.csv")
    rows = predictions(students, facility)
    used = len({id(s) for s in students if len(s) >= FIRST + EXAM_QUESTIONS})
    report(rows, f"ASSISTments {args.split} students with {FIRST + EXAM_QUESTIONS}+ answers: {used}")


if __name__ == "__main__":
    main()
