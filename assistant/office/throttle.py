"""Login throttling: failed logins are counted per (user, source address) and per source address over a sliding
window; past the limit, further attempts are refused until the oldest failure in the window has aged out.

In memory and per process: a restart forgets the counts (a locked-out colleague can also be let in by restarting).
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict, deque
from typing import Callable

PER_USER_AND_SOURCE = 5  # wrong passwords for one name from one address
PER_SOURCE = 20  # wrong passwords from one address, whatever the name (guessing across many names)
WINDOW_S = 15 * 60


class LoginThrottle:
    def __init__(self, per_user_and_source: int = PER_USER_AND_SOURCE, per_source: int = PER_SOURCE,
                 window_s: float = WINDOW_S, clock: Callable[[], float] = time.monotonic) -> None:
        self.limits = {"pair": per_user_and_source, "source": per_source}
        self.window_s = window_s
        self.clock = clock
        self._failures: dict[tuple, deque[float]] = defaultdict(deque)  # key -> failure times, oldest first
        self._lock = threading.Lock()

    def wait_s(self, user: str, source: str) -> float:
        """Seconds until `user` may try again from `source`; 0 when an attempt is allowed now."""
        with self._lock:
            now = self.clock()
            return max((self._wait(key, limit, now) for key, limit in self._keys(user, source)), default=0.0)

    def failed(self, user: str, source: str) -> bool:
        """Count one wrong password; True when this failure is the one that reaches a limit."""
        with self._lock:
            now = self.clock()
            reached = False
            for key, limit in self._keys(user, source):
                times = self._prune(key, now)
                times.append(now)
                reached = reached or len(times) == limit
            return reached

    def succeeded(self, user: str, source: str) -> None:
        """A right password forgets this name's failures from this address (not the address's total)."""
        with self._lock:
            self._failures.pop(("pair", user, source), None)

    def _keys(self, user: str, source: str) -> list[tuple[tuple, int]]:
        return [(("pair", user, source), self.limits["pair"]), (("source", source), self.limits["source"])]

    def _wait(self, key: tuple, limit: int, now: float) -> float:
        times = self._prune(key, now)
        if len(times) < limit:
            return 0.0
        return times[-limit] + self.window_s - now

    def _prune(self, key: tuple, now: float) -> deque[float]:
        times = self._failures[key]
        while times and times[0] <= now - self.window_s:
            times.popleft()
        return times
