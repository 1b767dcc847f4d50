"""Open local HTML files in headless Chromium with the network off and record what happens.

Used by tests/test_browser.py. Needs the ``playwright`` Python package (its bundled browsers are
not used: ``playwright install`` is not needed) and a Chromium binary, /usr/bin/chromium by
default or the path in the environment variable LAWNB_CHROMIUM.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

DEFAULT_CHROMIUM = "/usr/bin/chromium"

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",  # needed as root
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
    "--no-default-browser-check",
    "--metrics-recording-only",
    "--host-resolver-rules=MAP * ~NOTFOUND",  # no name resolves: nothing can leave
]


# Run in the page by OfflineChromium.layout_problems.
LAYOUT_CHECK = """() => {
  const problems = [];
  const text = document.body.innerText;
  if (/(^|\\n)\\s*None\\s*(\\n|$)/.test(text) || /\\bNone\\b/.test(text)) problems.push("None printed");
  if (/\\bNaN\\b|<NA>/.test(text)) problems.push("NaN printed");
  document.querySelectorAll("table").forEach((t, i) => {
    if (!t.querySelector("tbody tr")) problems.push(`table ${i} has no rows`);
  });
  document.querySelectorAll("td.text").forEach((td) => {
    if (getComputedStyle(td).textAlign === "right" && td.innerText.trim())
      problems.push("right-aligned text: " + td.innerText.slice(0, 20));
  });
  document.querySelectorAll("td.num").forEach((td) => {
    const range = document.createRange();
    range.selectNodeContents(td);
    const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
    if (lines.size > 1) problems.push("wrapped quantity: " + td.innerText);
  });
  document.querySelectorAll("img").forEach((img) => {
    if (!img.naturalWidth) problems.push("broken image");
  });
  return problems;
}"""


def chromium_path() -> str | None:
    """The Chromium binary to use, or None when there is none."""
    candidate = os.environ.get("LAWNB_CHROMIUM", DEFAULT_CHROMIUM)
    if Path(candidate).is_file() and os.access(candidate, os.X_OK):
        return candidate
    return shutil.which(candidate)


@dataclass
class Visit:
    """What one page load did."""

    url: str
    requests: list[str] = field(default_factory=list)  # every request the page made
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    screenshot: Path | None = None
    fonts: list[dict[str, Any]] = field(default_factory=list)  # platform fonts used for text

    @property
    def outside_requests(self) -> list[str]:
        """Requests to anything but the page's own file: URL and data: URIs."""
        return [u for u in self.requests if u != self.url and not u.startswith("data:")]


class OfflineChromium:
    """A headless Chromium (via Playwright) with a fresh profile and no network.

    >>> with OfflineChromium() as browser:
    ...     visit = browser.visit(Path("report.html"), screenshot=Path("/tmp/shot.png"))
    """

    def __init__(self, executable: str, *, width: int = 1100, height: int = 1400) -> None:
        self.executable = executable
        self.viewport = {"width": width, "height": height}
        self._profile: tempfile.TemporaryDirectory[str] | None = None
        self._playwright: Any = None
        self._context: Any = None

    def __enter__(self) -> OfflineChromium:
        from playwright.sync_api import sync_playwright

        self._profile = tempfile.TemporaryDirectory(prefix="lawnb-chromium-")
        self._playwright = sync_playwright().start()
        self._context = self._playwright.chromium.launch_persistent_context(
            self._profile.name,  # a fresh --user-data-dir
            executable_path=self.executable,
            headless=True,
            args=CHROMIUM_ARGS,
            offline=True,
            viewport=self.viewport,
            locale="zh-CN",
        )
        # Nothing but local files and data: may be fetched; anything else is aborted (and
        # still recorded through the "request" event).
        self._context.route(
            "**/*",
            lambda route: (
                route.continue_()
                if route.request.url.startswith(("file:", "data:"))
                else route.abort("internetdisconnected")
            ),
        )
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            if self._context is not None:
                self._context.close()
        finally:
            if self._playwright is not None:
                self._playwright.stop()
            if self._profile is not None:
                self._profile.cleanup()

    def visit(
        self, html: Path, *, screenshot: Path | None = None, font_selector: str = "h1"
    ) -> Visit:
        """Load ``html`` and wait for the network to settle; optionally take a full-page shot."""
        url = Path(html).resolve().as_uri()
        visit = Visit(url=url)
        page = self._context.new_page()
        page.on("request", lambda request: visit.requests.append(request.url))
        page.on("requestfailed", lambda request: visit.failed_requests.append(request.url))
        page.on(
            "console",
            lambda message: (
                visit.console_errors.append(message.text) if message.type == "error" else None
            ),
        )
        page.on("pageerror", lambda error: visit.page_errors.append(str(error)))
        try:
            page.goto(url, wait_until="load")
            page.wait_for_load_state("networkidle")
            page.evaluate("document.fonts.ready.then(() => true)")
            if screenshot is not None:
                page.screenshot(path=str(screenshot), full_page=True)
                visit.screenshot = screenshot
            visit.fonts = self._platform_fonts(page, font_selector)
        finally:
            page.close()
        return visit

    def layout_problems(self, html: Path) -> list[str]:
        """What a reader would see as broken on ``html``: a printed None, a table without rows,
        a right-aligned Chinese text cell, a quantity wrapped over two lines, a broken image."""
        page = self._context.new_page()
        try:
            page.goto(Path(html).resolve().as_uri(), wait_until="load")
            return list(page.evaluate(LAYOUT_CHECK))
        finally:
            page.close()

    def print_pdf(self, html: Path, pdf: Path) -> Path:
        """Print ``html`` to ``pdf`` with the page size its CSS asks for (@page)."""
        page = self._context.new_page()
        try:
            page.goto(Path(html).resolve().as_uri(), wait_until="load")
            page.pdf(path=str(pdf), prefer_css_page_size=True, print_background=True)
        finally:
            page.close()
        return pdf

    def _platform_fonts(self, page: Any, selector: str) -> list[dict[str, Any]]:
        """The system fonts Chromium actually used to draw the text of ``selector``."""
        session = page.context.new_cdp_session(page)
        try:
            session.send("DOM.enable")
            session.send("CSS.enable")
            root = session.send("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
            node = session.send("DOM.querySelector", {"nodeId": root, "selector": selector})
            if not node.get("nodeId"):
                return []
            return session.send("CSS.getPlatformFontsForNode", {"nodeId": node["nodeId"]})["fonts"]
        finally:
            session.detach()


def require_chromium() -> str:
    """The Chromium binary, after checking Playwright imports; the test FAILS (never skips) without."""
    import pytest

    executable = chromium_path()
    if executable is None:
        pytest.fail(
            "找不到 Chromium：请安装（apt-get install chromium fonts-noto-cjk）"
            "或用环境变量 LAWNB_CHROMIUM 指定浏览器路径。"
        )
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        pytest.fail("缺少 playwright：pip install playwright（无需 playwright install）")
    return executable
