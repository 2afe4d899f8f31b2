"""The Chromium the browser tests share: one per test module."""

from __future__ import annotations

import pytest
from playwright.sync_api import sync_playwright

from . import site


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=site.CHROMIUM, args=site.CHROMIUM_ARGS)
        yield chromium
        chromium.close()
