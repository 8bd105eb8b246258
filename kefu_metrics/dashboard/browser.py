"""Look at a running dashboard in headless Chromium: wait until the page
shows a given text, then save a screenshot and return the page's text.

    python -m kefu_metrics.dashboard.browser --url http://localhost:8501 \
        --expect 旺旺回复率 --out docs/readme/dashboard.png

Streamlit draws the page over a websocket after the first load, so
Chromium's one-shot `--screenshot` / `--dump-dom` capture an empty page.
This drives Chromium over its DevTools protocol instead (a few JSON
messages over the `websockets` package Streamlit already installs): open
the page, poll its text until the expected value is there, then capture.
Needs Debian's `chromium` (and `fonts-noto-cjk` for the Chinese text).
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from websockets.sync.client import ClientConnection, connect

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")


def find_chromium() -> str | None:
    """Path of a Chromium binary (KEFU_CHROMIUM overrides), or None."""
    explicit = os.environ.get("KEFU_CHROMIUM")
    if explicit:
        return explicit if Path(explicit).exists() else None
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Capture:
    text: str  # document.body.innerText
    html: str  # document.documentElement.outerHTML
    png: bytes


class _DevTools:
    def __init__(self, socket_url: str) -> None:
        self.connection: ClientConnection = connect(
            socket_url, max_size=64 * 1024 * 1024, open_timeout=30
        ).__enter__()
        self.next_id = 0

    def call(self, method: str, **params: object) -> dict[str, object]:
        self.next_id += 1
        self.connection.send(
            json.dumps({"id": self.next_id, "method": method, "params": params})
        )
        while True:
            message = json.loads(self.connection.recv(timeout=60))
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})

    def evaluate(self, expression: str) -> object:
        result = self.call("Runtime.evaluate", expression=expression)
        return result.get("result", {}).get("value")  # type: ignore[union-attr]

    def close(self) -> None:
        self.connection.close()


def capture(
    url: str,
    expect: str,
    width: int = 1400,
    height: int = 1000,
    timeout: float = 90.0,
    settle: float = 2.0,
) -> Capture:
    """Open `url` in headless Chromium, wait until its text contains
    `expect` (and nothing is still running), then capture it.

    Raises RuntimeError when Chromium is missing or the text never shows.
    """
    binary = find_chromium()
    if binary is None:
        raise RuntimeError("Chromium not found (apt-get install chromium)")
    port = free_port()
    with tempfile.TemporaryDirectory(
        prefix="kefu-chromium-", ignore_cleanup_errors=True
    ) as profile:
        process = subprocess.Popen(
            [
                binary,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--no-first-run",
                "--hide-scrollbars",
                f"--remote-debugging-port={port}",
                "--remote-allow-origins=*",
                f"--user-data-dir={profile}",
                f"--window-size={width},{height}",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            return _drive(port, url, expect, width, height, timeout, settle)
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _page_socket(port: int, deadline: float) -> str:
    while True:
        try:
            with urllib.request.urlopen(
                f"http://127.0.0.1:{port}/json/list", timeout=5
            ) as response:
                targets = json.loads(response.read())
            for target in targets:
                if target.get("type") == "page":
                    return str(target["webSocketDebuggerUrl"])
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError("Chromium's DevTools endpoint did not come up")
        time.sleep(0.3)


def _drive(
    port: int,
    url: str,
    expect: str,
    width: int,
    height: int,
    timeout: float,
    settle: float,
) -> Capture:
    deadline = time.monotonic() + timeout
    tools = _DevTools(_page_socket(port, deadline))
    try:
        tools.call(
            "Emulation.setDeviceMetricsOverride",
            width=width,
            height=height,
            deviceScaleFactor=1,
            mobile=False,
        )
        tools.call("Page.enable")
        tools.call("Page.navigate", url=url)
        text = ""
        while time.monotonic() < deadline:
            text = str(tools.evaluate("document.body ? document.body.innerText : ''"))
            running = tools.evaluate(
                "!!document.querySelector('[data-testid=\"stStatusWidget\"]')"
            )
            if expect in text and not running:
                break
            time.sleep(0.5)
        else:
            raise RuntimeError(
                f"{url} did not show {expect!r} within {timeout:.0f} s; "
                f"page text: {text[:500]!r}"
            )
        time.sleep(settle)  # let charts finish drawing
        text = str(tools.evaluate("document.body.innerText"))
        html = str(tools.evaluate("document.documentElement.outerHTML"))
        shot = tools.call("Page.captureScreenshot", format="png")
        png = base64.b64decode(str(shot["data"]))
        return Capture(text=text, html=html, png=png)
    finally:
        tools.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--expect", required=True, help="text to wait for")
    parser.add_argument("--out", type=Path, required=True, help="PNG to write")
    parser.add_argument("--width", type=int, default=1400)
    parser.add_argument("--height", type=int, default=1000)
    args = parser.parse_args(argv)
    result = capture(args.url, args.expect, args.width, args.height)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(result.png)
    print(f"wrote {args.out} ({len(result.png):,} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
