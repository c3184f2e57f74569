"""Is everything shipped consistent? (``lsg data check``)

1. every raw file has a complete sidecar whose sha256 holds (:func:`lsg_analysis.data.sources.verify_sidecars`);
2. the processed tables pass their schemas (:mod:`lsg_analysis.data.schemas`: indicators, metadata, sources,
   corrections, series breaks, border metrics; codes in the registry, units equal to the metadata, no duplicates);
3. the committed ``data/processed/`` equals a fresh rebuild from ``data/raw/`` byte for byte (boundaries too,
   when :mod:`lsg_analysis.geo.boundaries` is present);
4. ``data/processed/build_stamp.json`` is exactly the stamp a fresh build writes (:mod:`lsg_analysis.pipeline.stamp`);
5. ``data/processed/flags.csv`` passes its schema and equals a recomputation of the flags (part of 3); its flags
   are listed (count by rule, one line each): doubtful values, flagged and never changed.

All problems are gathered into one :class:`~lsg_analysis.core.errors.DataErrors`; on success a short summary is printed.
"""

from __future__ import annotations

import importlib.util
import tempfile
from pathlib import Path

from lsg_analysis.core import paths
from lsg_analysis.core.errors import DataError, DataErrors


def compare_dirs(built: Path, shipped: Path, names: list[str]) -> list[DataError]:
    """Byte comparison of ``names`` in a fresh build against the shipped copies."""
    errors = []
    for name in names:
        new, old = built / name, shipped / name
        if not old.exists():
            errors.append(
                DataError(paths.rel(old), "no file", "the processed file a build writes: run `lsg data build`")
            )
        elif new.read_bytes() != old.read_bytes():
            errors.append(
                DataError(
                    paths.rel(old),
                    "differs from a rebuild",
                    "the bytes `lsg data build` writes from "
                    "data/raw (run it and commit the result, or find what changed the file)",
                )
            )
    return errors


def validate_tables(shipped: Path, *, geo: bool) -> list[DataError]:
    """The schemas of sources, corrections, series breaks (and, with ``geo``, border metrics) in ``shipped``."""
    from lsg_analysis.data import processed, series

    readers = [processed.read_sources, processed.read_corrections, series.read_breaks]
    names = ["sources.csv", "corrections.csv", "series_breaks.csv"]
    if geo:
        from lsg_analysis.geo import border

        readers.append(border.read_border_metrics)
        names.append(border.PROCESSED_FILE)
    errors: list[DataError] = []
    for read, name in zip(readers, names):
        try:
            read(shipped / name)
        except DataErrors as e:
            errors += e.errors
        except DataError as e:
            errors.append(e)
    return errors


def shipped_flags(shipped: Path, errors: list[DataError]) -> list[str]:
    """The listing of the shipped ``flags.csv`` (validated; a schema failure is added to ``errors``)."""
    from lsg_analysis.data import quality
    from lsg_analysis.data.schemas import Flags, read_csv, validate

    path = shipped / "flags.csv"
    if not path.is_file():
        return []
    try:
        flags = validate(read_csv(path), Flags, paths.rel(path))
    except DataErrors as e:
        errors += e.errors
        return []
    by_rule = flags["rule"].value_counts()
    head = (
        f"lsg data check: {len(flags)} doubtful values flagged, never changed ("
        + ", ".join(f"{r} {int(by_rule.get(r, 0))}" for r in quality.RULES)
        + '; docs/data.md, "Doubtful values (flags)")'
    )
    return [head] + [f"  {quality.describe(r)}" for r in flags.to_dict("records")]


def check_all(*, data_dir: str | Path | None = None) -> dict[str, int]:
    """Run every check; raise DataErrors listing all problems, else print and return a summary."""
    from lsg_analysis.data import processed
    from lsg_analysis.pipeline.build import build_tables, to_csv_bytes
    from lsg_analysis.data.sources import verify_sidecars
    from lsg_analysis.pipeline.stamp import check_stamp

    data = Path(data_dir if data_dir is not None else paths.DATA)
    shipped = data / "processed"
    errors: list[DataError] = []
    n_raw = 0
    try:
        n_raw = verify_sidecars(data / "raw")
    except DataErrors as e:
        errors += e.errors
    n_rows = n_ind = 0
    names: list[str] = []
    geo = importlib.util.find_spec("lsg_analysis.geo.boundaries") is not None and data_dir is None
    try:
        n_ind = len(processed.read_indicator_meta(shipped / "indicator_meta.csv"))
        n_rows = len(processed.read_indicators(shipped / "indicators.csv", shipped / "indicator_meta.csv"))
    except DataErrors as e:
        errors += e.errors
    except DataError as e:
        errors.append(e)
    errors += validate_tables(shipped, geo=geo)
    with tempfile.TemporaryDirectory(prefix="lsg-check-") as tmp:
        out = Path(tmp)
        try:
            tables = build_tables(data_dir=data)
            for name, frame in tables.items():
                (out / f"{name}.csv").write_bytes(to_csv_bytes(frame))
            names += [f"{n}.csv" for n in tables]
            errors += compare_dirs(out, shipped, [f"{n}.csv" for n in tables])
        except DataErrors as e:
            errors += e.errors
        except DataError as e:
            errors.append(e)
        if geo:
            from lsg_analysis.geo import boundaries

            built = boundaries.build_boundaries(out_dir=out)
            from lsg_analysis.geo import border

            geo_names = sorted(Path(p).name for p in built.values()) + [border.build(out).name]
            names += geo_names
            errors += compare_dirs(out, shipped, geo_names)
    if names:
        errors += check_stamp(shipped, names, data_dir=data, boundaries=geo)
    listing = shipped_flags(shipped, errors)
    if errors:
        raise DataErrors(errors)
    summary = {"raw_files": n_raw, "indicators": n_ind, "indicator_rows": n_rows, "flags": max(len(listing) - 1, 0)}
    print(
        f"lsg data check: OK — {n_raw} raw files with valid sidecars and checksums; {n_ind} indicators, "
        f"{n_rows} rows valid; data/processed and its build stamp equal a rebuild"
    )
    if listing:
        print("\n".join(listing))
    return summary
