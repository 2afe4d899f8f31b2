"""Words of the book's own prose and exercises per chapter (markdown cells only)."""

import json
import re
import sys
from pathlib import Path

WORD = re.compile(r"[A-Za-z][A-Za-z'\u2019-]*")
MARKUP = re.compile(r"````?\{[^}]+\}[^\n]*|:label:[^\n]*|:class:[^\n]*|\{[a-z]+:?\}`[^`]*`")


def counts(path: Path) -> tuple[int, int]:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    text = " ".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    return len(WORD.findall(MARKUP.sub(" ", text))), text.count("{exercise}")


if __name__ == "__main__":
    root = Path(sys.argv[1] if len(sys.argv) > 1 else "chapters")
    for path in sorted(root.glob("*.ipynb")):
        words, exercises = counts(path)
        print(f"{words:6d} words  {exercises} exercises  {path.name}")
