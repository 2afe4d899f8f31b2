"""Benchmark the book: build time, nbval time, page weight, widget switching, scale.

Run with ``make bench`` (not part of the tests). Every timing is a median over
``--repeats`` runs, and A/B comparisons are interleaved (A, B, A, B, …) so that
drift in the machine's load affects both sides alike. Prints one line per
measurement and the ratios the project tracks.

Measurements:

* clean build of the book vs. a *bare* book with the same pages whose
  notebooks only print ``1+1``; ratio. A build is what ``make book`` does:
  re-execute the notebooks whose inputs changed (none, in a fresh clone), then
  a clean strict ``jupyter-book build``. Also the same two builds after a change
  that makes every notebook stale (each is executed), and their ratio;
* nbval over all notebooks, each notebook's execution time (slowest first),
  and nbval against the sum of execution times;
* site size, each page's own weight (its HTML plus the images and files only it
  loads; assets under ``_static`` are shared and cached across pages), and the
  time from a dropdown change to the new view of a static widget in Chromium;
* scale: build time with 5, 20 and 40 sources (extra sources made with the
  new-source command on generated data) and of bare books with the same pages,
  and the cost per added source as a ratio to the cost per added bare notebook.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
JB = ROOT / ".venv" / "bin" / "jupyter-book"
COPY = ["_config.yml", "_toc.yml", "intro.md", "references.bib", "pyproject.toml", "_static", "_ext", "_extra", "_templates", "vendor",
        "appendices", "chapters", "data", "templates", "scripts"]


def timed(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> float:
    started = time.perf_counter()
    subprocess.run(command, cwd=cwd, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def copy_book(target: Path) -> Path:
    target.mkdir(parents=True, exist_ok=True)
    for name in COPY:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name)
        else:
            shutil.copy(source, target / name)
    return target


def bare_notebook(title: str) -> dict:
    return {"cells": [{"cell_type": "markdown", "metadata": {}, "source": [f"# {title}"]},
                      {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [],
                       "source": ["1+1"]}],
            "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
            "nbformat": 4, "nbformat_minor": 5}


def make_bare(book: Path) -> None:
    """Replace every notebook of a copied book by a bare one with the same title."""
    for path in list(book.glob("chapters/*.ipynb")) + list(book.glob("appendices/*.ipynb")):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        title = next((line[2:] for c in cells if c["cell_type"] == "markdown"
                      for line in "".join(c["source"]).splitlines() if line.startswith("# ")), path.stem)
        path.write_text(json.dumps(bare_notebook(title)), encoding="utf-8")
    (book / ".bare").write_text("a bare book: its builds are not strict\n", encoding="utf-8")


def notebooks(book: Path) -> list[str]:
    return [str(p.relative_to(book)) for p in sorted(book.glob("chapters/*.ipynb")) + sorted(book.glob("appendices/*.ipynb"))]


def book_env(book: Path) -> dict[str, str]:
    return {**os.environ, "BOOK_DATA_DIR": str(book / "data")}


def build(book: Path, execute_all: bool = False) -> float:
    """``make book`` on a copied book, reading that copy's data: stale notebooks executed, clean strict build.

    ``execute_all`` executes every notebook first, as after a change to the
    data or to ``utils``.
    """
    started = time.perf_counter()
    mode = [] if execute_all else ["--stale"]
    subprocess.run([str(PYTHON), "scripts/execute_notebooks.py", *mode, *notebooks(book)], cwd=book,
                   env=book_env(book), check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    shutil.rmtree(book / "_build", ignore_errors=True)
    # A bare book's pages still cross-reference the exercises its 1+1 notebooks lack: not strict there.
    strict = ["-W"] if not (book / ".bare").exists() else []
    subprocess.run([str(JB), "build", ".", *strict, "-n", "--keep-going"], cwd=book, env=book_env(book),
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def interleaved(a, b, repeats: int) -> tuple[float, float]:
    times_a, times_b = [], []
    for _ in range(repeats):
        times_a.append(a())
        times_b.append(b())
    return statistics.median(times_a), statistics.median(times_b)


def notebook_times(book: Path) -> dict[str, float]:
    """Each notebook's execution time (kernel start to last cell), as ``make execute`` reports it."""
    done = subprocess.run([str(PYTHON), "scripts/execute_notebooks.py", "--jobs", "1", *notebooks(book)], cwd=book,
                          env=book_env(book), check=True, capture_output=True, text=True)
    return {name: float(seconds) for seconds, name in
            re.findall(r"^\s*([0-9.]+) s  (\S+)$", done.stdout, re.M)}


