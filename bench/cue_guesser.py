"""Benchmark (c): how far a guesser who knows no MoP gets on the bank using item-writing cues only.

Usage: python bench/cue_guesser.py [BANK_DIR] [--seeds N]

The cue guesser sees each question as a learner does (stem and options, not the
key) and scores every option with the cues `studyapp.domain.item_lint.option_cues`
finds, the same ones `bank check` warns about:
  +1 repeats a content word of the stem, +1 odd one out in form, +1 longest by far,
  +1 "all/none of the above", -1 an absolute word (+1 in a NOT question),
and picks the best; ties are broken at random. Beside it: chance (25 % with four
options) and a naive guesser that picks the longest option. Random tie-breaks use
random.Random(seed) for seeds 0..N-1 and the score is averaged over the seeds.
The cross-question rules (near-duplicate stems and keys) are not used: a learner
does not see the bank's keys."""

import argparse
import random
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from studyapp.content.services import syllabus_index  # noqa: E402
from studyapp.domain.bank import QuestionSpec, check_bank, read_bank_dir  # noqa: E402
from studyapp.domain.item_lint import OptionCues, is_negative, option_cues  # noqa: E402
from studyapp.domain.syllabus import load_syllabus  # noqa: E402


def cue_scores(question: QuestionSpec) -> list[int]:
    """One score per option from its visible cues; the key is never looked at."""
    absolute_sign = 1 if is_negative(question.stem) else -1
    return [_score(cues, absolute_sign) for cues in option_cues(question.values())]


def _score(cues: OptionCues, absolute_sign: int) -> int:
    return (bool(cues.shared_stem_words) + bool(cues.odd_form) + cues.longest + cues.all_none
            + absolute_sign * bool(cues.absolute))


def pick(scores: list[float], rng: random.Random) -> int:
    """The best option, a random one among ties."""
    best = max(scores)
    return rng.choice([n for n, s in enumerate(scores) if s == best])


def key_of(question: QuestionSpec) -> int:
    return next(n for n, o in enumerate(question.options) if o.correct)


def accuracy(questions: list[QuestionSpec], scores: list[list[float]], seeds: int) -> float:
    """Share of questions answered right, averaged over `seeds` random tie-breaks."""
    right = 0
    for seed in range(seeds):
        rng = random.Random(seed)
        right += sum(pick(s, rng) == key_of(q) for q, s in zip(questions, scores))
    return right / (seeds * len(questions))


def report(questions: list[QuestionSpec], seeds: int) -> None:
    by_module: dict[str, list[QuestionSpec]] = defaultdict(list)
    for question in questions:
        by_module[question.module].append(question)
    print(f"{'module':<16}{'questions':>10}{'chance':>9}{'longest':>9}{'cues':>8}")
    for module, group in sorted(by_module.items()) + [("all", questions)]:
        chance = sum(1 / len(q.options) for q in group) / len(group)
        longest = accuracy(group, [[len(o.text) for o in q.options] for q in group], seeds)
        cues = accuracy(group, [cue_scores(q) for q in group], seeds)
        print(f"{module:<16}{len(group):>10}{chance:>9.1%}{longest:>9.1%}{cues:>8.1%}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bank", nargs="?", default=str(ROOT / "question_bank"), help="folder of bank YAML files")
    parser.add_argument("--syllabus", default=str(ROOT / "syllabus"))
    parser.add_argument("--seeds", type=int, default=200)
    args = parser.parse_args()
    check = check_bank(read_bank_dir(Path(args.bank)), syllabus_index(load_syllabus(Path(args.syllabus))))
    if not check.ok:
        sys.exit("\n".join(str(p) for p in check.problems))
    report(check.questions, args.seeds)


if __name__ == "__main__":
    main()
