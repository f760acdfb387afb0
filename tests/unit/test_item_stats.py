"""Item statistics against small tables worked by hand (Moodle's definitions)."""

import math

import pytest

from studyapp.domain.item_stats import (
    Figure, ItemResponses, covariance, discrimination_index, discriminative_efficiency, facility, gated,
    item_flags, item_statistics, needs_checking, option_analysis, form_statistics, variance,
)

# x: item marks; T: attempt totals; R = T - x = [2, 2, 1, 0, 3, 3]
MARKS = [1, 0, 1, 0, 1, 0]
TOTALS = [3, 2, 2, 0, 4, 3]


def test_variance_and_covariance_divide_by_s_minus_one():
    assert variance([1, 0, 1, 0, 1, 0]) == pytest.approx(0.3)            # 6 x 0.25 / 5
    assert covariance([1, 2, 3], [2, 4, 6]) == pytest.approx(2.0)         # (1*2 + 0 + 1*2) / 2
    assert covariance([1], [1]) is None


def test_facility_is_mean_mark_over_maximum():
    assert facility([1, 1, 0, 1]) == 0.75
    assert facility([2, 1], maximum=2) == 0.75
    assert facility([]) is None


def test_discrimination_index_correlates_item_with_rest_of_attempt():
    # Cov(x, R) = 0.5 / 5 = 0.1; Var x = 0.3; Var R = 6.8333 / 5 = 1.36667
    assert discrimination_index(MARKS, TOTALS) == pytest.approx(100 * 0.1 / math.sqrt(0.3 * 6.83333 / 5), abs=1e-3)
    assert discrimination_index(MARKS, TOTALS) == pytest.approx(15.617, abs=1e-3)


def test_discriminative_efficiency_divides_by_covariance_of_sorted_columns():
    # sorted x = 0 0 0 1 1 1, sorted R = 0 1 2 2 3 3: CovMax = 2.5 / 5 = 0.5; 100 x 0.1 / 0.5
    assert discriminative_efficiency(MARKS, TOTALS) == pytest.approx(20.0)


def test_perfectly_ordered_item_has_efficiency_100():
    marks, totals = [1, 1, 0, 0, 1], [4, 3, 1, 2, 3]      # R = 3 2 1 2 2; Cov 0.25; Var x 0.3; Var R 0.5
    assert discrimination_index(marks, totals) == pytest.approx(100 * 0.25 / math.sqrt(0.15))
    assert discriminative_efficiency(marks, totals) == pytest.approx(100.0)


def test_zero_variance_gives_no_value_rather_than_a_division_error():
    assert discrimination_index([1, 1, 1], [3, 2, 1]) is None        # everyone right: Var x = 0
    assert discrimination_index([1, 0, 1], [2, 1, 2]) is None        # R = 1 1 1: Var R = 0
    assert discriminative_efficiency([0, 0, 0], [1, 2, 3]) is None
    assert form_statistics([[1, 1], [1, 1]]).alpha is None


def test_form_statistics_cronbach_alpha_error_ratio_and_standard_error():
    # totals 3 2 1 0: Var T = 5/3; slot variances 1/3 + 1/4 + 1/4; alpha = 1.5 x (1 - 0.8333 / 1.6667) = 75 %
    stats = form_statistics([[1, 1, 1], [1, 0, 1], [0, 0, 1], [0, 0, 0]])
    assert stats.attempts == 4
    assert stats.mean == pytest.approx(50.0)
    assert stats.sd == pytest.approx(100 * math.sqrt(5 / 3) / 3)
    assert stats.alpha == pytest.approx(75.0)
    assert stats.error_ratio == pytest.approx(50.0)
    assert stats.standard_error == pytest.approx(50.0 * stats.sd / 100)


def test_gated_figure_says_how_many_more_are_needed():
    figure = gated(lambda: 1 / 0, 12, 20)     # never computed below the minimum
    assert figure == Figure(None, 12, 8) and not figure.shown
    assert gated(lambda: 0.5, 20, 20) == Figure(0.5, 20, 0)


