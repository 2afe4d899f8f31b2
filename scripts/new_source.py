"""Start a new source chapter: ``make new-source ID=2025-08-some-slug``.

Copies ``templates/source-chapter.ipynb`` (the structure every source chapter
follows) to ``chapters/<ID>.ipynb``, adds the chapter to ``_toc.yml`` after the
existing source chapters, and adds a placeholder row for the source to
``data/sources.csv`` (every cell to fill is marked TODO). The book builds at once;
then code the text into the other tables as the codebook describes, write the
prose, and run ``make execute``.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NEXT_STEPS = """next:
  1. data/sources.csv: fill in the TODO cells of the {id} row; add its entry to references.bib
  2. code the text (data/README.md says how): quotes.csv ({id}-q01, ...), positions.csv
     ({id}-p01, ...), figures.csv ({id}-f01, ...), events.csv, new speakers in actors.csv;
     put the captured text in ../shared/seeds/ (or your BOOK_SOURCE_TEXTS folder), name it in
     text_file, then: .venv/bin/python scripts/check_quotes.py --record && make check-quotes
  3. chapters/{id}.ipynb: replace each TODO with prose; list the excerpt ids to show
  4. make execute && make test"""
SOURCE_CHAPTER = re.compile(r"^      - file: chapters/(\d{4}-\d{2}-[a-z0-9-]+)$", re.M)


def create_chapter(source_id: str, root: Path = ROOT) -> Path:
    """Write the chapter notebook from the template; refuse to overwrite."""
    target = root / "chapters" / f"{source_id}.ipynb"
    if target.exists():
        raise SystemExit(f"{target} exists already")
    template = (root / "templates" / "source-chapter.ipynb").read_text(encoding="utf-8")
    target.write_text(template.replace("SOURCE_ID", source_id), encoding="utf-8")
    return target


def add_to_toc(source_id: str, root: Path = ROOT) -> None:
    """Insert the chapter among the source chapters of ``_toc.yml``, in date order."""
    path = root / "_toc.yml"
    toc = path.read_text(encoding="utf-8")
    existing = SOURCE_CHAPTER.findall(toc)
    if not existing:
        raise SystemExit("no source chapters found in _toc.yml")
    before = [s for s in existing if s < source_id]
    anchor = f"      - file: chapters/{before[-1] if before else existing[0]}\n"
    entry = f"      - file: chapters/{source_id}\n"
    toc = toc.replace(anchor, anchor + entry if before else entry + anchor, 1)
    path.write_text(toc, encoding="utf-8")


def add_source_row(source_id: str, root: Path = ROOT) -> None:
    """Append a placeholder row for the source to ``data/sources.csv``."""
    year, month = source_id.split("-")[:2]
    row = {"source_id": source_id, "title": "TODO: headline", "outlet": "TODO: outlet",
           "short_name": "TODO: outlet",
           "authors": "TODO: byline, or Unknown", "published": f"{year}-{month}-01",
           "date_precision": "month", "genre": "news report", "has_reader_comments": "false",
           "url": "", "summary": "TODO: one or two sentences in the book's own words."}
    path = root / "data" / "sources.csv"
    with path.open(newline="", encoding="utf-8") as handle:
        fields = next(csv.reader(handle))
    with path.open("a", newline="", encoding="utf-8") as handle:
        csv.DictWriter(handle, fieldnames=fields, lineterminator="\n").writerow(row)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source_id", help="YYYY-MM-slug, kebab-case")
    parser.add_argument("--root", type=Path, default=ROOT, help="the book's folder")
    args = parser.parse_args(argv)
    if not re.fullmatch(r"\d{4}-\d{2}-[a-z0-9]+(-[a-z0-9]+)*", args.source_id):
        parser.error("the id must look like 2025-08-some-slug")
    chapter = create_chapter(args.source_id, args.root)
    add_to_toc(args.source_id, args.root)
    add_source_row(args.source_id, args.root)
    print(f"created {chapter.relative_to(args.root)}; added it to _toc.yml and data/sources.csv")
    print(NEXT_STEPS.format(id=args.source_id))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
