"""Benchmark (b): the app's mastery estimator on ASSISTments next-answer prediction.

Usage: python bench/mastery_bench.py [--data ../shared/data]

Parameters are fitted on the training students only (a grid search on a sample
of them); every test student is then predicted online, answer by answer, before
the answer is revealed. Baselines from ../shared/data/README.md are recomputed
in the same run on the same split."""

import argparse
import itertools
import random
import sys
import time
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _metrics import log_loss, row  # noqa: E402

from studyapp.domain.mastery import DEFAULT_PARAMS, MasteryTracker  # noqa: E402

Student = list[tuple[str, int]]


def read_students(path: Path) -> list[Student]:
    lines = path.read_text().split("\n")
    students = []
    for i in range(0, len(lines) - 2, 3):
        skills = [s for s in lines[i + 1].strip().split(",") if s]
        answers = [int(a) for a in lines[i + 2].strip().split(",") if a]
        students.append(list(zip(skills, answers)))
    return students


def facilities(students: list[Student]) -> tuple[dict[str, float], float]:
    right, total = defaultdict(int), defaultdict(int)
    for student in students:
        for skill, correct in student:
            right[skill] += correct
            total[skill] += 1
    overall = sum(right.values()) / sum(total.values())
    return {s: right[s] / total[s] for s in total}, overall


def predict_app(students, facility, params):
    outcomes, predictions = [], []
    for student in students:
        tracker = MasteryTracker(facility=facility, params=params)
        for skill, correct in student:
            predictions.append(tracker.estimate(skill).mean)
            outcomes.append(correct)
            tracker.record(skill, bool(correct))
    return outcomes, predictions


def predict_ewma(students, facility, overall, alpha=0.2):
    outcomes, predictions = [], []
    for student in students:
        state = {}
        for skill, correct in student:
            p = state.get(skill, facility.get(skill, overall))
            predictions.append(p)
            outcomes.append(correct)
            state[skill] = (1 - alpha) * p + alpha * correct
    return outcomes, predictions


def fit(train, facility, overall):
    """Grid search on a sample of training students, minimising log loss."""
    sample = random.Random(7).sample(train, min(800, len(train)))
    base = replace(DEFAULT_PARAMS, global_rate=overall)
    grid = itertools.product([0.7, 0.75, 0.8, 0.85], [0.5, 1.0, 1.5, 2.5], [0.9, 0.95, 0.98], [0.5, 1.0, 1.5])
    best = None
    for decay, strength, learner_decay, weight in grid:
        params = replace(base, topic_decay=decay, prior_strength=strength,
                         learner_decay=learner_decay, learner_weight=weight)
        loss = log_loss(*predict_app(sample, facility, params))
        if best is None or loss < best[0]:
            best = (loss, params)
    return best[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "data")
    args = parser.parse_args()
    train = read_students(args.data / "assistments_builder_train.csv")
    test = read_students(args.data / "assistments_builder_test.csv")
    facility, overall = facilities(train)
    started = time.perf_counter()
    params = fit(train, facility, overall)
    fitted_in = time.perf_counter() - started
    outcomes, _ = predict_ewma(test, facility, overall)
    print(f"ASSISTments: {len(train)} train students, {len(test)} test students, {len(outcomes)} test answers")
    print(f"fitted on train in {fitted_in:.1f}s: {params}\n")
    print("| estimator | log loss | AUC |\n|---|---|---|")
    print(row("global mean (baseline)", outcomes, [overall] * len(outcomes)))
    print(row("topic facility only (baseline)", outcomes, [facility.get(s, overall) for st in test for s, _ in st]))
    print(row("EWMA alpha 0.2, start = facility (baseline to beat)", *predict_ewma(test, facility, overall)))
    print(row("studyapp default parameters", *predict_app(test, facility, replace(DEFAULT_PARAMS, global_rate=overall))))
    started = time.perf_counter()
    app = predict_app(test, facility, params)
    elapsed = time.perf_counter() - started
    print(row("studyapp MasteryTracker, fitted on train", *app))
    print(f"\nstudyapp estimator speed: {len(outcomes) / elapsed:,.0f} answers/s")


if __name__ == "__main__":
    main()
