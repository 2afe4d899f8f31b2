"""Stored outputs are re-made exactly when what they depend on changes."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from tests.test_notebooks import NOTEBOOKS
from utils import freshness
from utils.determinism import kernelspec, stable_id

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "execute_notebooks.py"


def notebook(code: str, text: str = "# A title") -> dict:
    return {"cells": [{"cell_type": "markdown", "metadata": {}, "source": [text]},
                      {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [],
                       "source": [code]}],
            "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
            "nbformat": 4, "nbformat_minor": 5}


@pytest.fixture()
def data_dir(tmp_path: Path) -> Path:
    return Path(shutil.copytree(ROOT / "data", tmp_path / "data"))


def test_code_outputs_data_and_utils_change_the_fingerprint_prose_does_not(data_dir: Path) -> None:
    base = freshness.fingerprint(notebook("1+1"), data_dir)
    assert freshness.fingerprint(notebook("1+1"), data_dir) == base
    assert freshness.fingerprint(notebook("1+1", "# Another title"), data_dir) == base
    assert freshness.fingerprint(notebook("1+2"), data_dir) != base
    rerun = notebook("1+1")
    rerun["cells"][1]["outputs"] = [{"output_type": "execute_result", "data": {"text/plain": "2"},
                                     "metadata": {}, "execution_count": 7}]
    assert freshness.fingerprint(rerun, data_dir) != base   # outputs saved by another run
    with (data_dir / "events.csv").open("a", encoding="utf-8") as handle:
        handle.write("\n")
    assert freshness.fingerprint(notebook("1+1"), data_dir) != base
    assert any(p.parent.name == "utils" and p.name == "widgets.py" for p in freshness.input_files(data_dir))


def test_the_bibliography_the_data_cites_changes_the_fingerprint(tmp_path: Path) -> None:
    data_dir = Path(shutil.copytree(ROOT / "data", tmp_path / "data"))
    shutil.copy(ROOT / "references.bib", tmp_path / "references.bib")
    base = freshness.fingerprint(notebook("1+1"), data_dir)
    with (tmp_path / "references.bib").open("a", encoding="utf-8") as handle:
        handle.write("\n")
    assert freshness.fingerprint(notebook("1+1"), data_dir) != base


def test_the_chapter_order_and_titles_change_the_fingerprint_other_prose_does_not(
        data_dir: Path, tmp_path: Path, monkeypatch) -> None:
    """The errata page groups its rows under each chapter's title in the order of _toc.yml."""
    book = tmp_path / "book"
    (book / "chapters").mkdir(parents=True)
    toc = book / "_toc.yml"
    toc.write_text("root: intro\nparts:\n- chapters:\n  - file: chapters/a\n  - file: chapters/b\n",
                   encoding="utf-8")
    for name, title in (("a", "First"), ("b", "Second")):
        (book / "chapters" / f"{name}.ipynb").write_text(
            json.dumps(notebook("1+1", f"# {title}\n\nSome prose.")), encoding="utf-8")
    monkeypatch.setattr(freshness, "BOOK_TOC", toc)
    assert freshness.book_outline() == "a\tFirst\nb\tSecond"
    base = freshness.fingerprint(notebook("1+1"), data_dir)

    def after(change) -> str:
        saved = {path: path.read_text(encoding="utf-8") for path in book.rglob("*") if path.is_file()}
        change()
        try:
            return freshness.fingerprint(notebook("1+1"), data_dir)
        finally:
            for path, text in saved.items():
                path.write_text(text, encoding="utf-8")

    chapter_b = book / "chapters" / "b.ipynb"
    assert after(lambda: toc.write_text(toc.read_text().replace("chapters/a\n  - file: chapters/b",
                                                               "chapters/b\n  - file: chapters/a"))) != base
    assert after(lambda: chapter_b.write_text(chapter_b.read_text().replace("# Second", "# Renamed"))) != base
    assert after(lambda: chapter_b.write_text(chapter_b.read_text().replace("Some prose.", "Other prose."))) == base
    assert freshness.fingerprint(notebook("1+1"), data_dir) == base
    monkeypatch.setattr(freshness, "BOOK_TOC", tmp_path / "absent.yml")
    assert freshness.book_outline() == ""


def test_the_interpreter_version_does_not_change_the_fingerprint(data_dir: Path, monkeypatch) -> None:
    import sys

    base = freshness.fingerprint(notebook("1+1"), data_dir)
    monkeypatch.setattr(sys, "version_info", (3, 13, 0, "final", 0))
    assert freshness.fingerprint(notebook("1+1"), data_dir) == base


