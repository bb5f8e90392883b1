"""The browser ``webbrowser.open`` would start, played for the OAuth sign-in tests."""

from __future__ import annotations

import asyncio
import contextlib
import threading
from typing import Any

import httpx

from beeper_tui.sim import World, create_app


class Browser:
    """Plays the browser ``webbrowser.open`` would start: asks the simulator's authorize page
    (in-process, in a thread of its own as a real browser would be) and follows the redirect
    to the sign-in's loopback callback, unless ``follow`` is False (over SSH the callback is
    out of reach: the address is only recorded, for the person to paste)."""

    def __init__(self, world: World, *, follow: bool = True) -> None:
        self.app = create_app(world)
        self.follow = follow
        self.opened: list[str] = []
        self.sent_back_to: list[str] = []
        self.done = threading.Event()

    def open(self, url: str, *args: Any, **kwargs: Any) -> bool:
        self.opened.append(url)
        threading.Thread(target=self._visit, args=(url,), daemon=True).start()
        return True

    def _visit(self, url: str) -> None:
        try:
            location = asyncio.run(self._authorize(url))
            self.sent_back_to.append(location)
            if self.follow:
                # The sign-in may be over (cancelled, timed out): then nothing listens.
                with contextlib.suppress(httpx.HTTPError):
                    httpx.get(location, timeout=5)
        finally:
            self.done.set()

    async def _authorize(self, url: str) -> str:
        transport = httpx.ASGITransport(app=self.app)
        async with httpx.AsyncClient(transport=transport, timeout=30) as http:
            answer = await http.get(url)
        assert answer.status_code == 302, answer.text
        return answer.headers["location"]
