"""Progress on stderr for long CLI runs: a bar on a terminal, a line every few percent otherwise."""

from __future__ import annotations

import sys
import time


class StderrProgress:
    """Callable as progress(done, total, item); writes only to stderr, never to stdout (JSON lives there)."""

    def __init__(self, label: str, stream=None) -> None:
        self.label = label
        self.stream = stream or sys.stderr
        self._tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        self._last = -1.0
        self._start = time.monotonic()

    def __call__(self, done: int, total: int, item: str) -> None:
        if total <= 1 and not self._tty:
            return
        fraction = done / total if total else 1.0
        if self._tty:
            bar = "█" * int(fraction * 30) + "░" * (30 - int(fraction * 30))
            end = "\n" if done >= total else ""
            self.stream.write(f"\r{self.label} {bar} {done}/{total} {item[:30]:<30}{end}")
            self.stream.flush()
        elif fraction - self._last >= 0.1 or done >= total:
            self._last = fraction
            elapsed = time.monotonic() - self._start
            self.stream.write(f"{self.label}：{done}/{total}（{elapsed:.1f} 秒）{item}\n")