def test_the_lock_changes_the_fingerprint(data_dir: Path, tmp_path: Path, monkeypatch) -> None:
    lock = tmp_path / "requirements.txt"
    lock.write_text("pandas==1.0\n", encoding="utf-8")
    monkeypatch.setattr(freshness, "LOCK_FILE", lock)
    base = freshness.fingerprint(notebook("1+1"), data_dir)
    lock.write_text("pandas==2.0\n", encoding="utf-8")
    assert freshness.fingerprint(notebook("1+1"), data_dir) != base


def test_a_stamped_notebook_is_current_until_the_data_changes(data_dir: Path) -> None:
    stamped = freshness.stamp(notebook("1+1"), data_dir)
    assert freshness.is_current(stamped, data_dir)
    assert not freshness.is_current(notebook("1+1"), data_dir)
    (data_dir / "quotes.csv").write_text((data_dir / "quotes.csv").read_text(encoding="utf-8") + "\n",
                                         encoding="utf-8")
    assert not freshness.is_current(stamped, data_dir)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_committed_outputs_come_from_the_current_inputs(path: Path) -> None:
    stored = json.loads(path.read_text(encoding="utf-8"))
    assert freshness.is_current(stored, ROOT / "data"), freshness.stale_message(path.relative_to(ROOT), stored)


def run(*args: str, data_dir: Path = ROOT / "data") -> subprocess.CompletedProcess:
    """scripts/execute_notebooks.py with ``args``, on the book's data (or ``data_dir``)."""
    return subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True, text=True,
                          cwd=ROOT, env={**os.environ, "BOOK_DATA_DIR": str(data_dir)})


def test_book_build_runs_only_stale_notebooks_and_test_refuses_them(tmp_path: Path) -> None:
    fresh, outdated = tmp_path / "fresh.ipynb", tmp_path / "outdated.ipynb"
    fresh.write_text(json.dumps(notebook("print('fresh')")), encoding="utf-8")
    outdated.write_text(json.dumps(notebook("print('outdated')")), encoding="utf-8")

    assert run(str(fresh)).returncode == 0                       # make execute: stores outputs and stamp
    assert json.loads(fresh.read_text(encoding="utf-8"))["metadata"]["kernelspec"] == kernelspec()
    checked = run("--check", str(fresh), str(outdated))          # make test's first step
    assert checked.returncode == 1
    assert "outdated.ipynb" in checked.stderr and "fresh.ipynb" not in checked.stderr
    before = fresh.read_bytes()
    built = run("--stale", str(fresh), str(outdated))            # make book's first step
    assert built.returncode == 0 and "1 of 2 notebooks executed" in built.stdout
    assert fresh.read_bytes() == before
    outputs = json.loads(outdated.read_text(encoding="utf-8"))["cells"][1]["outputs"]
    assert outputs[0]["text"] == ["outdated\n"]
    assert run("--check", str(fresh), str(outdated)).returncode == 0


def test_a_failing_notebook_is_named_and_left_as_it_was(tmp_path: Path) -> None:
    broken = tmp_path / "broken.ipynb"
    broken.write_text(json.dumps(notebook("raise ValueError('no such level')")), encoding="utf-8")
    before = broken.read_bytes()
    result = run("--stale", str(broken))
    assert result.returncode == 1
    assert f"{broken}: ValueError: no such level" in result.stderr
    assert broken.read_bytes() == before


# --- Saving is harmless (issue 14) -------------------------------------------------------------

VIEW = "application/vnd.jupyter.widget-view+json"
STATE = "application/vnd.jupyter.widget-state+json"


def widget_notebook(box: str, html: str, link: str) -> dict:
    """A notebook showing a box (holding an HTML widget, linked to itself) and printing a line."""
    shown = notebook("widgets.box()")
    shown["cells"][1]["execution_count"] = 1
    shown["cells"][1]["outputs"] = [
        {"output_type": "execute_result", "execution_count": 1, "metadata": {},
         "data": {VIEW: {"model_id": box, "version_major": 2, "version_minor": 0},
                  "text/plain": ["VBox(children=(HTML(value='<p>x</p>'),))"]}}]
    shown["cells"].append({"cell_type": "code", "execution_count": 2, "metadata": {},
                           "outputs": [{"output_type": "stream", "name": "stdout", "text": ["one\n", "two\n"]}],
                           "source": ["print('one')\n", "print('two')"]})
    shown["metadata"]["widgets"] = {STATE: {"state": {
        box: {"model_name": "VBoxModel", "state": {"children": [f"IPY_MODEL_{html}"]}},
        html: {"model_name": "HTMLModel", "state": {"value": "<p>x</p>"}},
        link: {"model_name": "LinkModel", "state": {"source": [f"IPY_MODEL_{box}", "index"]}},
    }, "version_major": 2, "version_minor": 0}}
    return shown


