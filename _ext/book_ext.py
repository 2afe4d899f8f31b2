"""Small Sphinx fixes for the book's HTML.

* sphinx-thebe 0.3 registers its inline configuration script twice under
  Jupyter Book 1.x, which makes the browser report "Identifier
  'THEBE_JS_URL' has already been declared" on every page. Identical script
  entries are dropped here, keeping the first.
"""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx


def _drop_duplicate_scripts(app: Sphinx, pagename: str, templatename: str,
                            context: dict[str, Any], doctree: object) -> None:
    scripts = context.get("script_files")
    if not scripts:
        return
    seen: set[tuple[str, tuple[tuple[str, str], ...]]] = set()
    unique = []
    for script in scripts:
        attributes = getattr(script, "attributes", {})
        key = (str(getattr(script, "filename", script) or ""),
               tuple(sorted((k, str(v)) for k, v in attributes.items())))
        if key in seen:
            continue
        seen.add(key)
        unique.append(script)
    context["script_files"] = unique


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("html-page-context", _drop_duplicate_scripts, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
