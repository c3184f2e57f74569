"""What does notebook 03 show of the register? Display tables of the consultation register: the public record of
each state draft, labelled rates, rates by grouping and the register's sources.

Every indicator is computed by :mod:`lsg_analysis.analysis.consultations`; only reshaping for display and for the
results file lives here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from lsg_analysis.core import paths
from lsg_analysis.data.sources import FILE_PREFIX, RAW_PREFIX


def _source_id(file: str) -> str:
    """``raw:<path>`` of a register file under data/raw, else ``file:<name>`` (the user's own file)."""
    p = (paths.ROOT / file).resolve()
    if paths.RAW.resolve() in p.parents:
        return RAW_PREFIX + p.relative_to(paths.RAW.resolve()).as_posix()
    return FILE_PREFIX + p.name


def register_sources(register: Any) -> list[str]:
    """Source ids of a register's rows and of the updates applied to them (``.attrs["updates_applied"]``):
    ``raw:<path>`` for files under data/raw, else ``file:<name>``."""
    files = {*register["file"].dropna().unique(), *(u["file"] for u in register.attrs.get("updates_applied", []))}
    return sorted({_source_id(f) for f in files})


def register_provenance(register: Any, read: str) -> dict[str, dict[str, Any]]:
    """Provenance of each register file outside data/raw, from the file itself: source id → ``source_id, producer
    (the file name), title, file, sha256, rows`` (rows of the register read from it) and ``read``/``accessed`` (the
    date ``read``, ISO). Files under data/raw have a sidecar instead and are not listed."""
    import hashlib

    out = {}
    for f in register["file"].dropna().unique():
        sid = _source_id(f)
        if not sid.startswith(FILE_PREFIX):
            continue
        p = (paths.ROOT / f).resolve()
        sha = hashlib.sha256(p.read_bytes()).hexdigest()
        out[sid] = {
            "source_id": sid,
            "producer": p.name,
            "title": f"sha256 {sha}",
            "file": p.name,
            "sha256": sha,
            "rows": int((register["file"] == f).sum()),
            "read": read,
            "accessed": read,
        }
    return out


def public_record(register: Any) -> Any:
    """Per draft: is there a public record of LSG consultation (indicator P01's numerator rule)?"""
    from lsg_analysis.analysis.consultations import specs

    p01 = next(s for s in specs([]) if s.id == "P01")
    return p01.success(register).astype(bool)


def public_record_by_year(register: Any) -> Any:
    """State drafts by year: ``year, n, public_record, public_record_share`` (year null = undated)."""
    from lsg_analysis.analysis.consultations import state_drafts

    state = state_drafts(register)
    frame = state.assign(public_record=public_record(state).astype(int))
    out = (
        frame.groupby("year", dropna=False)["public_record"]
        .agg(["size", "sum"])
        .rename(columns={"size": "n", "sum": "public_record"})
        .reset_index()
    )
    out["public_record_share"] = out["public_record"] / out["n"]
    return out[["year", "n", "public_record", "public_record_share"]]


def labelled_rates(rates: Any) -> Any:
    """Share-type indicators of ``usage_rates`` with a label and an ``n`` note, for a bar chart."""
    share = rates[(rates["unit"] == "share") & ~rates["indicator"].isin(["Q01"])]
    return share.assign(
        label=share["indicator"] + " " + share["name"].str.slice(0, 45),
        n_text="n = " + share["n_known"].astype("string").fillna("–"),
    )


#: The columns of a usage-rates table as results record them (``usage_rates`` may return more).
RATES_COLUMNS = [
    "indicator",
    "group",
    "n",
    "n_known",
    "value",
    "ci_low",
    "ci_high",
    "n_unknown",
    "bound_low",
    "bound_high",
    "suppressed",
]


def stack_by(by: Mapping[str, Any]) -> Any:
    """One frame of ``usage_rates(..., by=g)`` results with a ``by`` column naming the grouping."""
    import pandas as pd

    if not by:
        return pd.DataFrame(columns=["by", *RATES_COLUMNS])
    return pd.concat([frame.assign(by=g) for g, frame in by.items()], ignore_index=True)


def updates_table(register: Any) -> Any:
    """The dated, sourced updates applied to the register's rows (``.attrs["updates_applied"]``):
    ``draft_id, field, old, new, date, source_url``, one row per applied update (none for a user's register)."""
    import pandas as pd

    columns = ["draft_id", "field", "old", "new", "date", "source_url"]
    return pd.DataFrame(register.attrs.get("updates_applied", []), columns=[*columns, "source_quote", "file"])[columns]


def drafts_table(register: Any) -> Any:
    """``draft_id, title, year, act_type, drafting_body, public_record`` for the state drafts."""
    from lsg_analysis.analysis.consultations import state_drafts

    state = state_drafts(register)
    cols = ["draft_id", "title", "year", "act_type", "drafting_body"]
    return state[cols].assign(public_record=public_record(state)).reset_index(drop=True)


def key_rates_by(by: Mapping[str, Any], indicators: tuple[str, ...] = ("P01", "I03b")) -> Any:
    """The public-record share and the consultation rate (by default) of every grouping in ``by``, one table."""
    columns = ["by", "group", "indicator", "n", "value", "bound_low", "bound_high", "ci_low", "ci_high", "suppressed"]
    stacked = stack_by(by)
    return stacked[stacked["indicator"].isin(indicators)][columns].reset_index(drop=True)


def timeliness(rates: Any) -> Any:
    """The timeliness indicators (I04 family) of ``usage_rates``."""
    return rates[rates["indicator"].str.startswith("I04")][["indicator", "name", "n", "value", "suppressed", "note"]]


def register_summary(register: Any) -> str:
    """How many drafts the register holds, and how many are the state's (LSG bodies' own drafts excluded)."""
    from lsg_analysis.analysis.consultations import state_drafts

    n_state = len(state_drafts(register))
    return (
        f"{len(register)} drafts in the register; {n_state} state drafts "
        f"({len(register) - n_state} LSG bodies' own drafts excluded from every state-to-LSG rate)"
    )


def read_register(path: str) -> Any:
    """The register at ``path`` (CSV or XLSX), or the shipped coded registers when ``path`` is empty."""
    from lsg_analysis.analysis import consultations

    return consultations.load_register(path) if path else consultations.load_shipped_register()


def rates_by(register: Any, groupings: list[str], scenarios: list[int], sampling: str | None = None) -> dict[str, Any]:
    """``usage_rates`` of ``register`` by each grouping, keyed by grouping."""
    from lsg_analysis.analysis import consultations

    return {g: consultations.usage_rates(register, by=g, scenarios=scenarios, sampling=sampling) for g in groupings}
