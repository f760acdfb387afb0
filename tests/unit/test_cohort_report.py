"""The group report's grid, weakest topics, "needs help" rules, spread and mock weeks."""

import random
from datetime import date, datetime, timedelta, timezone

from studyapp.domain.cohort_report import (
    GridRow, HelpRules, LearnerFacts, TopicColumn, cell_of, expected_met, help_reasons, mock_weeks, needs_help,
    readiness_spread, sort_rows, weakest_topics,
)
from studyapp.domain.mastery import Mastery, MasteryTracker
from studyapp.domain.readiness import Readiness
from studyapp.domain.report import TopicStanding

NOW = datetime(2026, 5, 1, 12, 0, tzinfo=timezone.utc)
WITHHELD = Readiness(withheld="Answer at least 60 questions first (3 so far).")


def standing(topic="a.t1", module="a", weight=60, mean=0.5, width=0.2, answers=10, enough=True):
    return TopicStanding(topic, topic.upper(), module, module.upper(), weight,
                         Mastery(mean, mean - width / 2, mean + width / 2, answers), enough)


def facts(**changes):
    base = dict(user_id=1, name="Ann", readiness=WITHHELD, exam_date=None, started=date(2026, 4, 1),
                questions_met=0, bank_size=100, last_answer=NOW - timedelta(days=1), open_mistakes=0)
    return LearnerFacts(**{**base, **changes})


def test_a_cell_with_too_little_data_says_so_instead_of_a_colour():
    thin = cell_of(standing(answers=2, enough=False, width=0.6))
    assert thin.level == "unknown" and thin.text == "too little data (2 answers)"
    assert cell_of(standing(answers=0, enough=False)).text == "not practised"
    assert cell_of(standing(mean=0.55)).level == "weak"
    assert cell_of(standing(mean=0.7)).level == "fair"
    strong = cell_of(standing(mean=0.85, width=0.1))
    assert strong.level == "strong" and strong.text == "85 % (80–90)"


def _rows():
    topics = [TopicColumn("a.t1", "T1", "A"), TopicColumn("a.t2", "T2", "A")]
    rows = [GridRow(1, "bob", [cell_of(standing(mean=0.9)), cell_of(standing(answers=0))], Readiness(predicted=30)),
            GridRow(2, "Ann", [cell_of(standing(mean=0.4)), cell_of(standing(mean=0.7))], WITHHELD),
            GridRow(3, "cy", [cell_of(standing(answers=0)), cell_of(standing(mean=0.2))], Readiness(predicted=20))]
    return topics, rows


def test_rows_sort_by_name_readiness_or_one_topic_with_unknowns_last():
    topics, rows = _rows()
    assert [r.name for r in sort_rows(rows, topics, "name")] == ["Ann", "bob", "cy"]
    assert [r.name for r in sort_rows(rows, topics, "name", descending=True)] == ["cy", "bob", "Ann"]
    assert [r.name for r in sort_rows(rows, topics, "readiness")] == ["cy", "bob", "Ann"]
    assert [r.name for r in sort_rows(rows, topics, "readiness", descending=True)] == ["bob", "cy", "Ann"]
    assert [r.name for r in sort_rows(rows, topics, "topic:a.t1")] == ["Ann", "bob", "cy"]
    assert [r.name for r in sort_rows(rows, topics, "topic:a.t2", descending=True)] == ["Ann", "cy", "bob"]


def test_weakest_topics_are_ranked_by_marks_at_stake_in_a_fifty_question_mock():
    # Module a (60 %) has two topics: 15 questions each; module b (40 %) one topic: 20 questions.
    def learner(t1, t2, b, b_answers=10):
        return [standing("a.t1", mean=t1), standing("a.t2", mean=t2),
                standing("b.t1", "b", 40, mean=b, answers=b_answers)]

    stakes = weakest_topics([learner(0.5, 0.9, 0.8), learner(0.7, 0.9, 0.6, b_answers=0)])
    assert [s.topic_id for s in stakes] == ["a.t1", "b.t1", "a.t2"]
    assert stakes[0].questions == 15 and abs(stakes[0].marks_at_stake - 15 * 0.4) < 1e-9
    assert stakes[1].learners == 1 and abs(stakes[1].marks_at_stake - 20 * 0.2) < 1e-9   # only who practised
    assert weakest_topics([]) == []


def test_a_learner_predicted_to_fail_is_flagged_with_the_numbers():
    weak = Readiness(predicted=20.4, low=15, high=26, pass_probability=0.12)
    assert help_reasons(facts(readiness=weak), NOW) == [
        "Predicted to fail: 20/50 expected (pass mark 25), 12% chance of passing."]
    assert help_reasons(facts(readiness=Readiness(predicted=30, pass_probability=0.8)), NOW) == []
    assert help_reasons(facts(readiness=WITHHELD), NOW) == []   # no prediction, no verdict


def test_behind_plan_compares_questions_met_with_an_even_pace_to_the_exam():
    # Joined 1 April, exam 4 May: 30 learning days; on 1 May (30 days in) the whole bank is due.
    learner = facts(exam_date=date(2026, 5, 4), questions_met=50)
    assert expected_met(learner, NOW.date(), HelpRules()) == 100
    assert help_reasons(learner, NOW) == [
        "Behind the plan for their exam date: has met 50 of 100 questions; "
        "about 100 by now would cover the bank in time."]
    assert help_reasons(facts(exam_date=date(2026, 5, 4), questions_met=91), NOW) == []   # within 10 %
    assert help_reasons(facts(exam_date=date(2026, 4, 20), questions_met=0), NOW) == []   # exam passed
    assert help_reasons(facts(exam_date=None, questions_met=0), NOW) == []


