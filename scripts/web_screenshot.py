"""Screenshot of the web chat answering questions over a transcript, for docs/web-chat.png.

    python scripts/web_screenshot.py /work/shared/seeds/000_8f600fad7cc5ffb9.txt \
        --speaker "Speaker 2=Alexandr Wang" --speaks-as "Alexandr Wang" \
        --title "Alexandr Wang (AI stand-in)" \
        --question "Why didn't you release the new model as open source?" --out docs/web-chat.png

Imports the transcript into a temporary workspace, serves it with the real app on a loopback
port, asks each question in Debian's Chromium (through Playwright) and saves the screenshot.
Nothing of the transcript is written outside the temporary folder.
"""

from __future__ import annotations

import argparse
import shutil
import socket
import sys
import tempfile
import threading
import time
from pathlib import Path

import tomlkit
import uvicorn
from playwright.sync_api import sync_playwright

from onrecord.importer import ImportOptions, import_paths, parse_speaker
from onrecord.serve import create_app
from onrecord.workspace import Workspace


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("transcript", type=Path)
    parser.add_argument("--speaker", action="append", default=[], help="LABEL=NAME, as for `onrecord add`")
    parser.add_argument("--speaks-as", action="append", default=[], help="whose words are the agent's own")
    parser.add_argument("--title", default="On the record", help="the agent's title")
    parser.add_argument("--source-title", help="the source's title (default: from the file name)")
    parser.add_argument("--url", help="the recording's URL, for 'Play from' links")
    parser.add_argument("--question", action="append", required=True, help="asked in order")
    parser.add_argument("--width", type=int, default=1100)
    parser.add_argument("--height", type=int, default=820)
    parser.add_argument("--out", type=Path, default=Path("docs/web-chat.png"))
    args = parser.parse_args()

    chromium = shutil.which("chromium")
    if chromium is None:
        sys.exit("chromium is not installed (apt-get install -y chromium)")
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "ws"
        speakers = dict(parse_speaker(value) for value in args.speaker)
        with Workspace.init(root) as workspace:
            options = ImportOptions(title=args.source_title, url=args.url, speakers=speakers)
            report = import_paths(workspace.store, [args.transcript], options)
            if not report.ok:
                sys.exit(f"import failed: {[str(e) for e in report.failed]} {report.unknown_labels}")
        _add_agent(root, args.title, args.speaks_as)
        with _serving(root) as base_url, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium)
            page = browser.new_page(viewport={"width": args.width, "height": args.height})
            page.goto(f"{base_url}/agents/stand-in")
            for question in args.question:
                before = page.locator(".reply").count()
                page.get_by_label("Your question").fill(question)
                page.keyboard.press("Enter")
                page.locator(".reply").nth(before).wait_for(timeout=30_000)
                status = page.locator(".reply").nth(before).get_attribute("class")
                print(f"{question!r}: {status}")
            page.locator("#question").blur()
            page.locator(".exchange").last.evaluate("node => node.scrollIntoView({block: 'start'})")
            args.out.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(args.out))
            browser.close()
    print(f"wrote {args.out}")


def _add_agent(root: Path, title: str, speaks_as: list[str]) -> None:
    config = root / "onrecord.toml"
    document = tomlkit.parse(config.read_text())
    card = tomlkit.table()
    card["title"] = title
    card["speaks_as"] = speaks_as
    agents = tomlkit.table(is_super_table=True)
    agents["stand-in"] = card
    document["agents"] = agents
    config.write_text(tomlkit.dumps(document))


class _serving:
    """The real app under uvicorn on a free loopback port, for the length of a `with`."""

    def __init__(self, root: Path) -> None:
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.server = uvicorn.Server(uvicorn.Config(create_app(root), log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.socket]}, daemon=True)

    def __enter__(self) -> str:
        self.thread.start()
        while not self.server.started:
            if not self.thread.is_alive():
                sys.exit("the server did not start")
            time.sleep(0.05)
        return f"http://127.0.0.1:{self.socket.getsockname()[1]}"

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
        self.socket.close()


if __name__ == "__main__":
    main()
