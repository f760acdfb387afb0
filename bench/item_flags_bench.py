"""Do the item-analysis flags find broken questions? A simulation with planted faults.

Simulated learners (3PL: ability theta ~ N(0, 1); items a ~ lognormal(0.2, 0.25),
b ~ N(0, 0.8) clipped to +-1.8, guessing c = 0.2; a wrong answer picks a distractor by
fixed attractiveness) answer the shipped bank: 80 questions in practice (first attempts)
and two 50-question mocks drawn to the module shares, as the app draws them. Ten items of
each kind are made faulty:

  wrong key        the bank's key is a distractor; learners answer by the true key
  two answers      a second option is defensible: half of those who know pick it
  trivially easy   b = -4: everyone gets it right
  strong distractor a distractor pulls strong learners: P = 0.55 x logistic(2 (theta - 0.3))

Statistics and flags come from studyapp.domain.item_stats, the functions the app's
cache runs. A fault is found when its item carries any flag (the bank's "needs
attention"); a false alarm is a sound item with any flag. Printed per number of learners.

Usage: python bench/item_flags_bench.py [--learners 200 1000 5000] [--seed 7]
"""

import argparse
import math
import random
import sys
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from studyapp.domain.exams import PoolQuestion, mock_exam_blueprint, sample_mock  # noqa: E402
from studyapp.domain.item_stats import ItemResponses, item_flags, item_statistics  # noqa: E402

WEIGHTS = {"overview": 12, "principles": 14, "definition": 22, "delivery": 22, "roles": 12, "documents": 8,
           "implementation": 10}
FAULTS = ("wrong key", "two answers", "trivially easy", "strong distractor")
PER_FAULT = 10
PRACTICE, MOCKS = 80, 2


def load_bank() -> list[dict]:
    items = []
    for path in sorted((ROOT / "question_bank").glob("*.yaml")):
        data = yaml.safe_load(path.read_text())
        for q in data["questions"]:
            key = next(i for i, o in enumerate(q["options"]) if o.get("correct"))
            items.append({"id": q["id"], "module": data["module"], "options": len(q["options"]), "key": key})
    return items


def plant(items: list[dict], rng: random.Random) -> None:
    for item in items:
        item.update(a=math.exp(rng.gauss(0.2, 0.25)), b=max(-1.8, min(1.8, rng.gauss(0, 0.8))), c=0.2,
                    fault=None, true_key=item["key"])
        item["pull"] = [rng.uniform(0.5, 1.5) for _ in range(item["options"])]
    for n, item in enumerate(rng.sample(items, PER_FAULT * len(FAULTS))):
        item["fault"] = FAULTS[n // PER_FAULT]
        others = [i for i in range(item["options"]) if i != item["key"]]
        item["other"] = rng.choice(others)
        if item["fault"] == "wrong key":
            item["key"] = item["other"]       # the bank says this; the truth stays true_key
        if item["fault"] == "trivially easy":
            item["a"], item["b"] = 1.0, -4.0


def respond(item: dict, theta: float, rng: random.Random) -> int:
    """The option a learner of ability theta chooses."""
    if item["fault"] == "strong distractor" and rng.random() < 0.55 / (1 + math.exp(-2 * (theta - 0.3))):
        return item["other"]
    knows = rng.random() < item["c"] + (1 - item["c"]) / (1 + math.exp(-1.7 * item["a"] * (theta - item["b"])))
    if knows:
        if item["fault"] == "two answers" and rng.random() < 0.5:
            return item["other"]
        return item["true_key"]
    wrong = [i for i in range(item["options"]) if i != item["true_key"]]
    return rng.choices(wrong, weights=[item["pull"][i] for i in wrong])[0]


def simulate(items: list[dict], learners: int, rng: random.Random) -> dict[str, list]:
    by_id = {item["id"]: item for item in items}
    pool = [PoolQuestion(item["id"], item["module"]) for item in items]
    blueprint = mock_exam_blueprint(WEIGHTS, 50)
    practice, mocks, right, seen = {i["id"]: [] for i in items}, {i["id"]: [] for i in items}, Counter(), Counter()
    pending = []
    for learner in range(learners):
        theta = rng.gauss(0, 1)
        for qid in rng.sample(list(by_id), PRACTICE):
            chosen = respond(by_id[qid], theta, rng)
            correct = chosen == by_id[qid]["key"]
            right[learner] += correct
            seen[learner] += 1
            pending.append((qid, learner, chosen, correct, rng.random() < 0.1 and correct, rng.randrange(5000, 60000)))
        for _ in range(MOCKS):
            drawn = sample_mock(pool, blueprint, rng)
            answers = [(qid, respond(by_id[qid], theta, rng)) for qid in drawn]
            total = sum(chosen == by_id[qid]["key"] for qid, chosen in answers)
            right[learner] += total
            seen[learner] += len(answers)
            for qid, chosen in answers:
                mocks[qid].append((chosen, float(chosen == by_id[qid]["key"]), float(total)))
    for qid, learner, chosen, correct, guessed, duration in pending:
        practice[qid].append((chosen, correct, guessed, duration, right[learner] / seen[learner]))
    return {"practice": practice, "mocks": mocks}


def evaluate(items: list[dict], responses: dict) -> tuple[dict, int, Counter, int]:
    found, false_alarms, codes = Counter(), 0, Counter()
    for item in items:
        stats = item_statistics(ItemResponses(item["key"], item["options"], responses["practice"][item["id"]],
                                              responses["mocks"][item["id"]]))
        flags = item_flags(stats)
        if item["fault"]:
            found[item["fault"]] += bool(flags)
        elif flags:
            false_alarms += 1
            codes.update({f.code for f in flags})
    return found, false_alarms, codes, sum(1 for item in items if not item["fault"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--learners", type=int, nargs="+", default=[200, 1000, 5000])
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    print(f"{'learners':>8} " + " ".join(f"{f:>17}" for f in FAULTS) + f" {'recall':>7} {'false alarms':>14}  false alarms by flag")
    for learners in args.learners:
        rng = random.Random(args.seed)
        items = load_bank()
        plant(items, rng)
        found, false_alarms, codes, sound = evaluate(items, simulate(items, learners, rng))
        recall = sum(found.values()) / (PER_FAULT * len(FAULTS))
        print(f"{learners:>8} " + " ".join(f"{found[f]:>14}/{PER_FAULT}" for f in FAULTS)
              + f" {recall:>6.0%} {false_alarms:>5}/{sound} {false_alarms / sound:>4.0%}  "
              + ", ".join(f"{code} {n}" for code, n in codes.most_common()))


if __name__ == "__main__":
    main()
