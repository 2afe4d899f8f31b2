"""Whether a notebook's stored outputs are current.

The book shows the outputs stored in each notebook; nbval proves they are what
a fresh run gives. A notebook's outputs depend on its code cells, on the data,
on the ``utils`` package, on the book's outline (the chapters' order and titles, which the errata page
groups its rows by) and on the pinned packages that compute and draw (the
lock, ``requirements.txt``, and the installed versions), but not on the
interpreter's version: the committed outputs are the same on Python 3.11, 3.12
and 3.13. :func:`fingerprint` hashes all of these together with the stored outputs
and widget state themselves; the book's executor stores that hash in the
notebook's metadata (:func:`stamp`), and ``make book`` re-executes exactly the
notebooks whose stored hash differs from the current one (:func:`is_current`).
So a change to ``data/*.csv`` always reaches the book and an unchanged notebook
is never run twice.

Saving is harmless: the outputs and widget state are hashed as they compare
(:func:`comparable`), not as they were written, so what a save changes without
changing what the page shows leaves the notebook current. A notebook run top to
bottom in JupyterLab and saved gives the widget models fresh random ids (in the
outputs and in the widget state), other execution counts, cell metadata such as
``execution`` and notebook metadata such as ``kernelspec`` and ``language_info``;
none of these count. The widget models are renamed as :mod:`utils.determinism`
names them (by their place in the displayed widgets), and attributes at their
defaults are left out (JupyterLab saves the state without them when "Save
Widget State Automatically" is on). A widget state that no longer matches the
outputs still counts: by default JupyterLab saves the new outputs but keeps the
old widget state, and the page would lose its widgets (:func:`stale_message`
says so). So do outputs that differ in anything else (a cell not run, a
changed cell) and, as ever, a changed data file.
"""

from __future__ import annotations

import functools
import hashlib
import json
import shlex
from importlib import metadata
from pathlib import Path
from typing import Any

from .data import data_folder
from .determinism import STATE_MIME, VIEW_MIME, merged_streams, stabilise_notebook
from .errata import TOC, chapter_order, chapter_title
from .references import bibliography_path

#: Where a notebook keeps the fingerprint of the inputs it was executed with.
METADATA_KEY = "book_inputs"
#: Packages whose version can change what a notebook shows.
PACKAGES = ("pandas", "numpy", "matplotlib", "ipywidgets", "ipykernel")
UTILS_DIR = Path(__file__).resolve().parent
#: The pinned lock of the book's environment.
LOCK_FILE = UTILS_DIR.parent / "requirements.txt"
#: The table of contents whose chapter order and titles the errata page groups its rows by.
BOOK_TOC = TOC
#: The salt the widget models are renamed with before hashing (any fixed one will do).
SALT = "book_inputs"


def input_files(data_dir: Path | str | None = None) -> list[Path]:
    """The files every notebook's outputs depend on: the data tables and the codings and logs
    of ``data/coding/`` (the codebook and errata pages show them), the bibliography the
    tables cite (its labels are shown), the utils modules and the pinned lock."""
    folder = data_folder(data_dir)
    optional = [path for path in (bibliography_path(folder), LOCK_FILE) if path.exists()]
    return sorted(folder.rglob("*.csv")) + optional + sorted(UTILS_DIR.glob("*.py"))


def book_outline(toc: Path | None = None) -> str:
    """The chapters in the order of ``_toc.yml``, one line each with its title (the first heading
    of its notebook, as the errata page names it): a notebook that groups or names rows by
    chapter shows these, so a chapter moved or retitled must make it stale. Empty without a
    table of contents."""
    toc = toc or BOOK_TOC
    if not toc.exists():
        return ""
    chapters = toc.parent / "chapters"
    return "\n".join(f"{chapter}\t{chapter_title(chapter, chapters)}" for chapter in chapter_order(toc))


def _joined(value: Any) -> Any:
    """A multiline string as one string, whether stored whole or as a list of lines."""
    return "".join(value) if isinstance(value, list) else value


def _json_mime(mime: str) -> bool:
    """Whether nbformat stores this mime type's data as JSON rather than as text."""
    return mime == "application/json" or (mime.startswith("application/") and mime.endswith("+json"))


def comparable_outputs(outputs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A cell's outputs without what differs between runs or saves of the same code: execution
    counts, multiline strings split into lines or not, a stream split into several messages."""
    result: list[dict[str, Any]] = []
    for output in outputs:
        output = {key: value for key, value in output.items() if key != "execution_count"}
        if "text" in output:
            output["text"] = _joined(output["text"])
        if isinstance(output.get("data"), dict):
            output["data"] = {mime: value if _json_mime(mime) else _joined(value)
                              for mime, value in output["data"].items()}
        result.append(output)
    return merged_streams(result)


def _whole_numbers_as_int(value: Any) -> Any:
    """``value`` with every float that is a whole number as an int (JavaScript writes 1.0 as 1)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, list):
        return [_whole_numbers_as_int(item) for item in value]
    if isinstance(value, dict):
        return {key: _whole_numbers_as_int(item) for key, item in value.items()}
    return value


