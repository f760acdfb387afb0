from datetime import datetime, timedelta, timezone

from studyapp.domain.mastery import Mastery
from studyapp.domain.report import TopicStanding, mastery_chart, rank_weak_topics, weekly_trend, with_mock_marks

NOW = datetime(2026, 6, 30, tzinfo=timezone.utc)


def standing(topic, weight, mean, answers=10, module="m"):
    return TopicStanding(topic, topic.title(), module, module.upper(), weight,
                         Mastery(mean, mean - 0.1, mean + 0.1, answers), enough_data=answers >= 5)


def test_weak_topics_rank_by_marks_at_stake_in_a_50_question_mock():
    ranked = rank_weak_topics([standing("a", 22, 0.7), standing("b", 8, 0.3, module="n"), standing("c", 22, 0.5)])
    assert [s.topic_id for s in ranked] == ["c", "b", "a"]   # 9.25, 9.1, 5.55 marks
    # module m has 22/30 of 50 questions = 37 marks (largest remainder), shared by its two topics
    assert ranked[0].mock_marks == 37 / 2 and ranked[0].expected_gain == 37 / 2 * 0.5
    assert ranked[1].mock_marks == 13 and round(ranked[1].expected_gain, 6) == round(13 * 0.7, 6)


def test_marks_at_stake_never_exceed_the_module_marks_and_shares_add_up_to_the_mock():
    standings = [standing(f"t{i}", 22, 0.0, module="definition") for i in range(7)] + [
        standing("o", 78, 0.0, module="rest")]
    marked = with_mock_marks(standings)
    assert round(sum(s.mock_marks for s in marked), 9) == 50
    assert all(s.expected_gain <= 11 / 7 + 1e-9 for s in marked if s.module_id == "definition")


def test_topics_without_enough_data_rank_after_every_measured_topic():
    ranked = rank_weak_topics([standing("a", 50, 0.1, answers=2), standing("b", 50, 0.9)])
    assert [s.topic_id for s in ranked] == ["b", "a"]


def test_unpractised_topics_are_not_ranked_as_weak():
    assert rank_weak_topics([standing("a", 22, 0.7, answers=0), standing("b", 8, 0.9)])[0].topic_id == "b"


def test_weekly_trend_counts_each_answer_in_its_week():
    answers = [(NOW - timedelta(days=1), True), (NOW - timedelta(days=2), False),
               (NOW - timedelta(days=9), True), (NOW - timedelta(days=100), True)]
    trend = weekly_trend(answers, NOW, weeks=4)
    assert [p.answers for p in trend] == [0, 0, 1, 2]
    assert trend[-1].rate == 0.5
    assert trend[0].rate is None


def test_chart_groups_topics_under_module_headings_with_levels():
    rows, height = mastery_chart([standing("a", 20, 0.5, module="m"), standing("b", 20, 0.9, module="m"),
                                  standing("c", 10, 0.7, answers=1, module="n"), standing("d", 10, 0.7, answers=0, module="n")])
    headings = [r.heading for r in rows if r.heading]
    levels = [r.bar.level for r in rows if r.bar]
    assert headings == ["M (20 %)", "N (10 %)"]
    assert levels == ["weak", "strong", "unknown", "none"]
    assert height > rows[-1].y