def saved_in_jupyterlab(stored: dict) -> dict:
    """``stored`` as JupyterLab saves it after Run All: fresh random widget ids (outputs and state,
    the state in another order), other execution counts, timings in the cell metadata, its own
    kernelspec and language_info, multiline strings whole, a stream in two pieces."""
    import uuid

    text = json.dumps(stored)
    for old in set(re.findall(r"(?<![0-9a-f])[0-9a-f]{32}(?![0-9a-f])", json.dumps(stored["metadata"]["widgets"]))):
        text = text.replace(old, uuid.uuid4().hex)
    saved = json.loads(text)
    bundle = saved["metadata"]["widgets"][STATE]
    bundle["state"] = dict(reversed(bundle["state"].items()))
    saved["metadata"]["kernelspec"] = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
    saved["metadata"]["language_info"] = {"name": "python", "version": "3.12.3"}
    saved["metadata"]["toc-autonumbering"] = True
    for count, cell in enumerate(c for c in saved["cells"] if c["cell_type"] == "code"):
        cell["execution_count"] = 40 + count
        cell["metadata"]["execution"] = {"iopub.execute_input": "2025-01-01T10:00:00.000Z"}
        cell["metadata"]["scrolled"] = True
        for output in cell["outputs"]:
            if "execution_count" in output:
                output["execution_count"] = 40 + count
            if "text/plain" in output.get("data", {}):
                output["data"]["text/plain"] = "".join(output["data"]["text/plain"])
    saved["cells"][2]["outputs"] = [{"output_type": "stream", "name": "stdout", "text": "one\n"},
                                    {"output_type": "stream", "name": "stdout", "text": "two\n"}]
    return saved


def test_what_a_save_changes_without_changing_content_leaves_a_notebook_current(data_dir: Path) -> None:
    stored = freshness.stamp(widget_notebook("a" * 32, "b" * 32, "c" * 32), data_dir)
    saved = saved_in_jupyterlab(stored)
    assert "a" * 32 not in json.dumps(saved)
    assert freshness.is_current(saved, data_dir)


def test_what_a_save_changes_in_content_still_makes_a_notebook_stale(data_dir: Path) -> None:
    stored = freshness.stamp(widget_notebook("a" * 32, "b" * 32, "c" * 32), data_dir)

    other_widget = saved_in_jupyterlab(stored)           # the instructor left the widget showing another value
    next(m for m in other_widget["metadata"]["widgets"][STATE]["state"].values()
         if m["model_name"] == "HTMLModel")["state"]["value"] = "<p>y</p>"
    assert not freshness.is_current(other_widget, data_dir)

    state_not_saved = saved_in_jupyterlab(stored)        # new ids in the outputs, the old state kept:
    state_not_saved["metadata"]["widgets"] = stored["metadata"]["widgets"]   # the page would lose its widget
    assert not freshness.is_current(state_not_saved, data_dir)

    other_output = saved_in_jupyterlab(stored)
    other_output["cells"][2]["outputs"][1]["text"] = "three\n"
    assert not freshness.is_current(other_output, data_dir)

    not_run = saved_in_jupyterlab(stored)
    not_run["cells"][2]["outputs"] = []
    assert not freshness.is_current(not_run, data_dir)

    streams = saved_in_jupyterlab(stored)                # a stream and its neighbour are not one stream
    streams["cells"][2]["outputs"][1]["name"] = "stderr"
    assert not freshness.is_current(streams, data_dir)

    assert "widgets whose state was not saved" in freshness.stale_message("x.ipynb", state_not_saved)
    assert "widgets whose state" not in freshness.stale_message("x.ipynb", other_output)
    assert "widgets whose state" not in freshness.stale_message("x.ipynb", stored)


