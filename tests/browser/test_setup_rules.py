"""The browser-test set-up itself: a missing browser skips locally but fails in CI."""

from __future__ import annotations

import pytest

from tests.browser.conftest import unavailable


def test_a_missing_browser_skips_locally_and_fails_in_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="cannot run in CI: no chromium"):
        unavailable("no chromium")
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception, match="skipped: no chromium"):
        unavailable("no chromium")
