"""Prove every excerpt in data/ is verbatim in its source's captured text (``make check-quotes``).

Usage: python scripts/check_quotes.py [--texts FOLDER] [--data DATA_DIR] [--record]

FOLDER holds the captured texts named in sources.csv's ``text_file`` column
(default: $BOOK_SOURCE_TEXTS, else ../shared/seeds). ``--record`` writes each
present text's SHA-256 into sources.csv (after adding or recapturing a text).
Exit status: 0 every excerpt proved; 1 an excerpt not verbatim, or a text that
differs from the one coded; 3 some excerpts could not be checked because their
text is absent (the count is printed).
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

from utils.quotes import check_quotes, read_sources, text_digest, texts_folder


def record_digests(data_dir: Path, folder: Path) -> int:
    """Write the SHA-256 of every present text into sources.csv; return how many were written."""
    path = data_dir / "sources.csv"
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        fields, rows = list(reader.fieldnames or []), list(reader)
    written = 0
    for row in rows:
        text = folder / (row.get("text_file") or "")
        if row.get("text_file") and text.is_file():
            row["text_sha256"] = text_digest(text.read_text(encoding="utf-8"))
            written += 1
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return written


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--texts", type=Path, default=None, help="folder of the captured source texts")
    parser.add_argument("--data", type=Path, default=Path("data"), help="the data folder (default: data)")
    parser.add_argument("--record", action="store_true", help="record the texts' SHA-256 in sources.csv")
    args = parser.parse_args(argv)
    folder = texts_folder(args.texts)
    if args.record:
        print(f"recorded {record_digests(args.data, folder)} of {len(read_sources(args.data))} digests")
    report = check_quotes(args.data, folder)
    for line in report.problems + report.not_verbatim:
        print(line)
    for source_id, count in sorted(report.unverifiable.items()):
        print(f"{source_id}: {count} excerpts not verifiable: its text is not in {folder}")
    print(report.tally())
    return report.exit_code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
