"""Screenshots of the workbench's main pages for the README (docs/workbench/*.png).

    .venv/bin/python scripts/workbench_screenshots.py URL KEYS_FILE CASE_ID ACCOUNT [OUT]

URL is a running workbench (``scripts/workbench_demo.sh`` prints it and writes KEYS_FILE: one
``analyst key`` pair per line, the proposer first). Needs ``interdict[dev]`` (playwright) and
Debian's Chromium at /usr/bin/chromium. Each page's server time is printed beside the CPU
seconds and load average of this machine (a shared machine: figures, not claims).
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]  # fmt: skip


def main() -> None:
    url, keys_file, case_id, account = sys.argv[1:5]
    out = Path(sys.argv[5] if len(sys.argv) > 5 else "docs/workbench")
    out.mkdir(parents=True, exist_ok=True)
    (first, first_key), (second, second_key) = (
        line.split() for line in Path(keys_file).read_text().splitlines()[:2]
    )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for name, key, pages in (
            (first, first_key, [("alerts", "/ui/alerts?source=screening&sort=score"),
                                ("network", f"/ui/network/{account}")]),
            (second, second_key, [("case", f"/ui/cases/{case_id}")]),
        ):  # fmt: skip
            context = browser.new_context(viewport={"width": 1280, "height": 800})
            page = context.new_page()
            page.goto(url + "/ui/login")
            if name == first:
                page.screenshot(path=str(out / "login.png"))
            page.get_by_label("API key").fill(key)
            page.get_by_role("button", name="Sign in").click()
            page.wait_for_url("**/ui/alerts")
            for shot, path in pages:
                _visit(page, url + path)
                page.screenshot(path=str(out / f"{shot}.png"))
                if shot == "alerts":
                    page.locator("tr[data-alert] a").first.click()
                    page.get_by_label("Reason").fill("year of birth and nationality agree")
                    page.locator("h1").scroll_into_view_if_needed()
                    page.screenshot(path=str(out / "alert.png"))
            context.close()
        browser.close()


def _visit(page: object, url: str) -> None:
    started, cpu = time.perf_counter(), time.process_time()
    page.goto(url)  # type: ignore[attr-defined]
    seconds = time.perf_counter() - started
    print(f"{url}: {seconds * 1000:.0f} ms wall (browser load included), "
          f"{(time.process_time() - cpu) * 1000:.0f} ms CPU here, load {os.getloadavg()[0]:.2f}")  # fmt: skip


if __name__ == "__main__":
    main()
