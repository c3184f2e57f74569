"""What do the notebooks show and record? Small glue between the analysis modules and the notebooks.

Only reshaping for display and for the results files lives here; every measure is computed by its own
module (``imbalance``, ``border``, ``migration``, ``consultations``).
"""
from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from . import paths
from .results import Results

#: Prefix of a source id that names a raw file (``raw:consultations/register_coded.csv``): files without a
#: catalogue source id (the coded consultation registers); provenance comes from the file's sidecar.
RAW_PREFIX = "raw:"

#: North/south grouping at oblast level (state it wherever it is used). Osh city is in the south,
#: Bishkek in the north.
NORTH = ("KG-C", "KG-Y", "KG-N", "KG-T", "KG-GB")
SOUTH = ("KG-O", "KG-J", "KG-B", "KG-GO")


def north_south(codes: Any) -> Any:
    """``north``/``south`` for each level-1 code (a pandas Series); other codes → error."""
    import pandas as pd

    codes = pd.Series(codes)
    out = codes.map({**{c: "north" for c in NORTH}, **{c: "south" for c in SOUTH}})
    if out.isna().any():
        from .errors import ParameterError

        raise ParameterError("code", codes[out.isna()].iloc[0], "an oblast or city code: " + ", ".join(NORTH + SOUTH))
    return out


class NotebookResults(Results):
    """:class:`~lsg_analysis.results.Results` that also accepts ``raw:<path under data/raw>`` source ids,
    resolved from the raw file's provenance sidecar (the keys of ``sources.csv``)."""

    def to_dict(self) -> dict[str, Any]:
        from .results import SCHEMA, _clean
        from .sources import source_info

        ids = sorted({s for m in [*self.metrics.values(), *self.tables.values()] for s in m["sources"]})
        return {"schema": SCHEMA, "notebook": self.notebook, "parameters": _clean(self.parameters),
                "metrics": self.metrics, "tables": self.tables,
                "sources": {i: raw_source(i) if i.startswith(RAW_PREFIX) else source_info(i) for i in ids}}


def raw_source(source_id: str) -> dict[str, Any]:
    """Provenance of a ``raw:<path>`` source id from the file's sidecar."""
    from .sources import read_sidecar

    path = paths.RAW / source_id.removeprefix(RAW_PREFIX)
    meta = read_sidecar(path)
    keys = ("producer", "title", "url", "licence", "published", "accessed", "copied_from")
    return {"source_id": source_id, **{k: str(meta[k]) for k in keys}, "file": paths.rel(path),
            "caveats": str(meta.get("notes", ""))}


# ------------------------------------------------------------------ 03_consultations

def register_sources(register: Any) -> list[str]:
    """Source ids of a register's rows: ``raw:<path>`` for files under data/raw, else the file path."""
    out = set()
    for f in register["file"].dropna().unique():
        p = (paths.ROOT / f).resolve()
        inside = paths.RAW.resolve() in p.parents
        out.add(RAW_PREFIX + p.relative_to(paths.RAW.resolve()).as_posix() if inside else str(f))
    return sorted(out)


def public_record(register: Any) -> Any:
    """Per draft: is there a public record of LSG consultation (indicator P01's numerator rule)?"""
    from .consultations import specs

    p01 = next(s for s in specs([]) if s.id == "P01")
    return p01.success(register).astype(bool)


def public_record_by_year(register: Any) -> Any:
    """State drafts by year: ``year, n, public_record, public_record_share`` (year null = undated)."""
    state = register[register["state_draft"].fillna(True).astype(bool)]
    frame = state.assign(public_record=public_record(state).astype(int))
    out = (frame.groupby("year", dropna=False)["public_record"].agg(["size", "sum"])
           .rename(columns={"size": "n", "sum": "public_record"}).reset_index())
    out["public_record_share"] = out["public_record"] / out["n"]
    return out[["year", "n", "public_record", "public_record_share"]]


def labelled_rates(rates: Any) -> Any:
    """Share-type indicators of ``usage_rates`` with a label and an ``n`` note, for a bar chart."""
    share = rates[(rates["unit"] == "share") & ~rates["indicator"].isin(["Q01"])]
    return share.assign(label=share["indicator"] + " " + share["name"].str.slice(0, 45),
                        n_text="n = " + share["n_known"].astype("string").fillna("–"))


def stack_by(by: Mapping[str, Any]) -> Any:
    """One frame of ``usage_rates(..., by=g)`` results with a ``by`` column naming the grouping."""
    import pandas as pd

    if not by:
        return pd.DataFrame(columns=["by", "indicator", "group", "n", "n_known", "value", "ci_low", "ci_high",
                                     "suppressed"])
    return pd.concat([frame.assign(by=g) for g, frame in by.items()], ignore_index=True)


def drafts_table(register: Any) -> Any:
    """``draft_id, title, year, act_type, drafting_body, public_record`` for the state drafts."""
    state = register[register["state_draft"].fillna(True).astype(bool)]
    cols = ["draft_id", "title", "year", "act_type", "drafting_body"]
    return state[cols].assign(public_record=public_record(state)).reset_index(drop=True)
