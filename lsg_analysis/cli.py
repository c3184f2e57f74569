"""The ``lsg`` command: ``lsg data build|check``, ``lsg run``, ``lsg brief``, ``lsg dashboard``,
``lsg profile``, ``lsg figures``, ``lsg consult template|rates``.

Each subcommand imports its module only when used, so ``lsg --help`` stays fast. A user error
(:class:`~lsg_analysis.core.errors.LsgError`) prints one message and exits with status 2, no traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from lsg_analysis.analysis.register_schema import GROUPINGS, SAMPLING
from lsg_analysis.core.errors import LsgError, ParameterError
from lsg_analysis.core.paths import rel


def _data_build(a: argparse.Namespace) -> int:
    from lsg_analysis.pipeline.stamp import build_unless_current

    build_unless_current(force=a.force)
    return 0


def _data_check(a: argparse.Namespace) -> int:
    from lsg_analysis.pipeline.check import check_all

    check_all()
    return 0


def _run(a: argparse.Namespace) -> int:
    from lsg_analysis.runs.runner import run_cli

    return run_cli(a)


def _print_origins(command: str, results: str | None, notebooks: tuple[str, ...] | None = None) -> None:
    """Print which run each section comes from (and fail early, naming the file, on bad results)."""
    from lsg_analysis.outputs.stamps import origin_lines
    from lsg_analysis.runs.results import ALL_NOTEBOOKS, load_run

    for line in origin_lines(load_run(results, notebooks or ALL_NOTEBOOKS).origins):
        print(f"{command}: {line}")


def _brief(a: argparse.Namespace) -> int:
    from lsg_analysis.outputs.brief import build_briefs

    _print_origins("lsg brief", a.results)
    for path in build_briefs(a.lang, out_dir=a.out, results_dir=a.results):
        print(f"lsg brief: wrote {rel(path)}")
    return 0


def _dashboard(a: argparse.Namespace) -> int:
    from lsg_analysis.outputs.dashboard import build_dashboard

    _print_origins("lsg dashboard", a.results)
    print(f"lsg dashboard: wrote {rel(build_dashboard(a.out, results_dir=a.results))}")
    return 0


def _profile(a: argparse.Namespace) -> int:
    from lsg_analysis.outputs.profile import build_all, build_profiles
    from lsg_analysis.outputs.profile_numbers import RUN_NOTEBOOK

    if (a.region is None) == (not a.all):
        raise LsgError("lsg profile: give one REGION or --all")
    _print_origins("lsg profile", a.results, (RUN_NOTEBOOK,))
    written = (
        build_all(a.out, results_dir=a.results)
        if a.all
        else build_profiles(a.region, a.lang, out_dir=a.out, results_dir=a.results)
    )
    for path in written:
        print(f"lsg profile: wrote {rel(path)}")
    return 0


def _figures(a: argparse.Namespace) -> int:
    from lsg_analysis.outputs.overview import write_overview

    for path in write_overview(a.out, lang=a.lang):
        print(f"lsg figures: wrote {rel(path)}")
    return 0


def _new_file(path: str, suffixes: Sequence[str], force: bool) -> Path:
    """An output path the user named: the right extension, and never an existing file unless ``force``."""
    p = Path(path)
    if p.suffix.lower() not in suffixes:
        raise ParameterError("path", path, "a file name ending in " + " or ".join(suffixes))
    if p.is_dir():
        raise LsgError(f"{rel(p)} is a folder; give a file name ending in {' or '.join(suffixes)}")
    if p.exists() and not force:
        raise LsgError(f"{rel(p)} already exists; add --force to overwrite it")
    return p


def _consult_template(a: argparse.Namespace) -> int:
    from lsg_analysis.analysis.consultations import write_template

    path = write_template(_new_file(a.path, (".xlsx",), a.force))
    print(f"lsg consult template: wrote {rel(path)}")
    return 0


def _consult_rates(a: argparse.Namespace) -> int:
    from lsg_analysis.analysis.consultations import load_register
    from lsg_analysis.analysis.rates_report import format_input, format_rates, rates_with_overall, write_rates

    out = _new_file(a.out, (".csv", ".xlsx"), a.force) if a.out else None
    register = load_register(a.path)
    rates = rates_with_overall(register, a.by, a.sampling)
    print(format_input(register, rel(a.path)))
    print(format_rates(rates))
    if out is not None:
        print(f"lsg consult rates: wrote {rel(write_rates(rates, out))}")
    return 0


#: ``--results`` of ``lsg brief`` and ``lsg dashboard`` (``lsg profile`` reads only 02_migration_border there).
RESULTS_HELP = (
    "build from the results of this run (DIR or DIR/results, as written by `lsg run --out DIR`); notebooks "
    "without a file there come from the default results (reports/results)"
)


def _results_option(command: argparse.ArgumentParser, help: str) -> None:
    """The ``--results DIR`` option (:func:`lsg_analysis.runs.results.load_run` reads the folder)."""
    command.add_argument("--results", default=None, metavar="DIR", help=help)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="lsg", description=__doc__.split("\n\n")[0])
    sub = p.add_subparsers(dest="command", required=True)

    data = sub.add_parser("data", help="build or check the shipped data").add_subparsers(dest="action", required=True)
    build = data.add_parser("build", help="rebuild data/processed/ from data/raw/ (skipped when no input changed)")
    build.add_argument(
        "--force",
        action="store_true",
        help="rebuild even when data/processed/build_stamp.json shows the inputs unchanged",
    )
    build.set_defaults(func=_data_build)
    data.add_parser("check", help="validate everything shipped (sidecars, checksums, tables)").set_defaults(
        func=_data_check
    )

    run = sub.add_parser("run", help="run the notebooks (all, or a parameter grid from YAML)")
    run.add_argument("notebooks", nargs="*", help="notebook names (default: all)")
    run.add_argument(
        "-p",
        "--parameter",
        dest="parameters",
        nargs=2,
        action="append",
        metavar=("NAME", "VALUE"),
        help="a parameter of the named notebooks; VALUE is read as YAML (as papermill's -p/-y)",
    )
    run.add_argument(
        "-f",
        "--parameters-file",
        dest="parameters_file",
        action="append",
        metavar="YAML",
        help="a YAML file of parameters (name: value); -p values win",
    )
    run.add_argument("--grid", help="YAML file with a parameter grid")
    run.add_argument("--jobs", type=int, default=None, help="parallel processes (default: number of cores)")
    run.add_argument(
        "--dask",
        default=None,
        metavar="ADDRESS",
        help="run on the workers of this Dask scheduler (e.g. tcp://10.0.0.5:8786) instead of local processes",
    )
    run.add_argument(
        "--out", default=None, help="output folder: DIR/results/<notebook>.json, DIR/notebooks/ (default: reports/)"
    )
    run.add_argument(
        "--html",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="export each executed notebook to HTML (default: yes, but no for a --grid sweep)",
    )
    run.set_defaults(func=_run)

    brief = sub.add_parser("brief", help="render the PDF policy brief")
    brief.add_argument("--lang", default="all", choices=["ky", "ru", "en", "all"])
    brief.add_argument("--out", default=None, help="output folder (default: reports/briefs)")
    _results_option(brief, RESULTS_HELP)
    brief.set_defaults(func=_brief)

    dash = sub.add_parser("dashboard", help="build the self-contained HTML dashboard")
    dash.add_argument("--out", default=None, help="output file (default: reports/dashboard.html)")
    _results_option(dash, RESULTS_HELP)
    dash.set_defaults(func=_dashboard)

    prof = sub.add_parser("profile", help="render the PDF profile of one oblast, city or rayon")
    prof.add_argument(
        "region",
        nargs="?",
        default=None,
        help="the unit, any spelling the region registry accepts (e.g. 'Sokuluk district')",
    )
    prof.add_argument("--lang", default="all", choices=["ky", "ru", "en", "all"])
    prof.add_argument("--all", action="store_true", help="every oblast, city and rayon with data, in ky, ru and en")
    prof.add_argument("--out", default=None, help="output folder (default: reports/profiles)")
    _results_option(
        prof,
        "border status and population change from the 02_migration_border results of this run (DIR or "
        "DIR/results, as written by `lsg run --out DIR`); without that file there, from the default results",
    )
    prof.set_defaults(func=_profile)

    fig = sub.add_parser("figures", help="write the overview map and chart of the shipped data")
    fig.add_argument("--lang", default="en", choices=["ky", "ru", "en"])
    fig.add_argument("--out", default=None, help="output folder (default: reports/figures)")
    fig.set_defaults(func=_figures)

    consult = sub.add_parser("consult", help="consultation register tools").add_subparsers(dest="action", required=True)
    t = consult.add_parser("template", help="write the XLSX entry template")
    t.add_argument("path", help="the .xlsx file to write")
    t.add_argument("--force", action="store_true", help="overwrite PATH if it exists")
    t.set_defaults(func=_consult_template)
    r = consult.add_parser("rates", help="validate a register (CSV/XLSX) and print the usage rates")
    r.add_argument("path", help="the register, .csv or .xlsx")
    r.add_argument(
        "--by",
        default=None,
        choices=GROUPINGS,
        metavar="COLUMN",
        help="also break the rates down by one of: " + ", ".join(GROUPINGS) + " (the overall row is "
        "printed too; unknown is its own group)",
    )
    r.add_argument(
        "--sampling",
        default=None,
        choices=SAMPLING,
        help="how the register's drafts were chosen (default: its declared register_sampling, else unknown); "
        "Wilson 95 %% intervals only for census or random_sample, else the bounds the unknowns allow",
    )
    r.add_argument("--out", default=None, help="also write every column of the rates to this .csv or .xlsx file")
    r.add_argument("--force", action="store_true", help="overwrite the --out file if it exists")
    r.set_defaults(func=_consult_rates)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    func: Callable[[argparse.Namespace], int] = args.func
    try:
        return func(args)
    except LsgError as e:
        print(f"lsg: error: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