def _choices():
    # 30 responses, key 0. Bottom ten (standing 0..9) choose B; middle ten split A/B/C;
    # top ten (standing 20..29) choose C seven times and the key three times. Nobody picks D.
    bottom = [(1, s) for s in range(10)]
    middle = [(0, 10 + s) if s < 4 else (1, 10 + s) if s < 7 else (2, 10 + s) for s in range(10)]
    top = [(2, 20 + s) if s < 7 else (0, 20 + s) for s in range(10)]
    return bottom + middle + top


def test_option_analysis_shows_unpicked_distractor_and_one_the_top_third_prefers():
    analysis = option_analysis(_choices(), key=0, option_count=4)
    assert analysis.third == 10
    assert [r.count for r in analysis.rows] == [7, 13, 10, 0]
    assert analysis.rows[2].top_share == pytest.approx(0.7) and analysis.rows[0].top_share == pytest.approx(0.3)
    assert analysis.rows[1].bottom_share == 1.0
    assert analysis.unpicked == [3]
    assert analysis.preferred_by_top == [2]


def test_no_distractor_preferred_while_the_top_third_is_small():
    assert option_analysis(_choices()[:27], key=0, option_count=4).preferred_by_top == []


def test_needs_checking_uses_moodles_bands():
    assert needs_checking(Figure(29.9, 30)) == "very likely"
    assert needs_checking(Figure(30, 30)) == "likely"
    assert needs_checking(Figure(50, 30)) == "unlikely"
    assert needs_checking(Figure(None, 10, 20)) is None


def _mock(marks_totals):
    return [(0 if mark else 1, float(mark), float(total)) for mark, total in marks_totals]


def test_negative_covariance_is_flagged():
    # Strong attempts (high totals) get the item wrong, weak ones right.
    mock = _mock([(1, 10 - i % 5) if i % 2 == 0 else (0, 40 + i % 7) for i in range(40)])
    stats = item_statistics(ItemResponses(key=0, option_count=4, mock=mock))
    assert stats.covariance.value < 0
    codes = [f.code for f in item_flags(stats)]
    assert "negative" in codes and "discrimination" in codes


def test_below_minimum_responses_nothing_is_flagged_and_figures_say_what_is_missing():
    practice = [(0, True, False, 1000, 0.5)] * 19
    stats = item_statistics(ItemResponses(key=0, option_count=4, practice=practice))
    assert stats.facility_practice == Figure(None, 19, 1)
    assert stats.discrimination == Figure(None, 0, 30)
    assert item_flags(stats) == []


def test_easy_item_guess_rate_and_median_time():
    practice = [(0, True, i < 5, 1000 * (i + 1), 0.5) for i in range(20)] + [(1, False, False, None, 0.5)]
    stats = item_statistics(ItemResponses(key=0, option_count=4, practice=practice))
    assert stats.facility_practice.value == pytest.approx(20 / 21)
    assert stats.guess_rate.value == pytest.approx(5 / 20)
    assert stats.median_time_ms.value == pytest.approx(10_500)
    flags = item_flags(stats, open_reports=2)
    assert [f.code for f in flags] == ["easy", "reports"]
    assert "above 0.9 over 21 first attempts" in flags[0].reason and flags[1].reason == "2 open learner reports."


def test_hard_item_and_low_efficiency_are_flagged_with_reasons():
    mock = _mock([(1 if i % 10 == 0 else 0, 20 + (i % 3)) for i in range(40)])
    stats = item_statistics(ItemResponses(key=0, option_count=4, mock=mock))
    codes = {f.code: f.reason for f in item_flags(stats)}
    assert "hard" in codes and "mock attempts" in codes["hard"]
    assert stats.facility_mock == Figure(0.1, 40)


def test_only_the_very_likely_band_is_a_flag_the_likely_band_is_shown():
    def stats_with(di):
        base = item_statistics(ItemResponses(key=0, option_count=4))
        return base.__class__(**{**vars(base), "discrimination": Figure(di, 40)})

    assert [f.code for f in item_flags(stats_with(25.0))] == ["discrimination"]
    assert "very likely" in item_flags(stats_with(25.0))[0].reason
    assert item_flags(stats_with(40.0)) == [] and needs_checking(Figure(40.0, 40)) == "likely"
