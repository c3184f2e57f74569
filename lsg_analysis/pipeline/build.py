"""Rebuild ``data/processed/`` from ``data/raw/`` and the catalogue (``lsg data build``).

Deterministic: the same raw files and definitions give byte-identical outputs (sorted rows, fixed float text,
LF line ends). Reads ``data/raw`` only; every output is written atomically.

Outputs: ``indicators.csv`` (long), ``indicator_meta.csv``, ``sources.csv``, ``corrections.csv`` (applied, with
the rows they changed), ``series_breaks.csv``, ``flags.csv`` (doubtful cells found by
:mod:`lsg_analysis.data.quality` with ``data/quality_rules.csv``; values are never changed); then the boundary
files if ``lsg_analysis.geo.boundaries`` is present,
and ``border_metrics.csv`` (:func:`lsg_analysis.geo.border.build`, measured on the raw HDX and Natural Earth files);
last ``build_stamp.json`` (:mod:`lsg_analysis.pipeline.stamp`), which lets an unchanged rebuild be skipped.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import pandas as pd

from lsg_analysis.core import atomic, paths
from lsg_analysis.data.catalogue import Entry, load_catalogue, load_corrections, load_indicator_defs, load_series_breaks
from lsg_analysis.data import quality
from lsg_analysis.data.derive import derive
from lsg_analysis.core.errors import DataError, DataErrors
from lsg_analysis.data.schemas import validate, validate_indicators, Flags, IndicatorMeta
from lsg_analysis.data.sources import copied_from_text, read_sidecar
from lsg_analysis.data.tidy import TIDY_COLUMNS, Resolver, registry_resolver, tidy_table
from lsg_analysis.pipeline import stamp

SORT = ["indicator", "source_id", "code", "year"]
SDG_JUDGEMENT = "nsc/SDG_CATALOGUE.csv (gatherers' judgement, not the producer's)"


def build_tables(
    *,
    data_dir: str | Path | None = None,
    raw_dir: str | Path | None = None,
    resolve: Resolver | None = None,
    known_codes: set[str] | None = None,
) -> dict[str, pd.DataFrame]:
    """All processed tables as DataFrames (nothing written). Raises DataErrors listing every problem found."""
    data = Path(data_dir if data_dir is not None else paths.DATA)
    raw = Path(raw_dir if raw_dir is not None else data / "raw")
    entries, derived_specs = load_catalogue(data)
    defs = load_indicator_defs(data)
    corrections = load_corrections(data)
    breaks = load_series_breaks(data)
    resolve = resolve or registry_resolver()
    from lsg_analysis.registry import regions

    levels = dict(zip(regions.regions()["code"], regions.regions()["level"].astype(int)))
    if known_codes is None:
        known_codes = set(levels)
    errors: list[DataError] = []
    parts = []
    for entry in entries:
        try:
            parts.append(tidy_table(entry, raw_dir=raw, corrections=corrections, indicator_defs=defs, resolve=resolve))
        except DataErrors as e:
            errors += e.errors
        except DataError as e:
            errors.append(e)
    if errors:
        raise DataErrors(errors)
    everything = pd.concat(parts, ignore_index=True)
    withheld = everything["flag"].str.contains("withheld", regex=False)
    tidy = everything[~withheld]
    catalogue_where = paths.rel(data / "catalogue.yml")
    tidy = pd.concat([tidy, derive(tidy, derived_specs, catalogue_where)], ignore_index=True)
    tidy = tidy.sort_values(SORT, kind="stable").reset_index(drop=True)
    tidy["default_series"] = default_series(tidy, defs, paths.rel(data / "indicators.yml"))
    indicators = tidy[TIDY_COLUMNS + ["default_series"]]
    units = {k: str(v["unit"]) for k, v in defs.items()}
    validate_indicators(
        indicators.astype({"year": int}),
        "data/processed/indicators.csv (as built)",
        known_codes=known_codes,
        units=units,
    )
    meta = indicator_meta_table(indicators, defs, entries, derived_specs, levels)
    validate(meta, IndicatorMeta, "data/processed/indicator_meta.csv (as built)")
    checked = checked_breaks(breaks, indicators, known_codes, data)
    return {
        "indicators": indicators,
        "indicator_meta": meta,
        "sources": sources_table(entries, derived_specs, raw),
        "corrections": applied_corrections(corrections, pd.concat([tidy, everything[withheld]])),
        "series_breaks": checked,
        "flags": flags_table(indicators, meta, checked, data),
    }


def flags_table(indicators: pd.DataFrame, meta: pd.DataFrame, breaks: pd.DataFrame, data: Path) -> pd.DataFrame:
    """The doubtful cells of the built indicators (:func:`lsg_analysis.data.quality.find_flags`), validated."""
    rules = quality.read_rules(data / quality.RULES_FILE)
    levels, members = quality.registry_levels()
    found = quality.find_flags(indicators, meta, breaks, rules, levels, members)
    return validate(found, Flags, "data/processed/flags.csv (as built)")


def flag_report(new: pd.DataFrame, old_path: Path, limit: int = 20) -> list[str]:
    """Build output lines: flags by rule, then each flag not in the previous ``flags.csv`` (when there is one)."""
    by_rule = new["rule"].value_counts()
    lines = [
        f"lsg data build: {len(new)} flags (" + ", ".join(f"{r} {int(by_rule.get(r, 0))}" for r in quality.RULES) + ")"
    ]
    if not old_path.is_file():
        return lines + ["  no previous flags.csv: every flag is new; `lsg data check` lists them"]
    key = ["rule", "indicator", "source_id", "code", "year"]
    from lsg_analysis.data.schemas import Flags, read_csv, validate

    old = validate(read_csv(old_path), Flags, paths.rel(old_path))
    seen = set(map(tuple, old[key].astype(str).to_numpy()))
    fresh = [r for r in new.to_dict("records") if tuple(str(r[k]) for k in key) not in seen]
    gone = len(seen - set(map(tuple, new[key].astype(str).to_numpy())))
    lines += [f"  new flag: {quality.describe(r)}" for r in fresh[:limit]]
    if len(fresh) > limit:
        lines.append(f"  ... and {len(fresh) - limit} more new flags")
    lines.append(f"  {len(fresh)} new, {gone} gone since the last build")
    return lines


def default_series(tidy: pd.DataFrame, defs: dict[str, dict[str, Any]], where: str) -> pd.Series:
    """``yes`` for rows of an indicator's default series (data/indicators.yml ``default``), else ``no``.

    The default series must hold one value per region and year: overlapping default sources are an error.
    """
    keep = pd.Series(False, index=tidy.index)
    for name, d in defs.items():
        for source, years in d["default"].items():
            sel = (tidy["indicator"] == name) & (tidy["source_id"] == source)
            if years is not None:
                sel &= tidy["year"].between(*years)
            keep |= sel
    dup = tidy[keep & tidy.duplicated(["indicator", "code", "year"], keep=False) & keep]
    dup = dup[dup.duplicated(["indicator", "code", "year"], keep=False)]
    if not dup.empty:
        r = dup.iloc[0]
        raise DataError(
            f"{where} [{r['indicator']}]",
            f"{len(dup)} overlapping rows, e.g. {r['code']} {r['year']} "
            f"from {', '.join(sorted(set(dup['source_id'])))}",
            "default sources that never give two values for one region and year",
            column="default",
        )
    return keep.map({True: "yes", False: "no"})


def indicator_meta_table(
    ind: pd.DataFrame,
    defs: dict[str, dict[str, Any]],
    entries: list[Entry],
    derived_specs: list[dict[str, Any]],
    levels: dict[str, int],
) -> pd.DataFrame:
    """One row per indicator: names, unit, direction, weights, levels, sources, years, caveats."""
    caveats = {e.id: str(e.opt("caveats") or "") for e in entries} | {d["id"]: str(d["caveats"]) for d in derived_specs}
    sdg = {v.indicator for e in entries if e.layout == "sdg_csv" for v in e.values}
    rows = []
    for name, d in defs.items():
        sub = ind[ind["indicator"] == name]
        if sub.empty:
            raise DataError("data/indicators.yml", name, "an indicator with rows from at least one catalogue entry")
        present = set(sub["source_id"])
        listed = [s for s in d["sources"] if s in present]
        default = ";".join(s if y is None else f"{s}:{y[0]}-{y[1]}" for s, y in d["default"].items())
        unlisted = sorted(present - set(listed))
        if unlisted:
            raise DataError(
                f"data/indicators.yml [{name}]",
                ", ".join(unlisted),
                "every source of the indicator listed under `sources`",
                column="sources",
            )
        present_levels = sorted({levels[c] for c in sub["code"]})
        rows.append(
            {
                "indicator": name,
                "name_en": d["name_en"],
                "name_ru": d["name_ru"],
                "name_ky": d["name_ky"],
                "name_source": d["name_source"],
                "unit": str(d["unit"]),
                "kind": d["kind"],
                "description": " ".join(str(d["description"]).split()),
                "higher_is_better": d["higher_is_better"],
                "higher_is_better_source": SDG_JUDGEMENT if name in sdg else "project judgement",
                "weight_by": d["weight_by"],
                "levels": ";".join(map(str, present_levels)),
                "sources": ";".join(listed),
                "default_source": default,
                "first_year": int(sub["year"].min()),
                "last_year": int(sub["year"].max()),
                "caveats": " | ".join(f"{s}: {caveats[s]}" for s in listed if caveats.get(s)),
            }
        )
    return pd.DataFrame(rows).sort_values("indicator").reset_index(drop=True)


def sources_table(entries: list[Entry], derived_specs: list[dict[str, Any]], raw: Path) -> pd.DataFrame:
    """Source id → file, table, producer, URL, licence, dates, caveats (from catalogue + sidecar)."""
    rows = []
    for e in entries:
        side = read_sidecar(raw / e.file)
        copied = copied_from_text(side.get("copied_from"))
        rows.append(
            {
                "source_id": e.id,
                "producer": side["producer"],
                "title": side["title"],
                "table": str(e.opt("table")),
                "url": side["url"],
                "file": f"data/raw/{e.file}",
                "licence": side["licence"],
                "published": str(side["published"]),
                "accessed": str(side["accessed"]),
                "copied_from": copied,
                "totals": str(e.opt("totals")),
                "caveats": str(e.opt("caveats") or ""),
                "inputs": "",
            }
        )
    for d in derived_specs:
        inputs = [d["numerator"]["source"], d["denominator"]["source"]]
        rows.append(
            {
                "source_id": d["id"],
                "producer": "lsg-analysis (derived)",
                "title": f"{d['indicator']} = {d['numerator']['indicator']} / mean {d['denominator']['indicator']}",
                "table": d["method"],
                "url": "",
                "file": "data/catalogue.yml",
                "licence": "as the inputs",
                "published": "",
                "accessed": "",
                "copied_from": "",
                "totals": "",
                "caveats": str(d["caveats"]),
                "inputs": ";".join(inputs),
            }
        )
    return pd.DataFrame(rows).sort_values("source_id").reset_index(drop=True)


def applied_corrections(corrections: pd.DataFrame, tidy: pd.DataFrame) -> pd.DataFrame:
    """The corrections table plus the processed rows each correction changed (``affects``; ``withheld`` = the
    published placeholder was left out)."""
    out = corrections.copy()
    affects = []
    for c in corrections.itertuples(index=False):
        hit = tidy[
            (tidy["source_id"] == c.source_id)
            & (tidy["_row"] == c.row)
            & tidy["flag"].str.contains("corrected|withheld")
        ]
        hit = hit[(hit["_column"] == c.field) | ~hit["_column"].isin(corrections["field"])]
        affects.append(
            "; ".join(
                f"{code} {ind} {g['year'].min()}"
                + (f"–{g['year'].max()} ({len(g)} rows)" if len(g) > 1 else "")
                + (" withheld" if g["flag"].str.contains("withheld").any() else "")
                for (code, ind), g in hit.groupby(["code", "indicator"], sort=True)
            )
        )
    return out.assign(affects=affects)


def checked_breaks(breaks: pd.DataFrame, ind: pd.DataFrame, known: set[str], data: Path) -> pd.DataFrame:
    """Series breaks with indicators, sources and codes checked against the built table."""
    where = paths.rel(data / "series_breaks.csv")
    errors = []
    for i, b in breaks.iterrows():
        if b["indicator"] not in set(ind["indicator"]):
            errors.append(
                DataError(where, b["indicator"], "an indicator of indicators.csv", row=i + 2, column="indicator")
            )
        if b["source_id"] and b["source_id"] not in set(ind["source_id"]):
            errors.append(
                DataError(
                    where,
                    b["source_id"],
                    "empty (every source) or a source id of indicators.csv",
                    row=i + 2,
                    column="source_id",
                )
            )
        bad = [c for c in b["codes"].split(";") if c and c not in known]
        if bad:
            errors.append(
                DataError(
                    where,
                    ";".join(bad),
                    "empty (every region) or registry codes separated by ;",
                    row=i + 2,
                    column="codes",
                )
            )
        if b["after"] <= b["before"]:
            errors.append(DataError(where, b["after"], "a year after `before`", row=i + 2, column="after"))
    if errors:
        raise DataErrors(errors)
    return breaks


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """Deterministic CSV text: UTF-8, LF, shortest round-trip float text."""
    return frame.to_csv(index=False, lineterminator="\n").encode("utf-8")


def build_processed(
    out_dir: str | Path | None = None,
    *,
    data_dir: str | Path | None = None,
    raw_dir: str | Path | None = None,
    boundaries: bool = True,
) -> dict[str, Path]:
    """Build every processed table into ``out_dir`` (default ``data/processed``), then its ``build_stamp.json``
    (:mod:`lsg_analysis.pipeline.stamp`); return name → path."""
    out = Path(out_dir if out_dir is not None else paths.PROCESSED)
    inputs = stamp.input_hashes(data_dir, raw_dir)
    tables = build_tables(data_dir=data_dir, raw_dir=raw_dir)
    report = flag_report(tables["flags"], out / "flags.csv")
    written = {}
    for name, frame in tables.items():
        written[name] = atomic.write_bytes(out / f"{name}.csv", to_csv_bytes(frame))
    boundaries = boundaries and importlib.util.find_spec("lsg_analysis.geo.boundaries") is not None
    if boundaries:
        from lsg_analysis.geo import boundaries as b

        builder = getattr(b, "build_boundaries", None)
        if builder is not None:
            result = builder(out_dir=out) if out_dir is not None else builder()
            if isinstance(result, dict):
                written.update({f"boundaries:{k}": Path(v) for k, v in result.items()})
        from lsg_analysis.geo import border

        written["border_metrics"] = border.build(out)
    stamp.write_stamp(out, stamp.make_stamp(inputs, out, [p.name for p in written.values()], boundaries=boundaries))
    n = len(tables["indicators"])
    print(
        f"lsg data build: {n} indicator rows, {len(tables['indicator_meta'])} indicators, "
        f"{len(tables['sources'])} sources, {len(tables['corrections'])} corrections -> {paths.rel(out)}"
    )
    print("\n".join(report))
    return written
