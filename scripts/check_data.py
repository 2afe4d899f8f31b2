"""Check the data alone, fast (``make check-data``): every table, coding and log in data/.

Prints one line per file checked and the first error as ``file, line N,
column 'c': what is wrong``; exit status 0 when all are valid, 1 otherwise.
"""

from __future__ import annotations

import sys
from pathlib import Path

from utils.data import (DataError, data_folder, load_adjudication, load_coding, load_data, load_review_log,
                        table_names)


def check(data_dir: Path) -> list[str]:
    """Load every file; return the lines to print (the last is the verdict)."""
    data = load_data(data_dir)
    lines = [f"{name}.csv: {len(getattr(data, name))} rows" for name in table_names()]
    coding = data_dir / "coding"
    for path in sorted(coding.glob("*.csv")):
        if path.name.startswith("review-"):
            rows = len(load_review_log(path))
        elif path.name.startswith("adjudication-"):
            rows = len(load_adjudication(path))
        else:
            rows = len(load_coding(path, data))
        lines.append(f"coding/{path.name}: {rows} rows")
    return lines + [f"data: {len(lines)} files valid"]


def main(argv: list[str]) -> int:
    folder = data_folder(argv[0] if argv else None)
    try:
        print("\n".join(check(Path(folder))))
    except DataError as error:
        print(f"data error: {error}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
