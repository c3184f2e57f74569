"""Which recommendations do the recorded numbers call for?

The rules are data (``rules/recommendations.csv``): one row per condition ``metric op threshold`` on a metric of a
notebook's results; the rows of one rule are combined with AND. A rule whose metric is missing (``null``) does not
fire: a missing number never triggers advice. The wording is the catalogue message named in ``message``.
"""

from __future__ import annotations

import csv
import operator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lsg_analysis.core.errors import DataError
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
            cond = Condition(row["notebook"], row["metric"], row["op"], threshold)
            old = rules.get(row["rule"])
            if old is not None and old.message != row["message"]:
                raise DataError(
                    path, row["message"], f"the message of rule {row['rule']} ({old.message})", row=i, column="message"
                )
            rules[row["rule"]] = Rule(row["rule"], row["message"], (*(old.conditions if old else ()), cond))
    return list(rules.values())


def fired(results: dict[str, dict[str, Any]], rules: list[Rule] | None = None) -> list[Rule]:
    """The rules all of whose conditions hold on ``results`` (``{notebook: results dict}``)."""
    out = []
    for rule in load_rules() if rules is None else rules:
        values = [value(results.get(c.notebook, {}), c.metric) for c in rule.conditions]
        if all(
            isinstance(v, (int, float)) and not isinstance(v, bool) and OPS[c.op](v, c.threshold)
            for v, c in zip(values, rule.conditions)
        ):
            out.append(rule)
    return out
