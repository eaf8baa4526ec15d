"""Per-caller limits kept in memory: request rate, failed logins, queries running at once.

A caller is a token id, or the client address for anonymous requests and failed logins.
Limits are per server process (htkg runs one); they reset when it restarts.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable

from kg.errors import RateLimitedError


class RateLimiter:
    """A token bucket per caller: ``per_minute`` requests a minute, in bursts of as many.

    >>> limiter = RateLimiter(per_minute=2, what="requests")
    >>> limiter.take("a"); limiter.take("a")
    >>> limiter.take("a")
    Traceback (most recent call last):
    ...
    kg.errors.RateLimitedError: too many requests: the limit is 2 a minute; retry in 30 s
    """

    def __init__(self, *, per_minute: int, what: str) -> None:
        self.per_minute = per_minute
        self.what = what
        self._lock = threading.Lock()
        self._buckets: dict[str, tuple[float, float]] = {}  # caller -> (tokens, updated)

    def take(self, caller: str) -> None:
        """Spend one unit of ``caller``'s allowance.

        :raises RateLimitedError: when none is left, saying when the next one comes.
        """
        if self.per_minute <= 0:
            return
        with self._lock:
            level = self._level(caller)
            if level < 1:
                wait = math.ceil((1 - level) * 60 / self.per_minute)
                raise RateLimitedError(
                    f"too many {self.what}: the limit is {self.per_minute} a minute; "
                    f"retry in {wait} s", retry_after_s=wait)
            self._buckets[caller] = (level - 1, time.monotonic())

    def exhausted(self, caller: str) -> bool:
        """Whether ``caller`` has nothing left, without spending anything."""
        if self.per_minute <= 0:
            return False
        with self._lock:
            return self._level(caller) < 1

    def _level(self, caller: str) -> float:
        now = time.monotonic()
        level, updated = self._buckets.get(caller, (float(self.per_minute), now))
        if len(self._buckets) > 100_000:  # forget idle callers rather than grow forever
            self._buckets = {k: v for k, v in self._buckets.items() if now - v[1] < 60}
        return min(float(self.per_minute), level + (now - updated) * self.per_minute / 60)


class ConcurrencyLimiter:
    """At most ``limit`` things at once per caller (queries: released when the body ends)."""

    def __init__(self, *, limit: int) -> None:
        self.limit = limit
        self._lock = threading.Lock()
        self._running: dict[str, int] = {}

    def acquire(self, caller: str) -> Callable[[], None]:
        """Take a slot; return the function that gives it back (safe to call twice).

        :raises RateLimitedError: when the caller already runs ``limit`` queries.
        """
        with self._lock:
            running = self._running.get(caller, 0)
            if self.limit > 0 and running >= self.limit:
                raise RateLimitedError(
                    f"too many queries at once: the limit is {self.limit} per caller; wait "
                    "for one to finish", retry_after_s=1)
            self._running[caller] = running + 1
        released = False

        def release() -> None:
            nonlocal released
            with self._lock:
                if released:
                    return
                released = True
                left = self._running[caller] - 1
                if left:
                    self._running[caller] = left
                else:
                    del self._running[caller]

        return release
