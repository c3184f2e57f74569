"""How is a brief typeset? Typst renders ``templates/brief.typ`` with the content as ``data.json``; the same
inputs give a byte-identical PDF (no date in the document, charts without timestamps)."""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from lsg_analysis.core import atomic, paths
from lsg_analysis.core.errors import LsgError
from lsg_analysis.core.levels import LANGS, parse_lang, parse_level
from lsg_analysis.outputs.brief.content import brief_content
from lsg_analysis.outputs.brief.figures import context_svg, map_svg, trend_svg
from lsg_analysis.outputs.brief.reader import NOTEBOOKS
from lsg_analysis.runs import results as results_mod

TEMPLATE = Path(__file__).resolve().parent / "templates" / "brief.typ"
BRIEFS = paths.REPORTS / "briefs"
#: The text ending less than this far down its last page (pt from the top of A4, 842 pt; the top margin is 45 pt)
#: counts as a nearly empty last page: the brief is set again slightly denser, kept if that saves the page.
NEAR_EMPTY_PT = 250.0


def build_briefs(
    lang: str = "all",
    out_dir: str | Path | None = None,
    *,
    results_dir: str | Path | None = None,
    boundaries: Any = None,
    date: dt.date | None = None,
) -> list[Path]:
    """Write ``<out_dir>/brief_<lang>.pdf`` (default ``reports/briefs``) for ``lang`` in ky|ru|en|all.

    ``boundaries``: a GeoDataFrame (code, geometry) for the map; default ``load_boundaries`` of the results' level.
    ``date``: the date printed on the brief; default ``SOURCE_DATE_EPOCH`` if set, else today (UTC).
    ``results_dir``: a run's results folder (``DIR`` or ``DIR/results``); notebooks without a file there come from
    the default results, and each section's run stamp says which run it shows
    (:func:`lsg_analysis.runs.results.load_run`).
    """
    langs = list(LANGS) if parse_lang(lang, allow_all=True) == "all" else [lang]
    run = results_mod.load_run(results_dir, NOTEBOOKS)
    results = run.results
    if boundaries is None:
        boundaries = _boundaries(results)
    day = date or _today()
    out = Path(out_dir) if out_dir is not None else BRIEFS
    written = []
    for code in langs:
        pdf = render_pdf(code, results, boundaries, day, origins=run.origins)
        written.append(atomic.write_bytes(out / f"brief_{code}.pdf", pdf))
    return written


def load_all(results_dir: str | Path | None = None) -> dict[str, dict[str, Any]]:
    """The results of the notebooks a brief reads (:data:`~lsg_analysis.outputs.brief.reader.NOTEBOOKS`), each
    validated; a clear error (run `lsg run` first) when one is missing."""
    return {nb: results_mod.load(nb, results_dir) for nb in NOTEBOOKS}


def _today() -> dt.date:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    now = dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc) if epoch else dt.datetime.now(dt.timezone.utc)
    return now.date()


def _boundaries(results: dict[str, dict[str, Any]]) -> Any:
    from lsg_analysis.geo import boundaries as geo_boundaries

    level = parse_level(results_mod.value(results["01_imbalance"], "level") or "oblast", allowed=(1, 2))
    try:
        return geo_boundaries.load_boundaries(level)
    except (ImportError, AttributeError) as exc:  # loader not built yet
        raise LsgError(f"boundaries for the brief's map are not available ({exc}): run `lsg data build` first") from exc


def render_pdf(
    lang: str,
    results: dict[str, dict[str, Any]],
    boundaries: Any,
    date: dt.date,
    *,
    origins: dict[str, results_mod.Origin] | None = None,
) -> bytes:
    """The PDF bytes of the brief in ``lang``; ``origins``: the run of each notebook, stamped under its section."""
    content = brief_content(lang, results, date, origins=origins)
    with tempfile.TemporaryDirectory(prefix="lsg-brief-") as tmp:
        root = Path(tmp)
        (root / "brief.typ").write_bytes(TEMPLATE.read_bytes())
        (root / "map.svg").write_bytes(map_svg(lang, results, boundaries))
        (root / "trend.svg").write_bytes(trend_svg(lang, results))
        (root / "context.svg").write_bytes(context_svg(lang, results))
        pdf, end = compile_brief(root, lang, content, dense=False)
        if end["page"] > 1 and end["y"] < NEAR_EMPTY_PT:  # a nearly empty last page: try slightly smaller type
            dense, dense_end = compile_brief(root, lang, content, dense=True)
            if dense_end["page"] < end["page"]:  # kept only when it saves the page
                return dense
        roomy, roomy_end = compile_brief(root, lang, content, dense=False, roomy=True)
        return roomy if roomy_end["page"] == end["page"] else pdf  # larger source type when it fits the pages


def compile_brief(
    root: Path, lang: str, content: dict[str, Any], *, dense: bool, roomy: bool = False
) -> tuple[bytes, dict[str, Any]]:
    """The PDF and where its text ends (``{"page": n, "y": pt}``, the template's ``<brief-end>``); ``dense``:
    slightly smaller type, ``roomy``: the method and sources in larger type."""
    import typst

    data = {**content, "dense": dense, "roomy": roomy}
    (root / "data.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    kw = {"root": str(root), "font_paths": [], "ignore_system_fonts": True}
    try:
        pdf = typst.compile(str(root / "brief.typ"), **kw)
        end = typst.query(str(root / "brief.typ"), "<brief-end>", field="value", one=True, **kw)
    except typst.TypstError as exc:  # a template bug, not user input: keep Typst's message
        raise RuntimeError(f"typst could not render the {lang} brief: {exc}") from exc
    return pdf, json.loads(end)
