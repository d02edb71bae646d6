"""Photograph the career ladder's HTML page at phone and desktop size for the README (``make docs`` runs this).

    python tools/screenshot_page.py docs

Writes ``docs/ladder.html`` (the page: ``radgraph export --roles-only --format html``),
``docs/ladder-phone.png`` (390x844) and ``docs/ladder-desktop.png`` (1400x900), taken
in headless Chromium (Debian's chromium + chromedriver, driven by selenium), and
``docs/screenshots.json``, which names the page's SHA-256: ``tests/test_export.py``
fails when the page, and so the pictures of it, are stale.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sys
import time
from pathlib import Path

#: name -> (width, height, a phone?) of the viewport, in CSS pixels.
SIZES = {"phone": (390, 844, True), "desktop": (1400, 900, False)}
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--hide-scrollbars",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--force-color-profile=srgb", "--font-render-hinting=none"]


def start_browser(profile: str | Path, logging: bool = False):
    """A headless Chromium under selenium (``logging``: keep its console and network events)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for flag in [*FLAGS, "--window-size=1400,900", f"--user-data-dir={profile}"]:
        options.add_argument(flag)
    if logging:
        options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver") or "/usr/bin/chromedriver"), options=options)
    driver.set_page_load_timeout(60)
    return driver


def set_size(driver, size: str) -> None:
    """Make the viewport a phone's or a desktop's (:data:`SIZES`); a phone has touch."""
    width, height, mobile = SIZES[size]
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile})
    driver.execute_cdp_cmd("Emulation.setTouchEmulationEnabled", {"enabled": mobile, "maxTouchPoints": 5 if mobile else 1})


def open_page(driver, path: Path, timeout: float = 30) -> None:
    """Open a page from file:// and wait until its script has drawn it."""
    driver.get(path.resolve().as_uri())
    deadline = time.monotonic() + timeout
    while driver.execute_script("return document.body && document.body.getAttribute('data-ready')") != "1":
        if time.monotonic() > deadline:
            raise RuntimeError(f"the page's script never finished: {path}")
        time.sleep(0.05)


def page_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_screenshots(page: Path, out: Path, driver) -> list[Path]:
    """Photograph ``page`` at every size of :data:`SIZES` into ``out``; record the page's digest."""
    written = []
    for size in SIZES:
        set_size(driver, size)
        open_page(driver, page)
        target = out / f"ladder-{size}.png"
        target.write_bytes(driver.get_screenshot_as_png())
        written.append(target)
    record = {"page": page.name, "sha256": page_digest(page),
              "screenshots": {f"ladder-{size}.png": [w, h] for size, (w, h, _) in SIZES.items()}}
    (out / "screenshots.json").write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    return written


def main(out: str = "docs") -> None:
    import tempfile

    import radgraph
    from radgraph.export import ladder_view, write_html

    folder = Path(out)
    model = radgraph.load().model
    page = write_html(ladder_view(model), folder / "ladder.html", model)
    with tempfile.TemporaryDirectory() as profile:
        driver = start_browser(profile)
        try:
            for path in write_screenshots(page, folder, driver):
                print(f"wrote {path}")
        finally:
            driver.quit()


if __name__ == "__main__":
    main(*sys.argv[1:2])
