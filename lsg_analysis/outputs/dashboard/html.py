"""The page itself: JSON that cannot leave a ``<script>``, the Content-Security-Policy, the inlined Vega bundle.

Every JSON embedded in a ``<script>`` goes through :func:`script_json`, which escapes ``<``, ``>``, ``&``,
U+2028 and U+2029, so a draft title such as ``</script><script>alert(1)</script>`` stays a string.
The page's Content-Security-Policy allows only its own two scripts (by hash) and no network at all.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import html
import json
import re
from pathlib import Path
from typing import Any

from lsg_analysis.core import atomic, paths

#: the page template and its script (``page.html``, ``app.js``)
ASSETS = Path(__file__).resolve().parent / "assets"
_SCRIPT_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026", 0x2028: "\\u2028", 0x2029: "\\u2029"}


def script_json(value: Any) -> str:
    """``value`` as JSON that cannot leave a ``<script>`` element.

    ``<``, ``>`` and ``&`` become ``\\u003c``, ``\\u003e``, ``\\u0026`` (so ``</script>`` and ``<!--`` cannot
    occur), U+2028/U+2029 are escaped (line terminators in old JavaScript). JSON.parse gives the same value.
    NaN/inf are refused (they are not JSON); write missing values as ``None``.
    """
    text = json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    return text.translate(_SCRIPT_ESCAPES)


def inline_script(js: str, what: str) -> str:
    """``js`` if it can sit inside ``<script>…</script>`` unchanged; else a clear error."""
    low = js.lower()
    for bad in ("</script", "<!--"):
        if bad in low:
            raise ValueError(f"{what}: contains {bad!r} and cannot be inlined in a <script> element")
    return js


def csp_hash(js: str) -> str:
    """The CSP source expression (``'sha256-…'``) that lets the inline script ``js`` run."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(js.encode("utf-8")).digest()).decode("ascii") + "'"


def content_security_policy(scripts: list[str]) -> str:
    """CSP for the page: no network of any kind; only the given inline scripts run.

    ``'unsafe-eval'`` is needed by Vega's expression compiler; blob:/data: only for the CSV downloads.
    """
    return "; ".join(
        [
            "default-src 'none'",
            "script-src " + " ".join(csp_hash(s) for s in scripts) + " 'unsafe-eval'",
            "style-src 'unsafe-inline'",
            "img-src data: blob:",
            "connect-src data: blob:",
            "font-src data:",
            "base-uri 'none'",
            "form-action 'none'",
        ]
    )


def vega_bundle() -> str:
    """Vega, Vega-Lite (the version Altair targets) and vega-embed as one script, from vl-convert; made once per
    vl-convert and Vega-Lite version (about 1.6 s) and then read from :data:`lsg_analysis.core.paths.CACHE`."""
    import altair as alt
    import vl_convert as vlc

    version = ".".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2])
    cached = paths.CACHE / f"vega-bundle_vl{version}_vl-convert{vlc.__version__}.js"
    try:
        js = cached.read_text(encoding="utf-8")
    except OSError:  # not made yet (or unreadable): make it, keep it when the cache can be written
        js = vlc.javascript_bundle(vl_version=version)
        with contextlib.suppress(OSError):
            atomic.write_text(cached, js)
    return inline_script(js, "vl_convert.javascript_bundle()")


def render_html(data: dict[str, Any], bundle: str | None = None) -> str:
    """The complete page for ``data`` (from :func:`lsg_analysis.outputs.dashboard.page_data`)."""
    template = (ASSETS / "page.html").read_text(encoding="utf-8")
    app = inline_script((ASSETS / "app.js").read_text(encoding="utf-8"), "dashboard/assets/app.js")
    vega = bundle if bundle is not None else vega_bundle()
    lang = data["default_lang"]
    parts = {
        "LANG": lang,
        "VERSION": html.escape(str(data["version"])),
        "TITLE": html.escape(data["messages"][lang]["dash_title"]),
        "CSP": html.escape(content_security_policy([vega, app]), quote=False),
        "VEGA": vega,
        "APP": app,
        "DATA": script_json(data),
    }
    return re.sub(r"\{\{([A-Z]+)\}\}", lambda mt: parts[mt.group(1)], template)
