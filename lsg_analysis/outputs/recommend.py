"""Which recommendations do the recorded numbers call for?

The rules are data (``rules/recommendations.csv``): one row per condition ``metric op threshold`` on a metric of a
notebook's results; the rows of one rule are combined with AND. A rule whose metric is missing (``null``) does not
fire: a missing number never triggers advice. Evidence, not a sign: a change fires only when its bootstrap interval
excludes 0, a slope only when its p is below the significance level. ``applies_to`` (``yes;no``) limits a rule to
indicators with a direction (``higher_is_better`` of the notebook's indicator): advice for "the lagging regions"
means nothing for a neutral indicator. The wording is the catalogue message named in ``message`` (``{direction}``
in it: the indicator's direction, so the words follow it); ``test`` names the footnote that states the rule's test.
"""

from __future__ import annotations

import csv
import operator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lsg_analysis.core.errors import DataError
from lsg_analysis.outputs import headlines
from lsg_analysis.outputs.headlines import DIRECTIONS
from lsg_analysis.runs.results import value

RULES_FILE = Path(__file__).resolve().parent / "rules" / "recommendations.csv"
OPS = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge, "==": operator.eq}


@dataclass(frozen=True)
class Condition:
    notebook: str
    metric: str
    op: str
    threshold: float


@dataclass(frozen=True)
class Rule:
    rule: str
    message: str
    conditions: tuple[Condition, ...]
    test: str = ""
    applies_to: tuple[str, ...] = ()

    @property
    def notebook(self) -> str:
        return self.conditions[0].notebook

    def message_key(self, direction: str) -> str:
        """The catalogue key of the rule's text for an indicator of ``direction`` (yes, no, neutral)."""
        return self.message.format(direction=direction)


def load_rules(path: str | Path = RULES_FILE) -> list[Rule]:
    """The rules in file order; a bad operator or threshold is a :class:`DataError` naming the row."""
    rules: dict[str, Rule] = {}
    with Path(path).open(encoding="utf-8", newline="") as fh:
        for i, row in enumerate(csv.DictReader(fh), start=2):
            if row["op"] not in OPS:
                raise DataError(path, row["op"], f"one of {' '.join(OPS)}", row=i, column="op")
            try:
                threshold = float(row["threshold"])
            except ValueError:
                raise DataError(path, row["threshold"], "a number", row=i, column="threshold") from None
            applies = tuple(d for d in (row.get("applies_to") or "").split(";") if d)
            bad = [d for d in applies if d not in DIRECTIONS]
            if bad:
                raise DataError(path, bad[0], "directions " + ";".join(DIRECTIONS), row=i, column="applies_to")
            cond = Condition(row["notebook"], row["metric"], row["op"], threshold)
            old = rules.get(row["rule"])
            for column, mine in (("message", row["message"]), ("test", row.get("test") or ""), ("applies_to", applies)):
                if old is not None and getattr(old, column) != mine:
                    raise DataError(
                        path, mine, f"the {column} of rule {row['rule']} ({getattr(old, column)})", row=i, column=column
                    )
            rules[row["rule"]] = Rule(
                row["rule"], row["message"], (*(old.conditions if old else ()), cond), row.get("test") or "", applies
            )
    return list(rules.values())


def holds(rule: Rule, results: dict[str, dict[str, Any]]) -> bool:
    """Whether every condition of ``rule`` holds on ``results`` and the rule applies to the notebook's indicator."""
    values = [value(results.get(c.notebook, {}), c.metric) for c in rule.conditions]
    if not all(
        isinstance(v, (int, float)) and not isinstance(v, bool) and OPS[c.op](v, c.threshold)
        for v, c in zip(values, rule.conditions)
    ):
        return False
    return not rule.applies_to or headlines.direction(results.get(rule.notebook, {})) in rule.applies_to


def fired(results: dict[str, dict[str, Any]], rules: list[Rule] | None = None) -> list[Rule]:
    """The rules that hold on ``results`` (``{notebook: results dict}``), in file order."""
    return [rule for rule in (load_rules() if rules is None else rules) if holds(rule, results)]
