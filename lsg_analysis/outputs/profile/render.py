"""How is a region profile typeset? ``templates/profile.typ`` reads the content as ``data.json``."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from lsg_analysis.core import atomic, paths
from lsg_analysis.core.levels import LANGS, parse_lang
from lsg_analysis.outputs import i18n
from lsg_analysis.outputs.i18n import fmt_number, t
from lsg_analysis.outputs.profile_numbers import IndicatorLine, border_km, default_lines, runs

TEMPLATE = Path(__file__).resolve().parent / "templates" / "profile.typ"
PROFILES = paths.REPORTS / "profiles"


def _row(line: IndicatorLine, lang: str) -> list[str]:
    star = " (!)" if line.flagged else ""
    return [
        i18n.indicator_name(line.indicator, lang),
        i18n.fmt_value(line.value, line.unit, lang) + star,
        str(line.year),
        t("profile_rank_of", lang, rank=line.rank, n=line.peers),
        i18n.no_data(lang) if line.national is None else i18n.fmt_value(line.national, line.unit, lang),
        "" if line.gap is None else fmt_number(line.gap, lang, 1, sign=True),
        line.source_id,
    ]


def spark(line: IndicatorLine) -> list[list[list[float]]]:
    """The latest segment's runs (:func:`~lsg_analysis.outputs.profile_numbers.runs`) scaled to the unit box:
    x from its first to its last year, y from its minimum to its maximum (flat series at mid-height)."""
    years = [y for y, _ in line.trend]
    vals = [v for _, v in line.trend if v is not None]
    lo, hi, y0, span = min(vals), max(vals), years[0], max(years[-1] - years[0], 1)
    return [
        [[round((y - y0) / span, 4), round((v - lo) / (hi - lo), 4) if hi > lo else 0.5] for y, v in run]
        for run in runs(line.trend)
    ]


def border_text(code: str, lang: str) -> str:
    """The unit's state-border line (the brief's ``border_length`` sentence), empty when not measured."""
    from lsg_analysis.geo.border import read_border_metrics

    km = border_km(code, read_border_metrics())
    if km is None:
        return ""
    f = {k.lower(): fmt_number(v, lang, 0) for k, v in km.items()}
    return t("border_length", lang, km=f.pop("total"), **f)


def profile_content(code: str, lang: str, lines: list[IndicatorLine]) -> dict[str, Any]:
    """The profile's text and table for ``code`` in ``lang`` (every string from the catalogue)."""
    cols = ("indicator", "value", None, "rank", "national", "gap", "source", "trend")
    return {
        "lang": lang,
        "kicker": t("profile_kicker", lang),
        "title": i18n.region_name(code, lang),
        "header": [t("year", lang) if c is None else t(f"profile_col_{c}", lang) for c in cols],
        "rows": [_row(line, lang) for line in lines],
        "sparks": [spark(line) for line in lines],
        "spans": [f"{line.trend[0][0]}–{line.trend[-1][0]}" for line in lines],
        "border": border_text(code, lang),
        "note": t("profile_note", lang),
    }


def render_profile(code: str, lang: str, lines: list[IndicatorLine] | None = None) -> bytes:
    """The PDF bytes of the profile of ``code`` in ``lang``."""
    import typst

    content = profile_content(code, lang, default_lines(code) if lines is None else lines)
    with tempfile.TemporaryDirectory(prefix="lsg-profile-") as tmp:
        root = Path(tmp)
        (root / "profile.typ").write_bytes(TEMPLATE.read_bytes())
        (root / "data.json").write_text(json.dumps(content, ensure_ascii=False), encoding="utf-8")
        return typst.compile(str(root / "profile.typ"), root=str(root), font_paths=[], ignore_system_fonts=True)


def build_profiles(region: str, lang: str = "all", out_dir: str | Path | None = None) -> list[Path]:
    """Write ``<out_dir>/profile_<CODE>_<lang>.pdf`` (default ``reports/profiles``); ``region`` is any spelling
    :func:`lsg_analysis.registry.regions.resolve` accepts (unknown → RegionError with the closest names)."""
    from lsg_analysis.registry.regions import resolve

    code = resolve(region)
    langs = list(LANGS) if parse_lang(lang, allow_all=True) == "all" else [lang]
    lines = default_lines(code)
    out = Path(out_dir) if out_dir is not None else PROFILES
    return [atomic.write_bytes(out / f"profile_{code}_{x}.pdf", render_profile(code, x, lines)) for x in langs]


def build_all(out_dir: str | Path | None = None) -> list[Path]:
    """Profiles of every oblast, city and rayon with data (not the composite units of some sources), in ky, ru and
    en (``lsg profile --all``)."""
    from lsg_analysis.registry.regions import regions

    out = Path(out_dir) if out_dir is not None else PROFILES
    written = []
    for code in regions().query("level in (1, 2) and kind != 'composite'")["code"]:
        lines = default_lines(code)
        if lines:  # a unit without any indicator value gets no empty profile
            written += [
                atomic.write_bytes(out / f"profile_{code}_{x}.pdf", render_profile(code, x, lines)) for x in LANGS
            ]
    return written
