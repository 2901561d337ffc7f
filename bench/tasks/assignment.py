"""Optimal one-to-one pairing of gold and predicted items, solved one overlap group at a time.

Where it sits: stage 2, tasks, shared by every scorer that pairs gold with predictions:
the NER schemes and error classes (`ner/matching.py`), casualty figures and attribution
relations (their `scoring.py`). Each of them lets two items pair only when their text
spans overlap, and wants the pairing that maximises a total weight.

Why sparse. Solving one |gold| x |predicted| matrix per document costs memory quadratic
and time cubic in the number of items, although almost every entry is "may not pair".
Items that can pair are linked by overlap, so the matrix is block-diagonal once rows
and columns are grouped into connected components of the overlap graph. A sweep over
the intervals sorted by start finds those groups in O(n log n); each group is solved on
its own: a 1 x 1 group directly, a larger one with scipy's Hungarian solver
(`linear_sum_assignment`). The optimum is the same as the dense one's, since no weight
links two groups.

Ties. Where several pairings reach the same total weight, a solver picks one by the
order it happens to visit rows in, which would make the reported errors depend on how
the items were grouped. So each scorer adds `tie_break` to the weights of a group that
has more than one pair to choose from: a fixed preference in [0, 1) computed from the
two items' own values (never their positions), scaled below the smallest difference the
scorer cares about. The chosen pairing is then the same for the dense matrix, for any
grouping and for any input order (the tests check this against the dense solver).
"""

from __future__ import annotations

import zlib
from typing import TYPE_CHECKING, Callable, Sequence

if TYPE_CHECKING:
    import numpy as np

Interval = tuple[int, int]  # [start, end) in characters
Group = tuple[list[int], list[int]]  # (gold indices, predicted indices), each ascending
# weight(gold indices, predicted indices) -> a len(gold) x len(pred) matrix (nested
# lists or an array); an entry > 0 may pair, 0 may not.
WeightFn = Callable[[list[int], list[int]], "Sequence[Sequence[float]] | np.ndarray"]


def overlap_groups(gold: Sequence[Sequence[Interval]], pred: Sequence[Sequence[Interval]]) -> list[Group]:
    """The groups that hold at least one gold and one predicted item.

    Each item has one or more intervals (a relation's content can be split). Two
    intervals overlap when each starts before the other ends. A sweep over all
    intervals sorted by start opens a new group whenever an interval starts at or after
    the furthest end seen so far; an item with intervals in several groups joins them.
    A group may hold items that overlap nothing of the other side: they weigh 0.
    """
    events = [(s, e, side, i) for side, items in ((0, gold), (1, pred)) for i, spans in enumerate(items) for s, e in spans]
    if not events:
        return []
    events.sort()
    first_group: list[dict[int, int]] = [{}, {}]  # side -> item -> the first group it was seen in
    parent: list[int] = []  # union-find over sweep groups, for items with several intervals

    def root(g: int) -> int:
        while parent[g] != g:
            parent[g] = parent[parent[g]]
            g = parent[g]
        return g

    reach = None
    for start, end, side, i in events:
        if reach is None or start >= reach:
            parent.append(len(parent))
            reach = end
        else:
            reach = max(reach, end)
        g = len(parent) - 1
        seen = first_group[side].setdefault(i, g)
        if seen != g:
            a, b = root(seen), root(g)
            if a != b:
                parent[max(a, b)] = min(a, b)
    members: dict[int, Group] = {}
    for side in (0, 1):
        for i, g in sorted(first_group[side].items()):
            members.setdefault(root(g), ([], []))[side].append(i)
    return [group for _, group in sorted(members.items()) if group[0] and group[1]]


def tie_break(gold_key: object, pred_key: object) -> float:
    """A pair's fixed preference in [0, 1) among otherwise equal pairings: a checksum of
    the two keys' text (each a tuple of the item's own values), the same in every run."""
    return zlib.crc32(repr((gold_key, pred_key)).encode("utf-8")) / 2**32


def solve_dense(weight: "Sequence[Sequence[float]] | np.ndarray") -> list[tuple[int, int]]:
    """(row, column) pairs of a maximum-weight assignment that uses entries > 0 only."""
    import numpy as np
    from scipy.optimize import linear_sum_assignment

    matrix = np.asarray(weight, dtype=float)
    if matrix.size == 0:
        return []
    rows, cols = linear_sum_assignment(matrix, maximize=True)
    # The solver pairs every row or every column; drop pairs that may not be matched.
    return [(int(i), int(j)) for i, j in zip(rows, cols) if matrix[i, j] > 0]


def assign(gold: Sequence[Sequence[Interval]], pred: Sequence[Sequence[Interval]], weight: WeightFn) -> list[tuple[int, int]]:
    """(gold index, predicted index) pairs of a maximum-weight one-to-one assignment,
    solved per overlap group; sorted. `weight` is asked once per group."""
    return assign_groups(overlap_groups(gold, pred), weight)


def assign_groups(groups: Sequence[Group], weight: WeightFn) -> list[tuple[int, int]]:
    """`assign` on groups found before (several weightings of the same items share them)."""
    pairs: list[tuple[int, int]] = []
    for rows, cols in groups:
        w = weight(rows, cols)
        if len(rows) == 1 and len(cols) == 1:
            if w[0][0] > 0:
                pairs.append((rows[0], cols[0]))
        else:
            pairs += [(rows[i], cols[j]) for i, j in solve_dense(w)]
    return sorted(pairs)
