"""The chapter helpers of :mod:`utils.book` that talk to the book's build."""

from __future__ import annotations

from unittest import mock

import myst_nb
from IPython.display import Markdown

from utils import book, load_data


def displayed(call: object, *args: object) -> list[tuple[tuple, dict]]:
    """What ``call(*args)`` passed to IPython's ``display``, as (args, kwargs) pairs."""
    with mock.patch("IPython.display.display") as from_display, \
            mock.patch("utils.book.display") as from_book, \
            mock.patch("myst_nb.ext.glue.ipy_display", create=True) as from_myst:
        call(*args)
    found = from_display.call_args_list + from_book.call_args_list + from_myst.call_args_list
    return [(c.args, c.kwargs) for c in found]


def test_glue_writes_what_myst_nb_reads() -> None:
    for value in (12, "three", Markdown("$400 million")):
        ours = displayed(book.glue, "n_quotes", value)
        theirs = displayed(lambda n, v: myst_nb.glue(n, v, display=False), "n_quotes", value)
        assert ours == theirs and len(ours) == 1
        (bundle,), options = ours[0]
        assert options["raw"] is True and options["metadata"]["scrapbook"]["name"] == "n_quotes"
        assert all(mime.startswith(book.GLUE_PREFIX) for mime in bundle)


def test_a_source_chapter_offers_three_moments_at_most() -> None:
    data = load_data()
    order = list(data.sources.sort_values("published")["source_id"])
    assert book.moment_sources(data, order[0]) == [order[0], order[-1]]
    assert book.moment_sources(data, order[1]) == [order[0], order[1], order[-1]]
    assert book.moment_sources(data, order[-1]) == [order[-2], order[-1]]
