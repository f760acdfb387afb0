import pytest

from studyapp.domain.mastery import DEFAULT_PARAMS, MasteryTracker, smoothed_facility, topic_mastery


def feed(results, topic="t", facility=None):
    return topic_mastery([(topic, r) for r in results], facility or {"t": 0.7, "u": 0.7})


def test_without_answers_the_estimate_is_the_topic_facility():
    tracker = MasteryTracker(facility={"t": 0.55})
    estimate = tracker.estimate("t")
    assert estimate.mean == pytest.approx(0.55)
    assert estimate.answers == 0
    assert not estimate.enough_data(0.45)


def test_right_answers_raise_and_wrong_answers_lower_the_estimate():
    assert feed([True] * 4).estimate("t").mean > 0.85
    assert feed([False] * 4).estimate("t").mean < 0.3


def test_recent_answers_count_more_than_old_ones():
    improving = feed([False] * 4 + [True] * 4).estimate("t").mean
    slipping = feed([True] * 4 + [False] * 4).estimate("t").mean
    assert improving > slipping


def test_band_narrows_with_every_answer_until_there_is_enough_data():
    widths = [feed([True, False] * n).estimate("t").width for n in range(1, 8)]
    assert widths == sorted(widths, reverse=True)
    assert not feed([True, False]).estimate("t").enough_data(0.45)
    assert feed([True, False] * 7).estimate("t").enough_data(0.45)


def test_band_contains_the_estimate():
    estimate = feed([True, True, False]).estimate("t")
    assert 0 <= estimate.low < estimate.mean < estimate.high <= 1


def test_strong_form_elsewhere_lifts_an_unpractised_topic():
    strong = feed([True] * 10, topic="u").estimate("t").mean
    weak = feed([False] * 10, topic="u").estimate("t").mean
    assert strong > DEFAULT_PARAMS.global_rate > weak


def test_facility_is_smoothed_towards_the_global_rate():
    assert smoothed_facility(0, 0) == pytest.approx(0.7)
    assert 0.7 < smoothed_facility(10, 10) < 1.0
    assert smoothed_facility(900, 1000) == pytest.approx(0.9, abs=0.01)
