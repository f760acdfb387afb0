"""Log loss and AUC, written out so the benchmarks need nothing but the app."""

import math


def log_loss(outcomes: list[int], predictions: list[float]) -> float:
    total = 0.0
    for y, p in zip(outcomes, predictions):
        p = min(max(p, 1e-6), 1 - 1e-6)
        total -= y * math.log(p) + (1 - y) * math.log(1 - p)
    return total / len(outcomes)


def auc(outcomes: list[int], predictions: list[float]) -> float:
    """Area under the ROC curve by ranks (ties share their mean rank)."""
    order = sorted(range(len(predictions)), key=predictions.__getitem__)
    ranks = [0.0] * len(order)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and predictions[order[j + 1]] == predictions[order[i]]:
            j += 1
        for k in range(i, j + 1):
            ranks[order[k]] = (i + j) / 2 + 1
        i = j + 1
    positives = sum(outcomes)
    negatives = len(outcomes) - positives
    rank_sum = sum(r for r, y in zip(ranks, outcomes) if y)
    return (rank_sum - positives * (positives + 1) / 2) / (positives * negatives)


def row(name: str, outcomes: list[int], predictions: list[float]) -> str:
    return f"| {name} | {log_loss(outcomes, predictions):.4f} | {auc(outcomes, predictions):.3f} |"
