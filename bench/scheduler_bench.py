"""Benchmark (a): the app's scheduling code replaying a real Anki review log.

Usage: python bench/scheduler_bench.py [--data ../shared/data]

Chronological split as in ../shared/data/README.md: reviews before 2024-09-21
train (here: only the constant baseline's retention is fitted; FSRS uses its
default parameters), later reviews are predicted. For every held-out review
that is not a same-day repeat of the card, each model predicts the chance of
recall (rating > 1) from the card's state just before it. The app replays
answers through studyapp.domain.scheduling exactly as a learner's answers flow
(wrong = Again, right = Good, Hard = right but guessed)."""

import argparse
import csv
import sys
import time
from collections import defaultdict
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _metrics import row  # noqa: E402
from fsrs import Card, Rating, Scheduler  # noqa: E402

from studyapp.domain.scheduling import Review, make_scheduler, new_card, recall_probability, review  # noqa: E402

SPLIT = datetime(2024, 9, 21, tzinfo=timezone.utc)
# "Not a same-day repeat": at least a day since the card's previous review. This
# reproduces the README's training retention (0.775 vs 0.776); its held-out count
# (1,678) we could not reproduce exactly, so the baselines are recomputed here on
# exactly the reviews the app is scored on.
MIN_GAP = timedelta(days=1)


def is_scored(previous: datetime | None, moment: datetime) -> bool:
    return previous is not None and moment >= SPLIT and moment - previous >= MIN_GAP


def read_log(path: Path) -> dict[str, list[tuple[datetime, int]]]:
    cards = defaultdict(list)
    with path.open() as handle:
        for record in csv.DictReader(handle):
            moment = datetime.fromisoformat(record["review_time"]).astimezone(timezone.utc)
            cards[record["card_id"]].append((moment, int(record["review_rating"])))
    return {card: sorted(reviews) for card, reviews in cards.items()}


def as_answer(moment: datetime, rating: int) -> Review:
    """A logged Anki rating as a studyapp answer: 1 wrong, 2 right but guessed, 3-4 right."""
    return Review(moment, correct=rating > 1, guessed=rating == 2)


def predict_app(cards):
    scheduler = make_scheduler()
    outcomes, predictions = [], []
    for reviews in cards.values():
        state = None
        for moment, rating in reviews:
            if is_scored(state and state.last_review, moment):
                predictions.append(recall_probability(state, moment, scheduler))
                outcomes.append(int(rating > 1))
            state = review(state or new_card(moment), as_answer(moment, rating), scheduler)
    return outcomes, predictions


def predict_library(cards):
    """The fsrs library used directly with the logged ratings (the README's reference)."""
    scheduler = Scheduler(enable_fuzzing=False)
    outcomes, predictions = [], []
    for reviews in cards.values():
        card = None
        for moment, rating in reviews:
            if is_scored(card and card.last_review, moment):
                predictions.append(scheduler.get_card_retrievability(card, current_datetime=moment))
                outcomes.append(int(rating > 1))
            card, _ = scheduler.review_card(card or Card(due=moment), Rating(rating), review_datetime=moment)
    return outcomes, predictions


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "data")
    args = parser.parse_args()
    cards = read_log(args.data / "review_log_fsrs_sample.csv")
    train = [rating > 1 for reviews in cards.values() for (before, _), (moment, rating) in zip(reviews, reviews[1:])
             if moment < SPLIT and moment - before >= MIN_GAP]
    retention = sum(train) / len(train)
    started = time.perf_counter()
    outcomes, predictions = predict_app(cards)
    elapsed = time.perf_counter() - started
    total = sum(len(r) for r in cards.values())
    print(f"review log: {total} reviews of {len(cards)} cards; {len(outcomes)} held-out reviews predicted\n")
    print("| model | log loss | AUC |\n|---|---|---|")
    print(row(f"constant (training retention {retention:.3f}) (baseline)", outcomes, [retention] * len(outcomes)))
    print(row("fsrs library, FSRS-6 defaults, logged ratings (baseline)", *predict_library(cards)))
    print(row("studyapp scheduling (FSRS-6 defaults via studyapp.domain.scheduling)", outcomes, predictions))
    print(f"\nstudyapp replay speed: {total / elapsed:,.0f} reviews/s")


if __name__ == "__main__":
    main()
