"""How quickly is the dashboard interactive? (target: under 2 s in headless Chromium; file under 5 MB)

Opens ``reports/dashboard.html`` (or ``--file``) from file:// in Debian's Chromium, ``--rounds`` times in fresh
pages, at desktop (1366×900) and phone (390×844) size, and reports the median time from navigation start to
"interactive" (every chart drawn: the page sets ``window.lsgReadyMs`` then). Also prints the file size and
the page's network requests (there must be none besides the file itself). Exit status 1 if the median
exceeds the target or the file is too large.

    python benchmarks/bench_dashboard.py [--file reports/dashboard.html] [--rounds 5]

Build the page first (``lsg dashboard``); nothing is written.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

TARGET_MS = 2000.0
TARGET_BYTES = 5_000_000
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def main() -> int:
    root = Path(__file__).resolve().parent.parent
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file", type=Path, default=root / "reports" / "dashboard.html")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    if not args.file.exists():
        print(f"{args.file}: no such file; build it with `lsg dashboard`", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    size = args.file.stat().st_size
    ok = size < TARGET_BYTES
    print(f"file {args.file}: {size / 1e6:.2f} MB (target < {TARGET_BYTES / 1e6:.0f} MB)")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for name, (w, h) in {"desktop": (1366, 900), "phone": (390, 844)}.items():
            times, other = [], set()
            for _ in range(args.rounds):
                page = browser.new_page(viewport={"width": w, "height": h})
                page.on(
                    "request", lambda r: other.add(r.url) if not r.url.startswith(("file:", "data:", "blob:")) else None
                )
                page.goto(args.file.resolve().as_uri())
                page.wait_for_selector("html[data-ready='1']", timeout=30_000)
                times.append(page.evaluate("window.lsgReadyMs"))
                page.close()
            med = statistics.median(times)
            ok &= med < TARGET_MS and not other
            print(
                f"{name:8s} interactive: median {med:.0f} ms, min {min(times):.0f}, max {max(times):.0f} "
                f"({args.rounds} loads; target < {TARGET_MS:.0f} ms); network requests: {sorted(other) or 'none'}"
            )
        browser.close()
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