def page_weights(site: Path) -> dict[str, int]:
    """Each page's own bytes: its HTML plus the non-_static files it loads (src=, <link href=)."""
    weights = {}
    for page in sorted(site.rglob("*.html")):
        relative = page.relative_to(site)
        if relative.parts[0].startswith("_"):
            continue
        html = page.read_text(encoding="utf-8")
        own = len(html.encode())
        loaded = re.findall(r'\bsrc="([^"#?]+)', html) + re.findall(r'<link[^>]*\bhref="([^"#?]+)', html)
        for ref in set(loaded):
            if ref.startswith(("http", "data:", "mailto:")) or "_static/" in ref or ref.endswith(".html"):
                continue
            target = (page.parent / ref).resolve()
            if target.is_file() and site.resolve() in target.parents:
                own += target.stat().st_size
        weights[str(relative)] = own
    return weights


def switch_times(site: Path, page: str, repeats: int) -> list[float]:
    """Milliseconds from a dropdown change to the new view, in headless Chromium, no kernel."""
    sys.path.insert(0, str(ROOT))
    from playwright.sync_api import sync_playwright  # noqa: PLC0415

    from tests.browser import site as browser_site  # noqa: PLC0415

    times = []
    with browser_site.serve(site) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=browser_site.CHROMIUM,
                                             args=browser_site.CHROMIUM_ARGS)
        load = browser_site.open_page(browser, url, page)
        for n in range(repeats):
            times.append(load.page.evaluate("""(n) => new Promise(resolve => {
                const root = document.querySelector('.cell_output .jupyter-widgets.widget-vbox');
                const select = root.querySelector('select');
                const visible = () => [...root.querySelectorAll('.widget-html-content')]
                    .filter(e => e.offsetParent !== null).map(e => e.innerText).join();
                const before = visible();
                const start = performance.now();
                select.selectedIndex = (select.selectedIndex + 1) % select.options.length;
                select.dispatchEvent(new Event('change', {bubbles: true}));
                const poll = () => visible() !== before ? resolve(performance.now() - start)
                                                         : requestAnimationFrame(poll);
                poll();
            })""", n))
        browser.close()
    return times


def add_synthetic_sources(book: Path, count: int) -> None:
    """Add ``count`` sources with the new-source command, each with data copied from a real one."""
    base = "2025-04-verge-of-halting"
    data = book / "data"
    tables = {name: list(csv.DictReader((data / f"{name}.csv").open(encoding="utf-8")))
              for name in ("quotes", "positions", "figures")}
    for n in range(count):
        source_id = f"2026-{1 + n // 28:02d}-synthetic-{n:03d}"
        subprocess.run([str(PYTHON), str(ROOT / "scripts" / "new_source.py"), source_id, "--root", str(book)],
                       check=True, stdout=subprocess.DEVNULL)
        for name, key in (("quotes", "quote_id"), ("positions", "position_id"), ("figures", "figure_id")):
            rows = [dict(r) for r in tables[name] if r[key].startswith(base)]
            for row in rows:
                row[key] = row[key].replace(base, source_id)
                if "source_id" in row:
                    row["source_id"] = source_id
                if name == "positions":
                    row["quote_id"] = row["quote_id"].replace(base, source_id)
                    row["stated_on"] = f"2026-{1 + n // 28:02d}-01"
            with (data / f"{name}.csv").open("a", newline="", encoding="utf-8") as handle:
                writer = csv.DictWriter(handle, fieldnames=list(tables[name][0]), lineterminator="\n")
                writer.writerows(rows)


