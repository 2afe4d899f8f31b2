"""What ``utils/freshness.py`` compares, worked out by hand on small notebooks.

``tests/test_freshness.py`` proves the fingerprint follows its inputs and
ignores what a save changes; these tests pin down the pieces it is made of:
which outputs are text to be joined and which are JSON to be kept, how stream
messages merge, which widget attributes count, and what a maintainer is told
about a stale notebook. Partial notebooks (no metadata, a code cell without
outputs, widget metadata without a state) must be read, not crash: a notebook
written by another tool can lack what nbformat's writer always adds. Written
to kill the mutants ``make mutation`` found surviving.
"""

from __future__ import annotations

import copy
from pathlib import Path

from utils import freshness
from utils.determinism import STATE_MIME, VIEW_MIME

FIXTURE = Path(__file__).parent / "fixtures" / "analysis"


def test_text_outputs_are_joined_and_json_outputs_kept_as_stored() -> None:
    outputs = [{"output_type": "display_data", "metadata": {}, "data": {
        "text/plain": ["a\n", "b"],
        "text/html": "<p>x</p>",
        "image/svg+xml": ["<svg>", "</svg>"],
        "application/javascript": ["var a;", " b"],       # application/ but not JSON: text
        "application/json": ["kept", "as a list"],        # JSON: a list is data, not lines
        "application/vnd.custom+json": ["also", "kept"],
        "application/vnd.jupyter.widget-view+json": {"model_id": "m"},
        "text/x+json": ["not", "application"],            # +json outside application/: text
    }}]
    before = copy.deepcopy(outputs)
    assert freshness.comparable_outputs(outputs) == [{"output_type": "display_data", "metadata": {}, "data": {
        "text/plain": "a\nb",
        "text/html": "<p>x</p>",
        "image/svg+xml": "<svg></svg>",
        "application/javascript": "var a; b",
        "application/json": ["kept", "as a list"],
        "application/vnd.custom+json": ["also", "kept"],
        "application/vnd.jupyter.widget-view+json": {"model_id": "m"},
        "text/x+json": "notapplication",
    }}]
    assert outputs == before   # the notebook itself is left as it was


def test_stream_messages_merge_by_stream_until_another_output_comes() -> None:
    outputs = [
        {"output_type": "stream", "name": "stdout", "text": ["a", "b"]},
        {"output_type": "stream", "name": "stdout", "text": "c"},
        {"output_type": "stream", "name": "stderr", "text": "e"},
        {"output_type": "execute_result", "execution_count": 3, "metadata": {}, "data": {"text/plain": "1"}},
        {"output_type": "stream", "name": "stderr", "text": "f"},
        {"output_type": "stream", "name": "stderr", "text": "g"},
        {"output_type": "stream", "name": "stdout", "text": "h"},
    ]
    assert freshness.comparable_outputs(outputs) == [
        {"output_type": "stream", "name": "stdout", "text": "abc"},
        {"output_type": "stream", "name": "stderr", "text": "e"},
        {"output_type": "execute_result", "metadata": {}, "data": {"text/plain": "1"}},  # no execution count
        {"output_type": "stream", "name": "stderr", "text": "fg"},
        {"output_type": "stream", "name": "stdout", "text": "h"},
    ]


def test_a_stream_message_without_text_adds_nothing() -> None:
    outputs = [{"output_type": "stream", "name": "stdout"},
               {"output_type": "stream", "name": "stdout", "text": "x"},
               {"output_type": "stream", "name": "stdout"}]
    assert freshness.comparable_outputs(outputs) == [{"output_type": "stream", "name": "stdout", "text": "x"}]


def test_widget_attributes_at_their_defaults_and_whole_floats_do_not_count() -> None:
    state = {
        "a": {"model_module": "@jupyter-widgets/controls", "model_name": "DropdownModel",
              "model_module_version": "2.0.0",
              "state": {"description": "", "disabled": True, "index": 1.0, "_options_labels": ["x", "y"]}},
        "b": {"model_module": "a-custom-module", "model_name": "ThingModel",   # no defaults known: all kept
              "state": {"description": "", "values": [1.0, 2.5, {"n": 3.0}]}},
        "c": {"model_module": "@jupyter-widgets/controls", "model_name": "HTMLModel"},   # no state stored
    }
    assert freshness.comparable_widget_state(state) == {
        "a": {"model_module": "@jupyter-widgets/controls", "model_name": "DropdownModel",
              "model_module_version": "2.0.0",
              "state": {"disabled": True, "index": 1, "_options_labels": ["x", "y"]}},
        "b": {"model_module": "a-custom-module", "model_name": "ThingModel",
              "state": {"description": "", "values": [1, 2.5, {"n": 3}]}},
        "c": {"model_module": "@jupyter-widgets/controls", "model_name": "HTMLModel", "state": {}},
    }


def widget_notebook(dropdown_state: dict) -> dict:
    """A notebook showing one dropdown, its state as given."""
    return {"cells": [{"cell_type": "code", "source": "dropdown", "metadata": {}, "outputs": [
        {"output_type": "display_data", "metadata": {},
         "data": {VIEW_MIME: {"model_id": "m1", "version_major": 2, "version_minor": 0}}}]}],
        "metadata": {"widgets": {STATE_MIME: {"version_major": 2, "version_minor": 0, "state": {
            "m1": {"model_module": "@jupyter-widgets/controls", "model_name": "DropdownModel",
                   "model_module_version": "2.0.0", "state": dropdown_state}}}}}}


