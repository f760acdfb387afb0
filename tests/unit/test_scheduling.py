from datetime import date, datetime, timedelta, timezone

from fsrs import Rating

from studyapp.domain.scheduling import (
    Review, exam_cap, make_scheduler, new_card, rating_for, rebuild_card, recall_probability, review,
)

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)


def answer_sequence(results, start=NOW, gap=timedelta(days=1)):
    return [Review(start + i * gap, correct) for i, correct in enumerate(results)]


def test_rating_maps_wrong_to_again_right_to_good_and_guessed_to_hard():
    assert rating_for(False, False) == Rating.Again
    assert rating_for(False, True) == Rating.Again
    assert rating_for(True, False) == Rating.Good
    assert rating_for(True, True) == Rating.Hard


def test_wrong_answer_makes_card_due_again_today():
    scheduler = make_scheduler()
    card = review(new_card(NOW), Review(NOW, correct=False), scheduler)
    assert NOW < card.due < NOW + timedelta(hours=1)


def test_right_answers_push_the_card_out_by_days():
    scheduler = make_scheduler()
    card = new_card(NOW)
    for answer in answer_sequence([True, True, True]):
        card = review(card, answer, scheduler)
    assert card.due - card.last_review > timedelta(days=3)


def test_guessed_right_comes_back_sooner_than_known_right():
    scheduler = make_scheduler()
    learned = review(review(new_card(NOW), Review(NOW, True), scheduler), Review(NOW + timedelta(days=1), True), scheduler)
    later = NOW + timedelta(days=5)
    known = review(learned, Review(later, True, guessed=False), scheduler)
    guessed = review(learned, Review(later, True, guessed=True), scheduler)
    assert guessed.due < known.due


def test_rebuilding_from_the_log_gives_the_same_card():
    scheduler = make_scheduler()
    answers = answer_sequence([True, False, True, True, False, True], gap=timedelta(hours=30))
    card = new_card(answers[0].answered_at)
    for answer in answers:
        card = review(card, answer, scheduler)
    shuffled = answers[3:] + answers[:3]
    assert rebuild_card(shuffled, scheduler) == card


def test_rebuild_of_an_empty_log_is_none():
    assert rebuild_card([], make_scheduler()) is None


def test_higher_desired_retention_gives_shorter_intervals():
    answers = answer_sequence([True, True, True], gap=timedelta(days=3))
    relaxed, strict = rebuild_card(answers, make_scheduler(0.8)), rebuild_card(answers, make_scheduler(0.95))
    assert strict.due < relaxed.due


def test_recall_probability_falls_with_time():
    scheduler = make_scheduler()
    card = rebuild_card(answer_sequence([True, True]), scheduler)
    soon = recall_probability(card, card.last_review + timedelta(days=1), scheduler)
    late = recall_probability(card, card.last_review + timedelta(days=60), scheduler)
    assert 0 < late < soon <= 1


def test_exam_cap_keeps_every_review_before_the_exam():
    scheduler = make_scheduler()
    exam = (NOW + timedelta(days=10)).date()
    cap = exam_cap(exam, NOW)
    card = rebuild_card(answer_sequence([True] * 6, gap=timedelta(days=1)), scheduler, cap)
    uncapped = rebuild_card(answer_sequence([True] * 6, gap=timedelta(days=1)), scheduler)
    assert uncapped.due.date() >= exam
    assert card.due.date() < exam


def test_exam_cap_is_off_without_a_date_or_after_the_exam():
    assert exam_cap(None, NOW) is None
    assert exam_cap(date(2026, 3, 1), NOW) is None


def test_no_card_is_made_without_an_id_so_fsrs_never_sleeps(monkeypatch):
    import time as time_module

    from studyapp.domain import scheduling

    slept = []
    monkeypatch.setattr(time_module, "sleep", lambda seconds: slept.append(seconds))
    start = datetime(2026, 1, 1, tzinfo=timezone.utc)
    reviews = [scheduling.Review(start + timedelta(days=d), d % 2 == 0) for d in range(20)]
    assert scheduling.rebuild_card(reviews, scheduling.make_scheduler()) is not None
    assert slept == []