def scale(work: Path, counts: list[int], repeats: int) -> None:
    """Build the book with ``counts`` sources, and a bare book with the same pages; print marginal costs.

    For each size: the first ``make book`` after adding the sources (every
    notebook is executed: the data changed, so all are stale) and a rebuild
    (stored outputs current). The cost of an added source is compared with
    the cost of an added bare notebook (a ``1+1`` chapter), both measured as
    the slope between the smallest and the largest book, so the fixed cost of
    starting a build is left out of both.
    """
    first_build: dict[str, dict[int, float]] = {"book": {}, "bare": {}}
    rebuild: dict[str, dict[int, float]] = {"book": {}, "bare": {}}
    for count in counts:
        books = {"book": copy_book(work / f"scale-{count}")}
        add_synthetic_sources(books["book"], count - 5)
        books["bare"] = Path(shutil.copytree(books["book"], work / f"scale-{count}-bare"))
        make_bare(books["bare"])
        for kind, book in books.items():
            first_build[kind][count] = build(book, execute_all=True)
        for kind, book in books.items():
            rebuild[kind][count] = statistics.median(build(book) for _ in range(1 if count > 5 else repeats))
        weights = page_weights(books["book"] / "_build" / "html")
        heaviest = max(weights, key=weights.get)
        print(f"{count:3d} sources: first build {first_build['book'][count]:6.1f} s (bare {first_build['bare'][count]:5.1f} s); "
              f"rebuild {rebuild['book'][count]:5.1f} s (bare {rebuild['bare'][count]:5.1f} s); "
              f"largest page {weights[heaviest] / 1e6:.2f} MB ({heaviest})")
    first, last = counts[0], counts[-1]

    def slope(times: dict[int, float], low: int, high: int) -> float:
        return (times[high] - times[low]) / (high - low)

    for label, times in (("rebuild (make book, outputs current)", rebuild),
                         ("first build (every notebook executed)", first_build)):
        per_source, per_bare = slope(times["book"], first, last), slope(times["bare"], first, last)
        print(f"{label}: {per_source:.2f} s per added source; {per_bare:.2f} s per added bare notebook "
              f"-> ratio {per_source / per_bare:.2f} (target <= 1.5)")
        if len(counts) > 2:
            middle = counts[1]
            early, late = slope(times["book"], first, middle), slope(times["book"], middle, last)
            print(f"  linearity: {early:.2f} s per source for {first}->{middle}, {late:.2f} s for {middle}->{last} "
                  f"-> ratio {late / early:.2f} (1.00 is linear)")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description="Benchmark the book (see the module docstring).")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--scale", default="5,20,40", help="numbers of sources for the scale test ('' to skip)")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="book-bench-"))
    try:
        real, bare = copy_book(work / "real"), copy_book(work / "bare")
        make_bare(bare)
        build(bare)  # stores the bare notebooks' outputs, as `make execute` would have
        real_build, bare_build = interleaved(lambda: build(real), lambda: build(bare), args.repeats)
        print(f"build, book:       {real_build:7.1f} s (median of {args.repeats}; make book, stored outputs current)")
        print(f"build, bare book:  {bare_build:7.1f} s  -> ratio {real_build / bare_build:.2f} (target <= 1.5)")
        real_all, bare_all = interleaved(lambda: build(real, execute_all=True),
                                         lambda: build(bare, execute_all=True), args.repeats)
        print(f"build executing every notebook, book: {real_all:7.1f} s; bare book: {bare_all:7.1f} s "
              f"-> ratio {real_all / bare_all:.2f}")

        times = notebook_times(real)
        for name, seconds in sorted(times.items(), key=lambda item: -item[1]):
            print(f"execute {name:48s} {seconds:5.2f} s")
        nbval = statistics.median(
            timed([str(PYTHON), "-m", "pytest", "-q", "--nbval", "--nbval-current-env", "-p", "no:cacheprovider",
                   "-n", "auto", "--dist", "loadscope", "chapters", "appendices"], real, book_env(real))
            for _ in range(args.repeats))
        print(f"nbval, all notebooks (as make test runs it, one worker per core): {nbval:.1f} s; sum of executions {sum(times.values()):.1f} s "
              f"-> ratio {nbval / sum(times.values()):.2f} (target <= 1.3); slowest {max(times.values()):.2f} s (target <= 4)")

        build(real)
        site = real / "_build" / "html"
        size = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
        print(f"site size: {size / 1e6:.1f} MB")
        weights = page_weights(site)
        for page, weight in sorted(weights.items(), key=lambda item: -item[1]):
            print(f"page {page:48s} {weight / 1e3:7.0f} kB")
        print(f"largest page: {max(weights.values()) / 1e6:.2f} MB (target <= 1 MB)")
        switches = switch_times(site, "chapters/positions-over-time.html", max(5, args.repeats))
        print(f"static widget switch: median {statistics.median(switches):.1f} ms, max {max(switches):.1f} ms "
              f"(target <= 100 ms)")

        if args.scale:
            scale(work, [int(n) for n in args.scale.split(",")], args.repeats)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
