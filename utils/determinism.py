"""Make a notebook's stored widget state byte-identical from one run to the next.

Every kernel run names widget models with fresh random hex ids, and the kernel
may report the models in a different order each time. Both would make the same
notebook give a different .ipynb (and so a different page: the book embeds the
stored state as it is) on every execution. Here
the models are put in a canonical order — a depth-first walk from the widgets
the page displays, in display order, then any model no displayed widget refers
to (the jslink ``Link`` models), sorted by their content — and renamed to a
hash of a salt and their position in that order.

The notebook's ``kernelspec`` is the one JupyterLab writes for the book's kernel
(:func:`kernelspec`), so opening a notebook in ``make lab`` and letting it
autosave leaves the file as it was.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

MODEL_ID = re.compile(r"(?<![0-9a-f])[0-9a-f]{32}(?![0-9a-f])")
REFERENCE = re.compile(r"IPY_MODEL_([0-9a-f]{32})")
VIEW_MIME = "application/vnd.jupyter.widget-view+json"
STATE_MIME = "application/vnd.jupyter.widget-state+json"
#: The kernel the notebooks run in; ``make`` installs it (``ipykernel install --sys-prefix --name python3``).
KERNEL_NAME = "python3"


def kernelspec(name: str = KERNEL_NAME) -> dict[str, str]:
    """The ``kernelspec`` metadata JupyterLab writes for the installed kernel ``name``
    (for ipykernel's: display name "Python 3 (ipykernel)")."""
    from jupyter_client.kernelspec import KernelSpecManager

    spec = KernelSpecManager().get_kernel_spec(name)
    return {"display_name": spec.display_name, "language": spec.language, "name": name}


def stable_id(salt: str, position: int) -> str:
    """A 32-hex-digit id made from a salt and a position."""
    return hashlib.sha256(f"{salt}:{position}".encode()).hexdigest()[:32]


def canonical_order(state: dict[str, Any], roots: list[str]) -> list[str]:
    """All model ids of ``state``: depth first from ``roots``, then the rest by content."""
    order: list[str] = []
    seen: set[str] = set()

    def visit(model_id: str) -> None:
        if model_id in seen or model_id not in state:
            return
        seen.add(model_id)
        order.append(model_id)
        for ref in REFERENCE.findall(json.dumps(state[model_id].get("state", {}), sort_keys=True)):
            visit(ref)

    for root in roots:
        visit(root)
    while len(seen) < len(state):
        known = {old: str(n) for n, old in enumerate(order)}

        def content(model_id: str) -> tuple[str, str]:
            text = json.dumps(state[model_id].get("state", {}), sort_keys=True)
            return state[model_id].get("model_name", ""), REFERENCE.sub(
                lambda m: "IPY_MODEL_" + known.get(m.group(1), "?"), text)

        visit(min((m for m in state if m not in seen), key=content))
    return order


def stable_widget_ids(text: str, order: list[str], salt: str) -> str:
    """Rename each id of ``order`` wherever it occurs in ``text`` to its stable id."""
    mapping = {old: stable_id(salt, n) for n, old in enumerate(order)}
    return MODEL_ID.sub(lambda m: mapping.get(m.group(0), m.group(0)), text)


def merged_streams(outputs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``outputs`` with each run of consecutive messages to the same stream as one output.

    A kernel may send one ``print`` as several messages (it flushes when it is busy), so two runs of
    the same code can store its text in one piece or in two; the page shows one text either way,
    and it is stored and compared as one. The outputs given are left as they were."""
    def text(output: dict[str, Any]) -> str:
        value = output.get("text", "")
        return "".join(value) if isinstance(value, list) else value

    result: list[dict[str, Any]] = []
    for output in outputs:
        previous = result[-1] if result else None
        if (output.get("output_type") == "stream" and previous is not None
                and previous.get("output_type") == "stream" and previous.get("name") == output.get("name")):
            result[-1] = {**previous, "text": text(previous) + text(output)}
            continue
        result.append(output)
    return result


def stabilise_notebook(notebook: dict[str, Any], salt: str) -> dict[str, Any]:
    """A notebook (as a dict) with its stored widget state in canonical order and stable ids."""
    bundle = notebook.get("metadata", {}).get("widgets", {}).get(STATE_MIME)
    if not bundle or not bundle.get("state"):
        return notebook
    roots = [output["data"][VIEW_MIME]["model_id"]
             for cell in notebook["cells"] if cell["cell_type"] == "code"
             for output in cell.get("outputs", []) if VIEW_MIME in output.get("data", {})]
    order = canonical_order(bundle["state"], roots)
    bundle["state"] = {model_id: bundle["state"][model_id] for model_id in order}
    return json.loads(stable_widget_ids(json.dumps(notebook), order, salt))
