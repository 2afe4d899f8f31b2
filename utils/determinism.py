"""Replace the random ids that ipywidgets gives its models with stable ones.

Every kernel run names widget models with fresh random hex ids, so the same
notebook would give a different page (and a different .ipynb) on each build.
:func:`stable_widget_ids` renames every model id in a text, in order of first
appearance in the widget state, to a hash of a salt and that position. The
result is the same on every run, and ids stay unique across pages when each
page uses its own salt.
"""

from __future__ import annotations

import hashlib
import json
import re

STATE_SCRIPT = re.compile(
    r'(<script type="application/vnd\.jupyter\.widget-state\+json">)(.*?)(</script>)', re.S)
MODEL_ID = re.compile(r"(?<![0-9a-f])[0-9a-f]{32}(?![0-9a-f])")


def stable_id(salt: str, position: int) -> str:
    """A 32-hex-digit id made from a salt and a position."""
    return hashlib.sha256(f"{salt}:{position}".encode()).hexdigest()[:32]


def stable_widget_ids(text: str, model_ids: list[str], salt: str) -> str:
    """Rename each of ``model_ids`` (in this order) wherever it occurs in ``text``."""
    mapping = {old: stable_id(salt, n) for n, old in enumerate(model_ids)}
    return MODEL_ID.sub(lambda m: mapping.get(m.group(0), m.group(0)), text)


def model_ids_in_html(html: str) -> list[str]:
    """The model ids of the widget state embedded in an HTML page, in order."""
    found = STATE_SCRIPT.search(html)
    if not found:
        return []
    return list(json.loads(found.group(2).replace("<\\/", "</"))["state"])


def model_ids_in_notebook(notebook: dict) -> list[str]:
    """The model ids of the widget state stored in a notebook's metadata, in order."""
    widgets = notebook.get("metadata", {}).get("widgets", {})
    return list(widgets.get("application/vnd.jupyter.widget-state+json", {}).get("state", {}))
