"""The JP pensions in payment in the projection: old age, disability, widow(er)s, children and parents.

Pure (numpy; no Django). Each kind is a group of expected numbers of people with their average monthly pension:
old age, disability, widow(er)s and parents by age (15–100) and sex; the children's pension (one pension for
the children together, PP 45/2015 as read by ``rules/formulas/jp_benefits.py``) by the elder child's age
(0–29). A projection starts from the pensions the registry (or a snapshot) pays (decision 0039); the deaths of
participants, pensioners and widow(er)s add survivors by the law's shares (``jp.survivor_share``) and the
family assumptions (``projection.married_share``, ``children_share``, ``parent_share``, ``generation_gap``):

- a widow(er), of the other sex and the same age, for the married share;
- of the rest, a child whose age is the deceased's less the generation gap, if under ``jp.child_age_limit``,
  for the children's share (a widow(er)'s death passes the pension on to such a child, at the children's
  share of the same formula benefit);
- of those leaving neither, a parent (the mother, older by the gap) for the parent's share;
- the children's pension ends at the age limit, every pension with the recipient's death.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from paritrana.projection.assumptions import YearAssumptions
from paritrana.projection.axes import AGES, MAX_AGE, MIN_AGE, Array, merge, older

CHILD_AGES = 30  # the children's axis: ages 0–29 (the law's limit, 23, is under it)
KINDS = ("old_age", "disability", "widow_widower", "child", "parent")


@dataclass
class Group:
    """People receiving one kind of pension: their expected number and average monthly pension, by age (and sex)."""

    n: Array
    amount: Array

    @classmethod
    def empty(cls, shape: tuple[int, ...]) -> Group:
        return cls(np.zeros(shape), np.zeros(shape))

    def monthly(self) -> float:
        return float((self.n * self.amount).sum())

    def join(self, people: Array, amounts: Array) -> None:
        """``people`` (same shape) with ``amounts`` each join the group."""
        self.amount = merge(self.n, self.amount, people, amounts)
        self.n = self.n + people

    def die(self, q: Array) -> Array:
        """The year's deaths (``q`` the probability, broadcast to the group's shape), taken out of the group."""
        dying = self.n * q
        self.n = self.n - dying
        return np.asarray(dying, dtype=np.float64)

    def older(self, indexation: float) -> None:
        self.n, self.amount = older(self.n), older(self.amount) * (1 + indexation)


def _age_shape() -> tuple[int, int]:
    return (AGES, 2)


@dataclass
class InPayment:
    """The JP pensions in payment, by kind."""

    old_age: Group = field(default_factory=lambda: Group.empty(_age_shape()))
    disability: Group = field(default_factory=lambda: Group.empty(_age_shape()))
    widow: Group = field(default_factory=lambda: Group.empty(_age_shape()))
    parent: Group = field(default_factory=lambda: Group.empty(_age_shape()))
    child: Group = field(default_factory=lambda: Group.empty((CHILD_AGES,)))

    def groups(self) -> tuple[Group, ...]:
        return (self.old_age, self.disability, self.widow, self.parent, self.child)

    def monthly(self) -> float:
        return sum(g.monthly() for g in self.groups())

    def people(self) -> float:
        return float(sum(g.n.sum() for g in self.groups()))

    def copy(self) -> InPayment:
        return InPayment(*(Group(g.n.copy(), g.amount.copy()) for g in self.groups()))

    def place(
        self,
        kind: str,
        age: int,
        sex: int,
        people: float,
        monthly_sum: float,
        gap: int,
        limit: int,
        recipient_age: int | None = None,
    ) -> None:
        """Pensions in payment at the start: ``people`` of ``kind`` whose participant is ``age`` and of ``sex``,
        paid ``monthly_sum`` a month together. The recipient's age is ``recipient_age`` where the registry records
        it; else a widow(er) is of the same age, a child younger by the generation gap, a parent older by the gap.
        A widow(er) is of the other sex, a parent the mother; a child at most the last age of the pension (it is
        being paid)."""
        if kind == "child":
            child = np.zeros(CHILD_AGES)
            child[min(max(age - gap if recipient_age is None else recipient_age, 0), limit - 1, CHILD_AGES - 1)] = (
                people
            )
            self.child.join(child, np.full(CHILD_AGES, monthly_sum / people))
            return
        one = np.zeros(_age_shape())
        assumed = age + gap if kind == "parent" else age
        at = min(max(assumed if recipient_age is None or kind not in ("widow_widower", "parent") else recipient_age,
                     MIN_AGE), MAX_AGE)  # fmt: skip
        one[at - MIN_AGE, 1 if kind == "parent" else (1 - sex if kind == "widow_widower" else sex)] = people
        by_kind = {"old_age": self.old_age, "disability": self.disability, "widow_widower": self.widow,
                   "parent": self.parent}  # fmt: skip
        by_kind[kind].join(one, np.full(_age_shape(), monthly_sum / people))


def bounded(amount: Array, y: YearAssumptions) -> Array:
    return np.clip(amount, y.min_benefit, y.max_benefit)


def _by_age(count: Array, amount: Array) -> tuple[Array, Array]:
    """People and their pensions by age and sex, from a shape with wage bands (summed) or without."""
    if count.ndim == 3:
        return count.sum(axis=2), (count * np.broadcast_to(amount, count.shape)).sum(axis=2)
    return count, count * amount


def _add(group: Group, people: Array, total: Array) -> None:
    group.join(people, np.divide(total, people, where=people > 0, out=np.zeros_like(people)))


def _children(book: InPayment, dying: Array, formula: Array, share: float, y: YearAssumptions) -> Array:
    """The children's pensions of ``dying`` (age × sex) with ``formula`` each, for the share with a child under
    the limit; returns the people whose child is (the rest leave none)."""
    ages = np.arange(MIN_AGE, MAX_AGE + 1) - y.generation_gap
    young = (ages >= 0) & (ages < min(y.child_age_limit, CHILD_AGES))
    with_child = np.where(young.reshape((-1,) + (1,) * (dying.ndim - 1)), dying * share, 0.0)
    people, total = _by_age(with_child, bounded(y.child_share * formula, y))
    at = np.zeros(CHILD_AGES)
    amounts = np.zeros(CHILD_AGES)
    np.add.at(at, ages[young], people[young].sum(axis=1))
    np.add.at(amounts, ages[young], total[young].sum(axis=1))
    _add(book.child, at, amounts)
    return with_child


def survivors(book: InPayment, dying: Array, formula: Array, y: YearAssumptions) -> Array:
    """The widow(er)s', children's and parents' pensions of ``dying`` (age × sex, with or without wage bands) whose
    formula benefit is ``formula`` (the participant's, before the shares); returns those who leave no survivor
    entitled (their heirs take the lump sum, where there is one)."""
    widows, total = _by_age(dying * y.married_share, bounded(y.survivor_share * formula, y))
    _add(book.widow, widows[:, ::-1], total[:, ::-1])
    rest = dying * (1 - y.married_share)
    rest = rest - _children(book, rest, formula, y.children_share, y)
    parents, total = _by_age(rest * y.parent_found, bounded(y.parent_share * formula, y))
    shift = min(y.generation_gap, AGES)
    moved, moved_total = np.zeros(_age_shape()), np.zeros(_age_shape())
    moved[shift:, 1] = parents.sum(axis=1)[: AGES - shift]
    moved_total[shift:, 1] = total.sum(axis=1)[: AGES - shift]
    moved[-1, 1] += parents.sum(axis=1)[AGES - shift :].sum()  # older than the table: its last age
    moved_total[-1, 1] += total.sum(axis=1)[AGES - shift :].sum()
    _add(book.parent, moved, moved_total)
    return np.asarray(rest * (1 - y.parent_found), dtype=np.float64)


def year_end(book: InPayment, mortality: Array, child_mortality: Array, y: YearAssumptions) -> None:
    """The deaths among the pensioners (the disabled at the extra mortality) and their survivors' pensions (a
    widow(er)'s children inherit it)."""
    q_disabled = np.minimum(1.0, mortality + y.disabled_extra_mortality)
    old, disabled = book.old_age.amount.copy(), book.disability.amount.copy()
    widowed_amount = book.widow.amount.copy()
    dying_old, dying_disabled = book.old_age.die(mortality), book.disability.die(q_disabled)
    dying_widows = book.widow.die(mortality)
    book.parent.die(mortality)
    book.child.die(child_mortality)
    survivors(book, dying_old, old, y)
    survivors(book, dying_disabled, disabled, y)
    # a widow(er)'s children: the children's share of the same formula benefit
    formula = widowed_amount / y.survivor_share if y.survivor_share else np.zeros_like(widowed_amount)
    _children(book, dying_widows, formula, y.children_share, y)


def a_year_older(book: InPayment, y: YearAssumptions) -> None:
    """Everyone a year older, the pensions indexed (PP 45/2015 art 17(4))."""
    for group in book.groups():
        group.older(y.pension_indexation)


def start_of_year(book: InPayment, y: YearAssumptions) -> None:
    """The children's pensions that reach the age limit end."""
    book.child.n[np.arange(CHILD_AGES) >= y.child_age_limit] = 0.0
