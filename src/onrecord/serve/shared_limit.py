"""The per-client rate limit shared by the workers of `serve --workers N` on one machine.

Each client's token bucket is a row of a small SQLite file that the workers share (made by
the command that starts them, removed when it stops), updated in one write transaction per
request, so a client gets `burst` requests at once and `per_minute` a minute in all, not per
worker. The clock is the system's monotonic clock, which every process on a machine shares.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path

# Every this many requests, buckets that have filled up again are dropped.
SWEEP = 1000


class SharedRateLimiter:
    """A token bucket per client in the SQLite file `path`: `take` as `limits.RateLimiter`'s."""

    def __init__(
        self, path: str | Path, per_minute: int, burst: int, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.rate = per_minute / 60.0
        self.burst = float(burst)
        self.clock = clock
        self._lock = threading.Lock()
        self._db = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA busy_timeout = 5000")
        self._db.execute("PRAGMA journal_mode = WAL")
        self._db.execute("CREATE TABLE IF NOT EXISTS buckets (client TEXT PRIMARY KEY, tokens REAL, at REAL)")
        self._taken = 0

    def take(self, client: str) -> float:
        """Spend one request of `client`: 0 when allowed, else the seconds until one is."""
        if self.rate <= 0:
            return 0.0
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                now = self.clock()
                row = self._db.execute("SELECT tokens, at FROM buckets WHERE client = ?", (client,)).fetchone()
                tokens, then = row if row is not None else (self.burst, now)
                tokens = min(self.burst, tokens + (now - then) * self.rate)
                wait = 0.0 if tokens >= 1.0 else (1.0 - tokens) / self.rate
                self._db.execute(
                    "INSERT OR REPLACE INTO buckets (client, tokens, at) VALUES (?, ?, ?)",
                    (client, tokens - 1.0 if wait == 0.0 else tokens, now),
                )
                self._taken += 1
                if self._taken % SWEEP == 0:
                    self._db.execute(
                        "DELETE FROM buckets WHERE tokens + (? - at) * ? >= ?", (now, self.rate, self.burst)
                    )
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
        return wait
