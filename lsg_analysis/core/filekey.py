"""Which version of a file is this? The cache key of every process-level cache on a file reader.

A reader cached with ``functools.lru_cache`` keys on :func:`file_key` (path, mtime in ns, size), never on the
path alone, so a file rewritten in the same process (``lsg data build``, a test's tmp copy) is read anew.

>>> import tempfile, os
>>> with tempfile.TemporaryDirectory() as d:
...     p = os.path.join(d, "t.csv")
...     _ = open(p, "w").write("a\\n")
...     k1 = file_key(p)
...     _ = open(p, "w").write("a,b\\n")
...     k1 == file_key(p)
False
"""

from __future__ import annotations

from pathlib import Path

from lsg_analysis.core import paths
from lsg_analysis.core.errors import DataError


def file_key(path: str | Path, expected: str = "the processed table: run `lsg data build`") -> tuple[str, int, int]:
    """``(path, mtime_ns, size)`` of an existing file; a DataError naming it (found "no file") when it is absent."""
    p = Path(path)
    if not p.is_file():
        raise DataError(paths.rel(p), "no file", expected)
    st = p.stat()
    return str(p), st.st_mtime_ns, st.st_size