@functools.cache
def widget_defaults() -> dict[tuple[str, str], dict[str, Any]]:
    """The default state of every ipywidgets model, by (model module, model name): each synced
    trait's default as the kernel sends it (left out when it is made per widget: layout, style)."""
    import ipywidgets  # noqa: F401  (registers the widget classes)
    import traitlets
    from ipywidgets.widgets.widget import Widget, _registry

    found: dict[tuple[str, str], dict[str, Any]] = {}
    for (model_module, _, model_name, *_), cls in _registry.items():
        if (model_module, model_name) in found:
            continue
        defaults = found[model_module, model_name] = {}
        for name, trait in cls.class_traits(sync=True).items():
            try:
                value = trait.default()
                if value is traitlets.Undefined or isinstance(value, Widget):
                    continue
                to_json = trait.metadata.get("to_json")
                defaults[name] = _whole_numbers_as_int(json.loads(json.dumps(
                    to_json(value, None) if to_json else value)))
            except Exception:  # a default that needs a widget to be made: never left out
                continue
    return found


def comparable_widget_state(state: dict[str, Any]) -> dict[str, Any]:
    """Widget models as they compare: whole-number floats as ints and no attribute at its default.

    JupyterLab saves the widget state without the attributes at their defaults (and with 1.0 as 1),
    the kernel sends them all; both describe the same widgets, and both compare the same here."""
    result = {}
    for model_id, model in _whole_numbers_as_int(state).items():
        defaults = widget_defaults().get((model.get("model_module"), model.get("model_name")), {})
        result[model_id] = {**model, "state": {key: value for key, value in model.get("state", {}).items()
                                               if key not in defaults or defaults[key] != value}}
    return result


def comparable(notebook: dict[str, Any]) -> dict[str, Any]:
    """What of a notebook its fingerprint hashes: each code cell's source and comparable outputs,
    and the widget state, each model's attributes as :func:`comparable_widget_state` gives them
    and every model renamed by its place among the displayed ones
    (:func:`utils.determinism.stabilise_notebook`), whatever ids the kernel that ran it chose."""
    widgets = notebook.get("metadata", {}).get("widgets")
    cells = [{"cell_type": "code", "source": _joined(cell.get("source", "")),
              "outputs": comparable_outputs(cell.get("outputs", []))}
             for cell in notebook.get("cells", []) if cell.get("cell_type") == "code"]
    copy = json.loads(json.dumps({"cells": cells, "metadata": {"widgets": widgets} if widgets else {}}))
    bundle = copy["metadata"].get("widgets", {}).get(STATE_MIME)
    if bundle and bundle.get("state"):   # before the renaming: models no widget shows are ordered by content
        bundle["state"] = comparable_widget_state(bundle["state"])
    return stabilise_notebook(copy, SALT)


def fingerprint(notebook: dict[str, Any], data_dir: Path | str | None = None) -> str:
    """A SHA-256 of the notebook's code cells and their stored outputs, its widget state
    (all as :func:`comparable` gives them), the input files, the book's outline
    (:func:`book_outline`) and the package versions (never the interpreter's version).

    Markdown cells are left out: they are rendered as written, not executed. So is
    every metadata key but the widget state.
    """
    digest = hashlib.sha256()

    def add(label: str, content: bytes) -> None:
        digest.update(f"{label}\0{len(content)}\0".encode())
        digest.update(content)

    seen = comparable(notebook)
    for cell in seen["cells"]:
        add("cell", cell["source"].encode())
        add("outputs", json.dumps(cell["outputs"], sort_keys=True).encode())
    add("widgets", json.dumps(seen["metadata"].get("widgets"), sort_keys=True).encode())
    for path in input_files(data_dir):
        add(path.name, path.read_bytes())
    add("outline", book_outline().encode())
    for package in PACKAGES:
        add(package, metadata.version(package).encode())
    return digest.hexdigest()


def stored_fingerprint(notebook: dict[str, Any]) -> str | None:
    """The fingerprint the notebook was last executed with, if any."""
    return notebook.get("metadata", {}).get(METADATA_KEY)


def is_current(notebook: dict[str, Any], data_dir: Path | str | None = None) -> bool:
    """True when the stored outputs were made from the current inputs."""
    return stored_fingerprint(notebook) == fingerprint(notebook, data_dir)


def stamp(notebook: dict[str, Any], data_dir: Path | str | None = None) -> dict[str, Any]:
    """Record the current fingerprint in the notebook's metadata (after executing it); returns it."""
    notebook.setdefault("metadata", {})[METADATA_KEY] = fingerprint(notebook, data_dir)
    return notebook


def refresh_command(*paths: Path | str) -> str:
    """The command that re-executes exactly ``paths`` (as given, relative to the book's root)."""
    return "make execute NOTEBOOKS=" + shlex.quote(" ".join(str(path) for path in paths))


def widgets_without_state(notebook: dict[str, Any]) -> bool:
    """Whether an output shows a widget the stored widget state does not hold (its page would
    show nothing there): JupyterLab saves the outputs of a run but, unless told to, not the
    state of its widgets."""
    state = (notebook.get("metadata", {}).get("widgets") or {}).get(STATE_MIME, {}).get("state", {})
    return any(output["data"][VIEW_MIME].get("model_id") not in state
               for cell in notebook.get("cells", []) if cell.get("cell_type") == "code"
               for output in cell.get("outputs", []) if VIEW_MIME in output.get("data", {}))


def stale_message(path: Path | str, notebook: dict[str, Any] | None = None) -> str:
    """What ``make test`` says of a notebook whose stored outputs are not current: its name,
    why if that can be told (``notebook``: its content), and the one command that re-executes it alone."""
    if notebook is not None and widgets_without_state(notebook):
        why = "its outputs show widgets whose state was not saved with them, as after a run saved in JupyterLab"
    else:
        why = "its code, the data, utils or the packages changed, or its outputs did, since it was executed"
    return f"{path}: stored outputs are stale ({why}); re-execute it alone with `{refresh_command(path)}`"
