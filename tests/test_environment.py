"""pyproject.toml and environment.yml must list the same dependencies with the same bounds."""

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def _norm(spec: str) -> tuple[str, str]:
    name, bound = re.match(r"^\s*([A-Za-z0-9_.\-]+)\s*(.*)$", spec).groups()
    return re.sub(r"[-_.]+", "-", name).lower(), bound.replace(" ", "")


def test_pyproject_and_environment_list_the_same_dependencies():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    env = yaml.safe_load((ROOT / "environment.yml").read_text())["dependencies"]
    conda = [d for d in env if isinstance(d, str) and not d.startswith(("python", "pip"))]
    pip = next(d["pip"] for d in env if isinstance(d, dict))
    assert dict(map(_norm, conda + pip)) == dict(map(_norm, pyproject))


def test_make_silences_only_the_editable_install_notice():
    """The Makefile's PYTHONWARNINGS filter hides setuptools' "Editable installation." notice (which pip relays as
    a BuildBackendWarning even with --quiet) and nothing else."""
    import subprocess
    import sys

    make = (ROOT / "Makefile").read_text()
    value = re.search(r'^QUIET_BUILD := PYTHONWARNINGS="([^"]+)"$', make, re.M).group(1)
    assert "\t$(QUIET_BUILD) $(BIN)/python -m pip install --quiet -c requirements.lock -e .\n" in make
    code = (
        "import warnings\nclass BuildBackendWarning(UserWarning): pass\n"
        "warnings.warn('Editable installation.\\n!!\\n  Please be careful with folders', BuildBackendWarning)\n"
        "warnings.warn('some other notice', UserWarning)\n"
    )
    env = {"PATH": "/usr/bin:/bin", "PYTHONWARNINGS": value}
    err = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env).stderr
    assert "some other notice" in err and "Editable installation" not in err
    err = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env={"PATH": "/usr/bin"}).stderr
    assert "Editable installation" in err