@pytest.fixture(scope="module")
def run_and_saved_in_jupyterlab(tmp_path_factory) -> tuple[Path, Path]:
    """chapters/bargaining-ranges.ipynb (issue 14), executed by the book's executor, then run again
    top to bottom in a kernel and saved as JupyterLab saves it: the kernel's own widget ids and
    state, execution counts after another run, cell timings and JupyterLab's kernelspec; never
    stabilised, never stamped."""
    from nbclient import NotebookClient

    folder = tmp_path_factory.mktemp("lab")
    data_dir = Path(shutil.copytree(ROOT / "data", folder / "data"))
    shutil.copy(ROOT / "references.bib", folder / "references.bib")
    path = Path(shutil.copy(ROOT / "chapters" / "bargaining-ranges.ipynb", folder / "bargaining-ranges.ipynb"))
    executed = run(str(path), data_dir=data_dir)
    assert executed.returncode == 0, executed.stderr
    assert freshness.is_current(json.loads(path.read_text(encoding="utf-8")), data_dir)

    lab = nbformat.read(path, as_version=4)
    lab.cells.insert(0, nbformat.v4.new_code_cell("pass"))    # the instructor ran something first
    client = NotebookClient(lab, timeout=120, kernel_name="python3", store_widget_state=True,
                            record_timing=True, resources={"metadata": {"path": str(folder)}})
    with pytest.MonkeyPatch.context() as patch:               # the kernel reads the copied data
        patch.setenv("BOOK_DATA_DIR", str(data_dir))
        client.execute()
    del lab.cells[0]
    lab.metadata.kernelspec = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
    nbformat.write(lab, path)
    return path, data_dir


def test_a_notebook_run_and_saved_in_jupyterlab_is_current(run_and_saved_in_jupyterlab) -> None:
    path, data_dir = run_and_saved_in_jupyterlab
    saved = json.loads(path.read_text(encoding="utf-8"))
    ids = re.findall(r'"model_id": "([0-9a-f]{32})"', json.dumps(saved))
    assert ids and not any(stable_id(path.name, n) in ids for n in range(1000))   # the kernel's random ids
    assert saved["cells"][2]["execution_count"] == 2 and "execution" in saved["cells"][2]["metadata"]
    assert freshness.is_current(saved, data_dir)
    checked = run("--check", str(path), data_dir=data_dir)
    assert checked.returncode == 0, checked.stderr


def test_a_code_cell_or_a_data_file_changed_after_the_save_makes_it_stale(run_and_saved_in_jupyterlab,
                                                                        tmp_path: Path) -> None:
    path, data_dir = run_and_saved_in_jupyterlab
    saved = json.loads(path.read_text(encoding="utf-8"))
    edited = json.loads(json.dumps(saved))
    cell = next(c for c in edited["cells"] if c["cell_type"] == "code" and "widgets." in "".join(c["source"]))
    cell["source"] = "".join(cell["source"]).replace("(data", "(data ")
    assert not freshness.is_current(edited, data_dir)
    changed = Path(shutil.copytree(data_dir, tmp_path / "data"))
    shutil.copy(data_dir.parent / "references.bib", tmp_path / "references.bib")
    assert freshness.is_current(saved, changed)
    with (changed / "positions.csv").open("a", encoding="utf-8") as handle:
        handle.write("\n")
    assert not freshness.is_current(saved, changed)


def test_a_stale_notebook_is_named_with_the_command_that_re_executes_it_alone(tmp_path: Path) -> None:
    fresh, first, second = (tmp_path / f"{name}.ipynb" for name in ("fresh", "first", "second"))
    for path in (fresh, first, second):
        path.write_text(json.dumps(notebook(f"print('{path.stem}')")), encoding="utf-8")
    assert run(str(fresh)).returncode == 0
    checked = run("--check", str(fresh), str(first), str(second))
    assert checked.returncode == 1
    lines = checked.stderr.splitlines()
    assert lines == [freshness.stale_message(first, notebook("print('first')")),
                     freshness.stale_message(second, notebook("print('second')")),
                     f"or re-execute these 2 at once with `make execute NOTEBOOKS='{first} {second}'`"]
    assert lines[0] == (f"{first}: stored outputs are stale (its code, the data, utils or the packages changed, "
                        f"or its outputs did, since it was executed); re-execute it alone with "
                        f"`make execute NOTEBOOKS={first}`")
    assert str(second) not in lines[0] and str(fresh) not in checked.stderr

    # The command works: make passes NOTEBOOKS to the executor, which re-runs that notebook alone.
    if shutil.which("make") is None:
        pytest.skip("no make")
    command = lines[0].rsplit("`", 2)[1]
    dry = subprocess.run([*shlex.split(command), "-n"], capture_output=True, text=True, cwd=ROOT)
    assert dry.returncode == 0, dry.stderr
    recipe = [line for line in dry.stdout.splitlines() if "scripts/execute_notebooks.py" in line]
    assert recipe == [f".venv/bin/python scripts/execute_notebooks.py {first}"]
    others = fresh.read_bytes(), second.read_bytes()
    executed = subprocess.run(shlex.split(recipe[0]), capture_output=True, text=True, cwd=ROOT,
                              env={**os.environ, "BOOK_DATA_DIR": str(ROOT / "data")})
    assert executed.returncode == 0, executed.stderr
    assert (fresh.read_bytes(), second.read_bytes()) == others
    assert run("--check", str(fresh), str(first)).returncode == 0