def test_inactive_learners_are_flagged_after_n_days_and_new_ones_only_after_joining_that_long_ago():
    assert help_reasons(facts(last_answer=NOW - timedelta(days=9)), NOW) == ["Inactive: no answers for 9 days."]
    assert help_reasons(facts(last_answer=NOW - timedelta(days=6)), NOW) == []
    assert help_reasons(facts(last_answer=None, started=date(2026, 4, 28)), NOW) == []
    assert help_reasons(facts(last_answer=None), NOW) == ["No answers yet, 30 days after joining."]
    assert help_reasons(facts(last_answer=NOW - timedelta(days=3)), NOW, HelpRules(inactive_days=3)) != []


def test_many_open_mistakes_flag_a_learner_and_the_list_puts_most_reasons_first():
    assert help_reasons(facts(open_mistakes=14), NOW) == []
    assert help_reasons(facts(open_mistakes=15), NOW) == [
        "15 open mistakes: questions last answered wrong and not yet put right."]
    listed = needs_help([facts(user_id=1, name="zed", open_mistakes=20),
                         facts(user_id=2, name="amy"),
                         facts(user_id=3, name="bo", open_mistakes=20, last_answer=None)], NOW)
    assert [(h.name, len(h.reasons)) for h in listed] == [("bo", 2), ("zed", 1)]


def test_readiness_spread_bins_predictions_and_counts_the_withheld():
    bins, withheld = readiness_spread([Readiness(predicted=4.9), Readiness(predicted=25), Readiness(predicted=50),
                                       Readiness(predicted=49.5), WITHHELD])
    assert withheld == 1 and len(bins) == 10
    assert [(b.label, b.count) for b in bins if b.count] == [("0–4", 1), ("25–29", 1), ("45–50", 2)]


def test_mock_weeks_count_mocks_mean_score_and_passes_per_week():
    weeks = mock_weeks([(NOW - timedelta(days=1), 30, 50, 25), (NOW - timedelta(days=2), 20, 50, 25),
                        (NOW - timedelta(days=10), 5, 5, 3), (NOW - timedelta(days=100), 50, 50, 25)], NOW, weeks=3)
    assert [(w.mocks, w.passed) for w in weeks] == [(0, 0), (1, 1), (2, 1)]
    assert weeks[0].mean_percent is None and abs(weeks[2].mean_percent - 0.5) < 1e-9


def test_a_tracker_built_from_decayed_counts_equals_one_fed_answer_by_answer():
    rng = random.Random(7)
    answers = [(rng.choice(["x", "y", "z"]), rng.random() < 0.6) for _ in range(200)]
    fed = MasteryTracker(facility={"x": 0.6})
    for topic, correct in answers:
        fed.record(topic, correct)
    topics, learner = {}, [0.0, 0.0, 0]
    for since, (topic, correct) in enumerate(reversed(answers)):   # since: answers given after this one
        in_topic = sum(1 for t, _ in answers[len(answers) - since:] if t == topic)
        right, wrong, count = topics.get(topic, (0.0, 0.0, 0))
        weight = 0.85 ** in_topic
        topics[topic] = (right + weight * correct, wrong + weight * (not correct), count + 1)
        learner = [learner[0] + 0.98 ** since * correct, learner[1] + 0.98 ** since * (not correct), learner[2] + 1]
    built = MasteryTracker.from_counts({"x": 0.6}, topics, tuple(learner))
    for topic in ("x", "y", "z", "never"):
        a, b = fed.estimate(topic), built.estimate(topic)
        assert abs(a.mean - b.mean) < 1e-9 and abs(a.low - b.low) < 1e-9 and a.answers == b.answers


def test_a_class_list_reports_every_bad_row_by_line():
    from studyapp.domain.roster import parse_roster

    rows, problems = parse_roster("email,name\nann@example.org, Ann Smith\n\nnot-an-email,Bob\n"
                                  "ANN@example.org,Ann again\ncy@example.org\n\"dee@example.org\",\"Dee, D.\"\n")
    assert [(r.line, r.email, r.name) for r in rows] == [(2, "ann@example.org", "Ann Smith"), (7, "dee@example.org", "Dee, D.")]
    assert [str(p) for p in problems] == ["line 4: 'not-an-email' is not an email address.",
                                         "line 5: ann@example.org is already on line 2.",
                                         "line 6: expected 2 columns (email,name), found 1."]
    assert [str(p) for p in parse_roster("\n\n")[1]] == ["line 1: The list is empty: give one learner per line as email,name."]


def test_estimate_many_equals_estimate_topic_by_topic():
    rng = random.Random(11)
    tracker = MasteryTracker(facility={"x": 0.55, "y": 0.8})
    for _ in range(60):
        tracker.record(rng.choice("xyz"), rng.random() < 0.7)
    topics = ["x", "y", "z", "unseen"]
    assert tracker.estimate_many(topics) == [tracker.estimate(t) for t in topics]
