"""How are the results read and written for one language? The brief's reader of the three results files and
its small formatting helpers (p-values, years, windows, counts, region names)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from lsg_analysis.outputs import i18n, units
from lsg_analysis.outputs.i18n import fmt_number, fmt_percent, t
from lsg_analysis.runs import results as results_mod

#: The notebooks a brief reads: the three of the suite's questions and the country comparison.
IMB, MIG, CON = results_mod.NOTEBOOKS
CTX = "04_context"
NOTEBOOKS = (IMB, MIG, CON, CTX)


def share(results: dict[str, dict[str, Any]], nb: str, key: str, lang: str, **kw: Any) -> str:
    """A share as percent; the metric's unit says whether it is a fraction (0–1) or already per cent."""
    m = results_mod.metric(results[nb], key)
    return fmt_percent(m.get("value"), lang, fraction=units.is_fraction(m.get("unit")), **kw)


def fmt_p(p: float | None, lang: str, *, prefix: bool = True) -> str:
    """A p-value with three decimals: ``p = 0,234``, ``p < 0,001`` (``prefix=False``: ``0,234``, ``< 0,001``);
    no-break spaces, so a line never ends in ``p =``."""
    small = isinstance(p, (int, float)) and 0 <= p < 0.001
    text = fmt_number(0.001 if small else p, lang, 3)
    nb = i18n.NBSP
    if small:
        return (f"p{nb}<{nb}" if prefix else "<" + nb) + text
    return f"p{nb}={nb}{text}" if prefix and p is not None else text


def region(code: Any, lang: str) -> str:
    return i18n.region_name(str(code), lang) if code else i18n.no_data(lang)


def year_int(value: Any) -> int | None:
    """A year as int from ``2021``, ``2021.0`` or ``"2021"``; None for anything else (``"unknown"``, null)."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return int(number) if number.is_integer() else None


def year_text(value: Any, lang: str) -> str:
    """A year for display; the register's ``unknown`` → "unknown", missing → "no data", in ``lang``."""
    year = year_int(value)
    if year is not None:
        return str(year)
    if str(value).strip().lower() == "unknown":
        return t("unknown", lang)
    return i18n.no_data(lang) if value in (None, "") else str(value)


def window(value: Any) -> str:
    """A recorded span of years as printed (:func:`lsg_analysis.outputs.i18n.span_text`)."""
    return i18n.span_text(value) if value else ""


@dataclass(frozen=True)
class Reader:
    """The results of the three notebooks, read for one language."""

    lang: str
    results: dict[str, dict[str, Any]]

    def metric(self, nb: str, key: str) -> dict[str, Any]:
        return results_mod.metric(self.results[nb], key)

    def v(self, nb: str, key: str) -> Any:
        return self.metric(nb, key).get("value")

    def share(self, nb: str, key: str, **kw: Any) -> str:
        return share(self.results, nb, key, self.lang, **kw)

    def rows(self, nb: str, key: str) -> list[dict[str, Any]]:
        return results_mod.rows(self.results[nb], key)

    def t(self, key: str, **fmt: Any) -> str:
        return t(key, self.lang, **fmt)

    @property
    def no_data(self) -> str:
        return i18n.no_data(self.lang)

    @property
    def years(self) -> tuple[Any, Any]:
        return self.v(IMB, "year_first"), self.v(IMB, "year_last")

    @property
    def indicator(self) -> str:
        ind = self.v(IMB, "indicator")
        return i18n.indicator_name(str(ind), self.lang) if ind else self.no_data

    @property
    def indicator_in_sentence(self) -> str:
        """The indicator's name as it reads inside a sentence (:func:`lsg_analysis.outputs.i18n.in_sentence`)."""
        return i18n.in_sentence(self.indicator)

    @property
    def indicator_at_level(self) -> str:
        """The indicator's name inside a sentence that adds :attr:`level` (:func:`i18n.without_level`)."""
        name = i18n.without_level(self.indicator, str(self.v(IMB, "level") or "oblast"), self.lang)
        return i18n.in_sentence(name)

    @property
    def level(self) -> str:
        return self.t(f"level_{self.v(IMB, 'level') or 'oblast'}")


def count(x: Any, r: Reader) -> str:
    return r.no_data if x is None else fmt_number(x, r.lang, 0)
