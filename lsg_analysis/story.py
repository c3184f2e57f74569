"""What do the notebooks show and record? Small glue between the analysis modules and the notebooks.

Only reshaping for display and for the results files lives here; every measure is computed by its own
module (``imbalance``, ``border``, ``migration``, ``consultations``).
"""
from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

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


# ------------------------------------------------------------------ 03_consultations

def register_sources(register: Any) -> list[str]:
    """Source ids of a register: the raw files its rows come from (``file`` column), as repository paths."""
    return sorted({Path(f).name.removesuffix(".csv").removesuffix(".xlsx") for f in register["file"].dropna()})


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
