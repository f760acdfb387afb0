from datetime import date

import pytest

from studyapp.domain.mastery import Mastery
from studyapp.domain.readiness import MockCheck, ReadinessRules, daily_plan, readiness
from studyapp.domain.report import TopicStanding

WEIGHTS = {"a": 60, "b": 40}


def standings(mean, width=0.2, answers=10):
    return [TopicStanding(f"{m}.t{i}", "T", m, m.upper(), w, Mastery(mean, mean - width / 2, mean + width / 2, answers), True)
            for m, w in WEIGHTS.items() for i in range(2)]


ENOUGH = {"a": 40, "b": 30}


def test_withheld_until_every_module_is_practised():
    result = readiness(standings(0.7), {"a": 80, "b": 1}, [])
    assert result.withheld and "Practise every module" in result.withheld


def test_withheld_until_enough_answers_overall():
    result = readiness(standings(0.7), {"a": 20, "b": 20}, [], ReadinessRules(min_answers=60))
    assert result.withheld == "Answer at least 60 questions first (40 so far)."


def test_shown_with_score_band_and_pass_chance_once_the_rules_are_met():
    result = readiness(standings(0.7), ENOUGH, [])
    assert result.withheld is None
    assert result.predicted == pytest.approx(35)
    assert result.low < 35 < result.high
    assert 0.9 < result.pass_probability <= 1


def test_pass_chance_tracks_mastery():
    chances = [readiness(standings(m), ENOUGH, []).pass_probability for m in (0.3, 0.5, 0.7)]
    assert chances[0] < 0.05 and 0.3 < chances[1] < 0.7 and chances[2] > 0.9


def test_wider_estimates_give_a_wider_band():
    narrow, wide = readiness(standings(0.6, 0.1), ENOUGH, []), readiness(standings(0.6, 0.5), ENOUGH, [])
    assert wide.high - wide.low > narrow.high - narrow.low


def test_past_mocks_correct_the_prediction_more_as_they_accumulate():
    one = readiness(standings(0.7), ENOUGH, [MockCheck(35, 29)])
    three = readiness(standings(0.7), ENOUGH, [MockCheck(35, 29)] * 3)
    assert one.predicted == pytest.approx(35 - 6 / 3)
    assert three.predicted == pytest.approx(35 - 6 * 3 / 5)
    assert three.mocks_checked == 3


def test_daily_plan_spreads_new_questions_before_a_review_margin():
    plan = daily_plan(date(2026, 11, 1), date(2026, 11, 24), reviews_due=12, unseen=200, weak_topics=["X"])
    assert plan.days_left == 23 and plan.new_today == 10 and not plan.mock_suggested
    assert plan.reviews_due == 12 and plan.weak_topics == ["X"]


def test_final_week_suggests_mocks_and_the_last_days_are_for_review():
    week = daily_plan(date(2026, 11, 17), date(2026, 11, 24), 5, 40, [])
    assert week.mock_suggested and week.new_today == 10
    last = daily_plan(date(2026, 11, 22), date(2026, 11, 24), 5, 40, [])
    assert last.new_today == 0


def test_plan_after_the_exam_asks_for_a_new_date():
    assert "passed" in daily_plan(date(2026, 12, 1), date(2026, 11, 24), 0, 0, []).message