def test_a_widget_state_saved_without_its_defaults_compares_equal_to_the_full_one() -> None:
    full = widget_notebook({"description": "", "disabled": False, "index": 1, "_options_labels": ["x", "y"]})
    saved = widget_notebook({"index": 1.0, "_options_labels": ["x", "y"]})
    other = widget_notebook({"index": 0, "_options_labels": ["x", "y"]})
    assert freshness.comparable(full) == freshness.comparable(saved)
    assert freshness.comparable(full) != freshness.comparable(other)


def test_partial_notebooks_are_read_with_what_they_lack_as_empty() -> None:
    bare = {"cells": [{"cell_type": "code"}, {"cell_type": "markdown", "source": "# Title"}]}
    assert freshness.comparable(bare) == {"cells": [{"cell_type": "code", "source": "", "outputs": []}],
                                          "metadata": {}}
    assert freshness.comparable({}) == {"cells": [], "metadata": {}}
    assert freshness.stored_fingerprint({}) is None
    stamped = freshness.stamp({"cells": [{"cell_type": "code", "source": "1"}]}, FIXTURE)
    assert stamped["metadata"][freshness.METADATA_KEY] == freshness.fingerprint(
        {"cells": [{"cell_type": "code", "source": "1"}]}, FIXTURE)
    assert freshness.is_current(stamped, FIXTURE)


def test_widgets_without_state_are_found_whatever_the_metadata_lacks() -> None:
    shown = [{"cell_type": "markdown", "source": "text"},
             {"cell_type": "code", "outputs": [{"output_type": "display_data",
                                                "data": {VIEW_MIME: {"model_id": "m1"}}}]},
             {"cell_type": "code"}]
    assert freshness.widgets_without_state({"cells": shown}) is True
    assert freshness.widgets_without_state({"cells": shown, "metadata": {"widgets": {}}}) is True
    assert freshness.widgets_without_state({"cells": shown, "metadata": {"widgets": {STATE_MIME: {}}}}) is True
    assert freshness.widgets_without_state({"cells": shown, "metadata": {"widgets": {STATE_MIME: {
        "state": {"m1": {}}}}}}) is False
    assert freshness.widgets_without_state({}) is False
    assert freshness.widgets_without_state({"cells": [{"cell_type": "code"}]}) is False


def test_the_refresh_command_names_exactly_the_notebooks_given() -> None:
    assert freshness.refresh_command("chapters/a.ipynb") == "make execute NOTEBOOKS=chapters/a.ipynb"
    assert (freshness.refresh_command(Path("chapters/a.ipynb"), "appendices/b c.ipynb")
            == "make execute NOTEBOOKS='chapters/a.ipynb appendices/b c.ipynb'")


def test_the_stale_message_says_why_and_how_to_refresh() -> None:
    without_state = {"cells": [{"cell_type": "code", "outputs": [
        {"output_type": "display_data", "data": {VIEW_MIME: {"model_id": "m1"}}}]}]}
    assert freshness.stale_message("chapters/a.ipynb") == (
        "chapters/a.ipynb: stored outputs are stale (its code, the data, utils or the packages changed, "
        "or its outputs did, since it was executed); re-execute it alone with "
        "`make execute NOTEBOOKS=chapters/a.ipynb`")
    assert freshness.stale_message("chapters/a.ipynb", without_state) == (
        "chapters/a.ipynb: stored outputs are stale (its outputs show widgets whose state was not saved "
        "with them, as after a run saved in JupyterLab); re-execute it alone with "
        "`make execute NOTEBOOKS=chapters/a.ipynb`")


def reversed_keys(value):
    """``value`` with every mapping's keys in the opposite order (as another writer may store them)."""
    if isinstance(value, dict):
        return {key: reversed_keys(value[key]) for key in reversed(list(value))}
    if isinstance(value, list):
        return [reversed_keys(item) for item in value]
    return value


def test_the_order_keys_are_stored_in_does_not_change_the_fingerprint() -> None:
    shown = widget_notebook({"index": 1, "_options_labels": ["x", "y"], "disabled": True})
    shown["cells"][0]["outputs"].append({"output_type": "display_data", "metadata": {},
                                         "data": {"text/plain": "table", "text/html": "<table></table>"}})
    assert list(reversed_keys(shown)["cells"][0]["outputs"][1]["data"]) == ["text/html", "text/plain"]
    assert freshness.fingerprint(reversed_keys(shown), FIXTURE) == freshness.fingerprint(shown, FIXTURE)


def test_a_data_file_renamed_with_the_same_content_changes_the_fingerprint(tmp_path: Path) -> None:
    """The errata page dates each review log by its file name (``review-2026-11-25.csv``)."""
    import shutil

    data_dir = Path(shutil.copytree(FIXTURE, tmp_path / "data"))
    (data_dir / "coding").mkdir()
    log = data_dir / "coding" / "review-2026-11-25.csv"
    log.write_text("id,where,finding,decision,reason\n", encoding="utf-8")
    before = freshness.fingerprint({}, data_dir)
    log.rename(data_dir / "coding" / "review-2026-11-26.csv")
    assert freshness.fingerprint({}, data_dir) != before
