"""Item analysis with Moodle's definitions (question/classes/statistics, the quiz statistics report).

Notation as in Moodle: s attempts, x the item's mark (0 or 1 here), T the attempt's total,
R = T - x the rest of the attempt; variances and covariances divide by s - 1.
A statistic whose denominator is zero (every mark the same) is None, never an error, and
nothing is given as a figure below a minimum number of responses: a Figure then says how
many more are needed. Flags carry their reason in words."""

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from statistics import median

MIN_RESPONSES = 20        # facility, guess rate, time: first attempts
MIN_MOCK_ATTEMPTS = 30    # discrimination index, discriminative efficiency, covariance
MIN_THIRD = 10            # responses in the top third before a distractor can be "preferred"
TOO_EASY, TOO_HARD = 0.9, 0.2
LOW_EFFICIENCY = 15


@dataclass(frozen=True)
class Figure:
    """A statistic with the count it rests on; value None while `needed` more responses are missing."""

    value: float | None
    count: int
    needed: int = 0

    @property
    def shown(self) -> bool:
        return self.needed == 0 and self.value is not None


def gated(value_of, count: int, minimum: int) -> Figure:
    """Compute `value_of()` only once `count` reaches `minimum`."""
    if count < minimum:
        return Figure(None, count, minimum - count)
    return Figure(value_of(), count)


def mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def covariance(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    """Sample covariance (divided by s - 1); None below two pairs."""
    s = len(xs)
    if s < 2:
        return None
    mx, my = sum(xs) / s, sum(ys) / s
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / (s - 1)


def variance(xs: Sequence[float]) -> float | None:
    return covariance(xs, xs)


def facility(marks: Sequence[float], maximum: float = 1.0) -> float | None:
    """Moodle's facility index: mean mark over the maximum (0..1)."""
    return None if not marks else mean(marks) / maximum


def discrimination_index(marks: Sequence[float], totals: Sequence[float]) -> float | None:
    """100 x Cov(x, R) / sqrt(Var x * Var R), R = T - x; None if either variance is zero."""
    rests = [t - x for x, t in zip(marks, totals)]
    var_x, var_r = variance(marks), variance(rests)
    if not var_x or not var_r:
        return None
    return 100 * covariance(marks, rests) / math.sqrt(var_x * var_r)


def discriminative_efficiency(marks: Sequence[float], totals: Sequence[float]) -> float | None:
    """100 x Cov(x, R) / CovMax, CovMax the covariance of x and R each sorted; None if CovMax is zero."""
    rests = [t - x for x, t in zip(marks, totals)]
    cov_max = covariance(sorted(marks), sorted(rests))
    if not cov_max:
        return None
    return 100 * covariance(marks, rests) / cov_max


@dataclass(frozen=True)
class FormStats:
    """One mock form (or the bank as a whole): Moodle's test statistics, in percent of the maximum."""

    attempts: int
    mean: float | None
    sd: float | None
    alpha: float | None            # Moodle's coefficient of internal consistency (CIC), percent
    error_ratio: float | None      # percent
    standard_error: float | None   # percent of the maximum, like the SD


def form_statistics(attempts: Sequence[Sequence[float]]) -> FormStats:
    """Each attempt is its marks per slot (the same slots in every attempt, Moodle's per-slot view).

    CIC = 100 p/(p-1) (1 - sum Var(x_i) / Var T); ER = 100 sqrt(1 - CIC/100); SE = ER x SD / 100."""
    s = len(attempts)
    if s < 2 or not attempts[0]:
        return FormStats(s, None, None, None, None, None)
    slots = len(attempts[0])
    totals = [sum(a) for a in attempts]
    var_t = variance(totals)
    mean_pc, sd_pc = 100 * mean(totals) / slots, 100 * math.sqrt(var_t) / slots
    if slots < 2 or not var_t:
        return FormStats(s, mean_pc, sd_pc, None, None, None)
    item_variance = sum(variance([a[i] for a in attempts]) for i in range(slots))
    alpha = 100 * slots / (slots - 1) * (1 - item_variance / var_t)
    error_ratio = 100 * math.sqrt(1 - alpha / 100) if alpha <= 100 and alpha >= 0 else None
    standard_error = error_ratio * sd_pc / 100 if error_ratio is not None else None
    return FormStats(s, mean_pc, sd_pc, alpha, error_ratio, standard_error)


@dataclass(frozen=True)
class OptionRow:
    index: int
    is_key: bool
    count: int
    share: float
    top_share: float | None
    bottom_share: float | None


@dataclass(frozen=True)
class OptionAnalysis:
    """How often each option is chosen, overall and by the top and bottom third of learners."""

    rows: list[OptionRow]
    responses: int
    third: int                     # responses in each of the top and bottom thirds
    grouped_by: str                # "mock score" or "mastery"
    unpicked: list[int]            # distractors nobody chose
    preferred_by_top: list[int]    # distractors the top third chose more often than the key


def option_analysis(choices: Sequence[tuple[int, float]], key: int, option_count: int,
                    grouped_by: str = "mock score") -> OptionAnalysis:
    """`choices` are (chosen option, learner's standing) pairs; thirds are by standing (n // 3 each)."""
    n = len(choices)
    third = n // 3
    ranked = sorted(choices, key=lambda c: c[1])
    bottom, top = ranked[:third], ranked[n - third:] if third else []
    rows = []
    for index in range(option_count):
        count = sum(1 for chosen, _ in choices if chosen == index)
        rows.append(OptionRow(index, index == key, count, count / n if n else 0.0,
                              _share(top, index), _share(bottom, index)))
    unpicked = [r.index for r in rows if not r.is_key and r.count == 0] if n >= MIN_RESPONSES else []
    key_top = rows[key].top_share if 0 <= key < option_count else None
    preferred = [r.index for r in rows if not r.is_key and third >= MIN_THIRD and key_top is not None
                 and r.top_share > key_top]
    return OptionAnalysis(rows, n, third, grouped_by, unpicked, preferred)


def _share(group, index: int) -> float | None:
    return sum(1 for chosen, _ in group if chosen == index) / len(group) if group else None


@dataclass(frozen=True)
class Flag:
    code: str
    reason: str


@dataclass(frozen=True)
class ItemResponses:
    """Everything one question version's statistics need, gathered in one pass over the answer log.

    practice: first attempts as (chosen, correct, guessed, duration_ms or None, learner's mastery);
    mock: (chosen, mark, attempt total) per mock attempt that held the item."""

    key: int
    option_count: int
    practice: list[tuple[int, bool, bool, int | None, float]] = field(default_factory=list)
    mock: list[tuple[int, float, float]] = field(default_factory=list)


@dataclass(frozen=True)
class ItemStats:
    facility_practice: Figure
    facility_mock: Figure
    discrimination: Figure
    efficiency: Figure
    covariance: Figure             # Cov(x, T): negative means the item works against the test
    guess_rate: Figure
    median_time_ms: Figure
    options: OptionAnalysis


def item_statistics(responses: ItemResponses) -> ItemStats:
    """Every per-item statistic of one version, each gated by its minimum count."""
    practice, mock = responses.practice, responses.mock
    marks, totals = [m for _, m, _ in mock], [t for _, _, t in mock]
    right = [p for p in practice if p[1]]
    times = [p[3] for p in practice if p[3] is not None]
    if len(mock) >= MIN_MOCK_ATTEMPTS:
        options = option_analysis([(c, t) for c, _, t in mock], responses.key, responses.option_count)
    else:
        options = option_analysis([(p[0], p[4]) for p in practice], responses.key, responses.option_count, "mastery")
    return ItemStats(
        facility_practice=gated(lambda: facility([float(p[1]) for p in practice]), len(practice), MIN_RESPONSES),
        facility_mock=gated(lambda: facility(marks), len(mock), MIN_RESPONSES),
        discrimination=gated(lambda: discrimination_index(marks, totals), len(mock), MIN_MOCK_ATTEMPTS),
        efficiency=gated(lambda: discriminative_efficiency(marks, totals), len(mock), MIN_MOCK_ATTEMPTS),
        covariance=gated(lambda: covariance(marks, totals), len(mock), MIN_MOCK_ATTEMPTS),
        guess_rate=gated(lambda: sum(p[2] for p in right) / len(right) if right else None, len(practice), MIN_RESPONSES),
        median_time_ms=gated(lambda: median(times), len(times), MIN_RESPONSES),
        options=options,
    )


def needs_checking(discrimination: Figure) -> str | None:
    """Moodle's question bank "Needs checking?" from the discrimination index."""
    if not discrimination.shown:
        return None
    if discrimination.value < 30:
        return "very likely"
    return "likely" if discrimination.value < 50 else "unlikely"


def item_flags(stats: ItemStats, open_reports: int = 0) -> list[Flag]:
    """Every reason to look at an item, in words; empty when nothing is wrong (or nothing is known yet)."""
    flags = []
    di = stats.discrimination
    verdict = needs_checking(di)
    # Only Moodle's "very likely" band is a flag: in our simulation (bench/item_flags_bench.py) the
    # "likely" band (30-50) held most sound items, so it is shown beside the figure but flags nothing.
    if verdict == "very likely":
        flags.append(Flag("discrimination", f"Needs checking: very likely (discrimination index {di.value:.0f}, "
                          f"below 30, over {di.count} mock attempts)."))
    if stats.efficiency.shown and stats.efficiency.value < LOW_EFFICIENCY:
        flags.append(Flag("efficiency", f"Discriminative efficiency {stats.efficiency.value:.0f} is below "
                          f"{LOW_EFFICIENCY} (over {stats.efficiency.count} mock attempts)."))
    flags += _facility_flags(stats)
    for index in stats.options.preferred_by_top:
        rows = stats.options.rows
        key = next(r for r in rows if r.is_key)
        flags.append(Flag("distractor", f"The strongest third ({stats.options.third} learners by "
                          f"{stats.options.grouped_by}) chose option {'ABCDEFGH'[index]} "
                          f"({rows[index].top_share:.0%}) more often than the key "
                          f"{'ABCDEFGH'[key.index]} ({key.top_share:.0%})."))
    if stats.covariance.shown and stats.covariance.value < 0:
        flags.append(Flag("negative", "Negative covariance with the total: learners who score well on the "
                          f"mock do worse on this item (over {stats.covariance.count} mock attempts)."))
    if open_reports:
        flags.append(report_flag(open_reports))
    return flags


def report_flag(open_reports: int) -> Flag:
    """Open learner reports are a flag of their own (counted live, not cached with the figures)."""
    return Flag("reports", f"{open_reports} open learner report{'s' if open_reports != 1 else ''}.")


def _facility_flags(stats: ItemStats) -> list[Flag]:
    figure, where = ((stats.facility_practice, "first attempts in practice") if stats.facility_practice.shown
                     else (stats.facility_mock, "mock attempts"))
    if not figure.shown:
        return []
    if figure.value > TOO_EASY:
        return [Flag("easy", f"Facility {figure.value:.2f} is above {TOO_EASY} over {figure.count} {where}: "
                     "almost everyone gets it right.")]
    if figure.value < TOO_HARD:
        return [Flag("hard", f"Facility {figure.value:.2f} is below {TOO_HARD} over {figure.count} {where}: "
                     "fewer get it right than guessing would.")]
    return []
