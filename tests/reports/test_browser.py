"""The HTML audit report of the example project in a real headless Chromium.

Chromium comes from Debian's packages (`apt-get install chromium`; `.ci/run` installs it). Without
a browser the test is skipped with that reason.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
BROWSER = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(BROWSER is None, reason="no Chromium on this machine: apt-get install chromium"),
]

FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage", "--hide-scrollbars",
]


def chromium(*args: str) -> subprocess.CompletedProcess[str]:
    with tempfile.TemporaryDirectory(prefix="credlint-chromium-") as profile:
        return subprocess.run(
            [BROWSER, *FLAGS, f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0", *args],
            capture_output=True, text=True, timeout=180,
        )


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("html") / "report.html"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.run(
        [sys.executable, "-m", "checker.cli", "check", "examples/payments-service", "--format", "html", "-o", str(out),
         "--no-cache", "--now", "2026-11-28"],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode in (0, 1), proc.stderr
    return out


def console_messages(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if "CONSOLE" in line or "Uncaught" in line]


def test_console_detection_works_on_a_control_page(tmp_path: Path) -> None:
    control = tmp_path / "control.html"
    control.write_text("<!doctype html><script>console.error('credlint-control')</script>")
    proc = chromium("--dump-dom", control.as_uri())
    assert any("credlint-control" in m for m in console_messages(proc.stderr)), proc.stderr[-2000:]


def test_report_has_no_console_errors_and_no_external_requests(report: Path) -> None:
    html = report.read_text(encoding="utf-8")
    # links to rule docs are fine; nothing may be *loaded* (src=, <link href>, CSS url()).
    assert not re.search(r"""src\s*=|<link\b|url\(\s*["']?(?:https?:)?//|@import""", html, re.IGNORECASE), "the report must not load anything"
    proc = chromium("--dump-dom", report.as_uri())
    assert proc.returncode == 0
    assert console_messages(proc.stderr) == []
    assert "Compliance" in proc.stdout


def test_report_fits_1280_pixels(report: Path, tmp_path: Path) -> None:
    # Instrument a copy: our page forbids scripts by CSP, so the probe runs only in this test copy.
    probe = tmp_path / "probe.html"
    html = re.sub(r"<meta http-equiv=\"Content-Security-Policy\"[^>]*>", "", report.read_text(encoding="utf-8"))
    script = "<script>document.title='width:'+document.documentElement.scrollWidth</script>"
    probe.write_text(html.replace("</body>", script + "</body>"), encoding="utf-8")
    proc = chromium("--window-size=1280,900", "--dump-dom", probe.as_uri())
    match = re.search(r"<title>width:(\d+)</title>", proc.stdout)
    assert match, proc.stdout[:500]
    assert int(match.group(1)) <= 1280


def test_report_renders_to_png_and_pdf(report: Path, tmp_path: Path) -> None:
    png = tmp_path / "report.png"
    pdf = tmp_path / "report.pdf"
    chromium("--window-size=1280,2400", f"--screenshot={png}", report.as_uri())
    chromium("--no-pdf-header-footer", f"--print-to-pdf={pdf}", report.as_uri())
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 20_000
    assert pdf.read_bytes()[:5] == b"%PDF-" and pdf.stat().st_size > 10_000
