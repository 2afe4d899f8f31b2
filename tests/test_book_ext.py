"""The book's Sphinx extension: buttons follow the repository setting; scripts are not doubled."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "_ext"))

import book_ext  # noqa: E402


def test_buttons_are_off_without_a_repository() -> None:
    options = {"repository_url": "", "use_repository_button": True, "use_issues_button": True,
               "use_edit_page_button": True, "launch_buttons": {"binderhub_url": "https://mybinder.org"}}
    fixed = book_ext.buttons_for_repository(options)
    assert not any(fixed[key] for key in ("use_repository_button", "use_issues_button", "use_edit_page_button"))
    assert fixed["launch_buttons"] == {}
    assert options["use_repository_button"] is True  # the input is not changed


def test_buttons_come_on_with_a_repository() -> None:
    options = {"repository_url": "https://github.com/example/book", "use_repository_button": False,
               "launch_buttons": {"binderhub_url": "https://mybinder.org"}}
    fixed = book_ext.buttons_for_repository(options)
    assert all(fixed[key] for key in book_ext.REPOSITORY_BUTTONS)
    assert fixed["launch_buttons"] == {"binderhub_url": "https://mybinder.org"}


class Script:
    def __init__(self, filename, **attributes):
        self.filename, self.attributes = filename, attributes


def test_identical_inline_scripts_are_dropped() -> None:
    context = {"script_files": [Script(None, body="const A = 1"), Script("x.js"), Script("", body="const A = 1"),
                                Script("x.js"), Script(None, body="const B = 2")]}
    book_ext._drop_duplicate_scripts(None, "page", "page.html", context, None)
    assert [(s.filename, s.attributes.get("body")) for s in context["script_files"]] == [
        (None, "const A = 1"), ("x.js", None), (None, "const B = 2")]


def test_citation_list_loses_its_list_role() -> None:
    context = {"body": '<div role="list" class="citation-list"><div class="citation">x</div></div>'}
    book_ext._fix_citation_list_role(None, "bibliography", "page.html", context, None)
    assert context["body"] == '<div class="citation-list"><div class="citation">x</div></div>'


def test_every_page_names_the_books_version() -> None:
    from utils.scope import book_version

    footer = book_ext.version_footer(book_version())
    assert f"Version {book_version()}." in footer and "errata" in footer
    assert "&lt;b&gt;" in book_ext.version_footer("<b>")


def test_unfinished_text_is_found() -> None:
    assert book_ext.placeholders(["A finished sentence.", "TODO: headline", "say TODO here"]) == [
        "TODO: headline", "say TODO here"]
    assert book_ext.placeholders(["TODOS are fine", "a todo list"]) == []
