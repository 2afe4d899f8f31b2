"""The project's quote checker: verbatim excerpts pass, altered ones and altered texts fail, absent texts are counted."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from utils.quotes import check_quotes, fold, text_digest

ROOT = Path(__file__).resolve().parents[1]
TEXT = "He said: \u201cwe are ready to talk\u201d \u2014 and left.\nNothing   more."
HEADER = "source_id,text_file,text_sha256\n"


def make_book(tmp_path: Path, quote: str, digest: str | None = None, with_text: bool = True) -> tuple[Path, Path]:
    data, texts = tmp_path / "data", tmp_path / "texts"
    data.mkdir()
    texts.mkdir()
    (data / "sources.csv").write_text(HEADER + f"2025-01-a,a.txt,{text_digest(TEXT) if digest is None else digest}\n", encoding="utf-8")
    (data / "quotes.csv").write_text(f'quote_id,source_id,text\nq1,2025-01-a,"{quote}"\n', encoding="utf-8")
    if with_text:
        (texts / "a.txt").write_text(TEXT, encoding="utf-8")
    return data, texts


def test_a_verbatim_excerpt_is_proved_across_typography_and_spacing(tmp_path: Path) -> None:
    report = check_quotes(*make_book(tmp_path, "said: \u201dwe are ready to talk\u201c - and left. Nothing more"))
    assert (report.checked, report.verified, report.exit_code) == (1, 1, 0)


def test_an_altered_excerpt_is_named(tmp_path: Path) -> None:
    report = check_quotes(*make_book(tmp_path, "we are ready to negotiate"))
    assert report.exit_code == 1 and report.verified == 0
    assert "quotes.csv:2: not verbatim in 2025-01-a" in report.not_verbatim[0]


def test_case_counts(tmp_path: Path) -> None:
    assert check_quotes(*make_book(tmp_path, "We are ready to talk")).exit_code == 1


def test_a_text_that_differs_from_the_coded_one_is_refused(tmp_path: Path) -> None:
    report = check_quotes(*make_book(tmp_path, "we are ready to talk", digest="0" * 64))
    assert report.exit_code == 1 and report.verified == 0
    assert "differs from the one 2025-01-a was coded from" in report.problems[0]


def test_absent_texts_are_counted_never_passed(tmp_path: Path) -> None:
    report = check_quotes(*make_book(tmp_path, "we are ready to talk", with_text=False))
    assert (report.unverified, report.verified, report.exit_code) == (1, 0, 3)
    assert "1 not verifiable" in report.tally()


def test_the_digest_ignores_only_what_the_comparison_ignores() -> None:
    assert text_digest(TEXT) == text_digest(TEXT.replace("\u201c", '"').replace("\n", " "))
    assert text_digest(TEXT) != text_digest(TEXT.replace("ready", "Ready"))
    assert fold("a\u00a0\u2013 b\u2026") == "a - b..."


def test_the_command_exits_non_zero_with_the_count_when_texts_are_absent(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "scripts/check_quotes.py", "--texts", str(tmp_path)],
                            cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 3
    assert result.stdout.strip().splitlines()[-1].startswith("quotes: 0 verbatim, 0 not found, ")


def test_record_writes_the_digests_of_present_texts(tmp_path: Path) -> None:
    data, texts = make_book(tmp_path, "we are ready to talk", digest="")
    assert check_quotes(data, texts).exit_code == 1  # a text without a recorded digest is a problem
    subprocess.run([sys.executable, str(ROOT / "scripts" / "check_quotes.py"), "--record",
                    "--data", str(data), "--texts", str(texts)], cwd=ROOT, check=True, capture_output=True)
    assert text_digest(TEXT) in (data / "sources.csv").read_text(encoding="utf-8")
    assert check_quotes(data, texts).exit_code == 0