#: A widget cell, and the widget state JupyterLab 4.6 (jupyterlab_widgets 3.0, "Save Jupyter widget
#: state in notebooks" on) wrote for it after Run All and Ctrl+S: each model's attributes at their
#: defaults left out, 1.0 written as 1, its own random ids (here: names, made ids below).
LAB_CODE = """import ipywidgets as W

choice = W.Dropdown(options=["asks", "limits"], description="Show:")
views = W.Stack([W.HTML("<p>asks</p>"), W.HTML("<p>limits</p>")], selected_index=0)
W.jslink((choice, "index"), (views, "selected_index"))
W.VBox([choice, views, W.FloatSlider(value=1.0, step=0.5, max=4.0)], layout=W.Layout(width="50%"))"""
LAB_STATE = {
    "box": ("VBoxModel", {"children": ["@choice", "@views", "@slider"], "layout": "@box_layout"}),
    "box_layout": ("LayoutModel", {"width": "50%"}),
    "choice": ("DropdownModel", {"_options_labels": ["asks", "limits"], "description": "Show:", "index": 0,
                                 "layout": "@choice_layout", "style": "@choice_style"}),
    "choice_layout": ("LayoutModel", {}),
    "choice_style": ("DescriptionStyleModel", {"description_width": ""}),
    "views": ("StackModel", {"children": ["@asks", "@limits"], "layout": "@views_layout", "selected_index": 0,
                             "titles": ["", ""]}),
    "views_layout": ("LayoutModel", {}),
    "asks": ("HTMLModel", {"layout": "@asks_layout", "style": "@asks_style", "value": "<p>asks</p>"}),
    "asks_layout": ("LayoutModel", {}),
    "asks_style": ("HTMLStyleModel", {"description_width": "", "font_size": None, "text_color": None}),
    "limits": ("HTMLModel", {"layout": "@limits_layout", "style": "@limits_style", "value": "<p>limits</p>"}),
    "limits_layout": ("LayoutModel", {}),
    "limits_style": ("HTMLStyleModel", {"description_width": "", "font_size": None, "text_color": None}),
    "slider": ("FloatSliderModel", {"behavior": "drag-tap", "layout": "@slider_layout", "max": 4, "step": 0.5,
                                    "style": "@slider_style", "value": 1}),
    "slider_layout": ("LayoutModel", {}),
    "slider_style": ("SliderStyleModel", {"description_width": ""}),
    "link": ("LinkModel", {"source": ["@choice", "index"], "target": ["@views", "selected_index"]}),
}


def lab_widget_state(ids: dict[str, str]) -> dict:
    """LAB_STATE as JupyterLab stores it, the models named by ``ids``."""
    def value(item):
        if isinstance(item, list):
            return [value(i) for i in item]
        return f"IPY_MODEL_{ids[item[1:]]}" if isinstance(item, str) and item.startswith("@") else item
    module = {"LayoutModel": "@jupyter-widgets/base"}
    return {STATE: {"state": {ids[name]: {"model_module": module.get(model, "@jupyter-widgets/controls"),
                                          "model_module_version": "2.0.0", "model_name": model,
                                          "state": {key: value(item) for key, item in state.items()}}
                              for name, (model, state) in LAB_STATE.items()},
                    "version_major": 2, "version_minor": 0}}


def test_a_notebook_saved_by_jupyterlab_with_its_widget_state_is_current(tmp_path: Path) -> None:
    import uuid

    path = tmp_path / "lab.ipynb"
    path.write_text(json.dumps(notebook(LAB_CODE)), encoding="utf-8")
    assert run(str(path)).returncode == 0
    stored = json.loads(path.read_text(encoding="utf-8"))
    assert len(stored["metadata"]["widgets"][STATE]["state"]) == len(LAB_STATE)

    def saved(**changes) -> dict:
        ids = {name: uuid.uuid4().hex for name in LAB_STATE}
        lab = json.loads(json.dumps(stored))
        lab["cells"][1]["outputs"][0]["data"][VIEW]["model_id"] = ids["box"]
        lab["metadata"]["widgets"] = lab_widget_state(ids)
        for name, state in changes.items():
            lab["metadata"]["widgets"][STATE]["state"][ids[name]]["state"].update(state)
        return lab

    assert freshness.is_current(saved(), ROOT / "data")
    # The instructor left the second view showing: the page would open on it.
    assert not freshness.is_current(saved(choice={"index": 1}, views={"selected_index": 1}), ROOT / "data")
    assert not freshness.is_current(saved(slider={"value": 1.5}), ROOT / "data")
