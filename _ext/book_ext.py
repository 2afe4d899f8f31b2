"""Small Sphinx fixes for the book's HTML.

* The repository, issue, edit and launch buttons need the repository URL of
  ``_config.yml``: when it is set they are all switched on, and while it is
  empty they are all off, so one setting controls them.
* docutils marks the bibliography as ``role="list"`` although its entries are
  not list items, which axe-core reports as a critical violation
  (aria-required-children); the role is removed.
* The book's scope words (``{{ n_sources_word }}``, ``{{ source_years }}``,
  ``{{ book_version }}`` …) are MyST substitutions computed from the data by
  :func:`utils.scope.scope_words`, so no page types "five sources".
* myst-nb's toggle of a hidden cell is named "Toggle hidden content" while
  it shows "Show code cell content" (axe label-content-name-mismatch); the
  label is dropped so its name is its text.
* A page that still holds a ``TODO`` placeholder (a chapter fresh from
  ``make new-source``) is reported, so the strict build (``-W``) refuses to
  publish it.
* sphinx-thebe 0.3 registers its inline configuration script twice under
  Jupyter Book 1.x, which makes the browser report "Identifier
  'THEBE_JS_URL' has already been declared" on every page. Identical script
  entries are dropped here, keeping the first.
"""

from __future__ import annotations

import html
import re
from typing import Any

from docutils import nodes
from sphinx.util import logging

logger = logging.getLogger(__name__)

from sphinx.application import Sphinx

REPOSITORY_BUTTONS = ("use_repository_button", "use_issues_button", "use_edit_page_button",
                      "use_source_button")


def buttons_for_repository(options: dict[str, Any]) -> dict[str, Any]:
    """Theme options with the repository and launch buttons on exactly when a repository URL is set."""
    fixed = dict(options)
    has_repository = bool(options.get("repository_url"))
    for key in REPOSITORY_BUTTONS:
        fixed[key] = has_repository
    if not has_repository:
        fixed["launch_buttons"] = {}
    return fixed


def _configure_buttons(app: Sphinx, config: Any) -> None:
    config.html_theme_options = buttons_for_repository(dict(config.html_theme_options or {}))


def _set_scope_substitutions(app: Sphinx, config: Any) -> None:
    from utils import load_data
    from utils.scope import scope_words

    words = scope_words(load_data())
    config.myst_substitutions = {**(config.myst_substitutions or {}), **words}
    config.html_theme_options = {**(config.html_theme_options or {}),
                                 "extra_footer": version_footer(words["book_version"])}


def version_footer(version: str) -> str:
    """The footer line on every page: the book's version, and where its corrections are listed."""
    return f"<p>Version {html.escape(version)}. Every correction since the first version is listed in the errata appendix.</p>"


#: What marks unfinished text: a page that still has it does not publish (the build's -W makes it an
#: error). Code (``TODO`` in backticks, code cells) may name it.
PLACEHOLDER = re.compile(r"\bTODO\b")


def placeholders(texts: list[str]) -> list[str]:
    """The pieces of text that still hold a placeholder, shortened for the message."""
    return [text.strip()[:80] for text in texts if PLACEHOLDER.search(text)]


def _refuse_placeholders(app: Sphinx, doctree: nodes.document) -> None:
    found = placeholders([node.astext() for node in doctree.findall(nodes.Text)
                          if not isinstance(node.parent, (nodes.literal, nodes.literal_block))])
    if found:
        logger.warning(f"{app.env.docname} is unfinished: {len(found)} TODO placeholder(s), first: {found[0]!r}",
                       location=app.env.docname, type="book", subtype="todo")


def _fix_citation_list_role(app: Sphinx, pagename: str, templatename: str,
                            context: dict[str, Any], doctree: object) -> None:
    body = context.get("body")
    if body and 'role="list" class="citation-list"' in body:
        context["body"] = body.replace('<div role="list" class="citation-list">', '<div class="citation-list">')
    body = context.get("body")
    if body and HIDDEN_CELL_SUMMARY in body:
        context["body"] = body.replace(HIDDEN_CELL_SUMMARY, "<summary>")


#: myst-nb names the toggle of a hidden cell "Toggle hidden content" while it shows "Show code cell
#: content": axe's label-content-name-mismatch (WCAG 2.5.3). Without the label its name is its text.
HIDDEN_CELL_SUMMARY = '<summary aria-label="Toggle hidden content">'


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
    app.connect("config-inited", _configure_buttons, priority=100)
    app.connect("config-inited", _set_scope_substitutions)
    app.connect("doctree-read", _refuse_placeholders)
    app.connect("html-page-context", _drop_duplicate_scripts, priority=900)
    app.connect("html-page-context", _fix_citation_list_role)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
