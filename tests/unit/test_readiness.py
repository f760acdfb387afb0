from datetime import date

import pytest

from studyapp.domain.mastery import Mastery
from studyapp.domain.readiness import MockCheck, ReadinessRules, daily_plan, readiness, spread_final_reviews
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


def test_capped_final_reviews_are_spread_back_from_the_day_before_the_exam_within_the_budget():
    today, exam = date(2026, 11, 10), date(2026, 11, 20)
    wall = {date(2026, 11, 19): 90, date(2026, 11, 12): 5}
    load = spread_final_reviews(wall, today, exam, budget=30)
    assert sum(load.values()) == 95                       # nothing dropped
    assert max(load.values()) <= 30                      # no day over the budget
    assert load[date(2026, 11, 19)] == 30 and load[date(2026, 11, 17)] == 30 and load[date(2026, 11, 16)] == 0
    assert min(load) == today and max(load) == date(2026, 11, 19)


def test_without_a_budget_the_final_days_share_the_wall_evenly():
    load = spread_final_reviews({date(2026, 11, 19): 90}, date(2026, 11, 10), date(2026, 11, 20), budget=None)
    assert [load[date(2026, 11, d)] for d in (16, 17, 18, 19)] == [0, 30, 30, 30]


def test_reviews_that_cannot_fit_before_the_exam_stay_on_today():
    load = spread_final_reviews({date(2026, 11, 19): 100}, date(2026, 11, 18), date(2026, 11, 20), budget=30)
    assert load == {date(2026, 11, 18): 70, date(2026, 11, 19): 30}


def test_plan_counts_todays_reviews_and_keeps_new_questions_within_the_budget():
    plan = daily_plan(date(2026, 11, 1), date(2026, 11, 24), reviews_due=12, unseen=800, weak_topics=[],
                      due_by_date={date(2026, 11, 1): 12, date(2026, 11, 23): 10}, budget=40, done_today=5)
    assert plan.reviews_today == 12 and plan.new_today == 28 and plan.target_today == 40 and plan.done_today == 5
