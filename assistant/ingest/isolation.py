"""Parse untrusted files in a separate worker process with a size, time and memory limit.

A hostile or broken PDF can loop forever or allocate without bound inside pypdf; parsing it in a worker process
(`python -m assistant.ingest.parse_worker`, started fresh with an address-space limit) turns that into a DocumentError
for that one file while the ingest goes on. The worker is reused across files and restarted after a failure.
A plain subprocess, not multiprocessing, so a caller's script is never re-imported in the child.
OCR of scanned pages runs in the same worker: it reports each page before the Document (printed on stderr
by default), and each page it announces adds OCR_SECONDS_PER_PAGE to that file's time limit.
"""

from __future__ import annotations

import os
import pickle
import resource
import select
import struct
import subprocess
import sys
import threading
import time
from pathlib import Path

from assistant.config import Settings
from assistant.ingest.documents import LOADABLE_SUFFIXES, SUPPORTED_NAMES, Document, PageProgress
from assistant.errors import DocumentError

_HEADER = struct.Struct("!Q")
# A 150-dpi page takes about 2–4 s here (docs/OCR_AND_TABLES.md); the budget leaves room for a busy machine
# while still stopping a file that hangs.
OCR_SECONDS_PER_PAGE = 30.0


def load_document(path: Path, settings: Settings, progress: PageProgress | None = None) -> Document:
    """Check the size and type, then parse `path` in the limited worker process.

    Scanned pages and images are OCR'd unless settings.ocr is "off"; `progress(done, total, page)` hears of
    each OCR'd page (default: one line per page on stderr).
    """
    source = str(path)
    if not path.is_file():
        raise DocumentError(source, "文件不存在或不是普通文件。")
    if path.suffix.lower() not in LOADABLE_SUFFIXES:
        raise DocumentError(source, f"不支持的文件类型“{path.suffix or '无扩展名'}”，支持 {SUPPORTED_NAMES}。")
    size_mb = path.stat().st_size / (1 << 20)
    if size_mb > settings.max_file_mb:
        raise DocumentError(
            source, f"文件大小 {size_mb:.1f} MB，超过上限 {settings.max_file_mb:g} MB（可用 GREENLEAF_MAX_FILE_MB 调整）。"
        )
    return _pool(settings.parse_memory_mb).parse(path, settings.parse_timeout_s, settings.ocr != "off",
                                                  progress or StderrPages(path.name))


class StderrPages:
    """One stderr line per OCR'd page: "OCR 识别 扫描件.pdf：第 3/10 页（7.4 秒）"."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.start = time.monotonic()

    def __call__(self, done: int, total: int, page: int) -> None:
        stream = sys.stderr
        clear = "\r\033[K" if hasattr(stream, "isatty") and stream.isatty() else ""  # over a progress bar
        if done == 0:
            self.start = time.monotonic()
            stream.write(f"{clear}OCR 识别 {self.name}：共 {total} 页待识别\n")
        else:
            elapsed = time.monotonic() - self.start
            stream.write(f"{clear}OCR 识别 {self.name}：第 {done}/{total} 页完成（第{page}页，累计 {elapsed:.1f} 秒）\n")
        stream.flush()


class ParseWorker:
    """One long-lived parsing process; `parse` sends a path and waits, at most `timeout_s`, for the Document."""

    def __init__(self, memory_mb: int) -> None:
        self.memory_mb = memory_mb
        self._process: subprocess.Popen | None = None
        self._lock = threading.Lock()

    def parse(self, path: Path, timeout_s: float, ocr: bool = False,
              progress: PageProgress | None = None) -> Document:
        with self._lock:
            process = self._ensure()
            request = pickle.dumps((str(path), ocr))
            deadline = time.monotonic() + timeout_s
            try:
                process.stdin.write(_HEADER.pack(len(request)) + request)
                process.stdin.flush()
                while True:
                    status, *payload = self._read(process, deadline)
                    if status != "progress":
                        break
                    done, total, page = payload
                    if done == 0:  # OCR starts: each page to read gets its own time
                        deadline += total * OCR_SECONDS_PER_PAGE
                        timeout_s += total * OCR_SECONDS_PER_PAGE
                    if progress is not None:
                        progress(done, total, page)
                payload = payload[0]
            except TimeoutError:
                self._kill()
                raise DocumentError(str(path), f"解析超时（超过 {timeout_s:g} 秒），文件可能已损坏或结构异常。") from None
            except (EOFError, BrokenPipeError, OSError, pickle.UnpicklingError):
                self._kill()
                raise DocumentError(
                    str(path), f"解析进程异常退出（可能超过 {self.memory_mb} MB 内存上限，或文件损坏），已跳过该文件。"
                ) from None
        if status == "ok":
            return payload
        raise DocumentError(str(path), payload)

    def close(self) -> None:
        with self._lock:
            self._kill()

    def _ensure(self) -> subprocess.Popen:
        if self._process is None or self._process.poll() is not None:
            limit = self.memory_mb << 20

            def limit_memory() -> None:  # runs in the child before exec
                try:
                    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
                except (ValueError, OSError):
                    pass

            self._process = subprocess.Popen(
                [sys.executable, "-m", "assistant.ingest.parse_worker"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                stderr=None, preexec_fn=limit_memory, cwd=str(Path(__file__).resolve().parents[2]),
            )
        return self._process

    def _read(self, process: subprocess.Popen, deadline: float) -> tuple:
        header = _read_exact(process.stdout, _HEADER.size, deadline)
        (length,) = _HEADER.unpack(header)
        return pickle.loads(_read_exact(process.stdout, length, deadline))

    def _kill(self) -> None:
        if self._process is not None:
            if self._process.poll() is None:
                self._process.kill()
            self._process.wait()
            for stream in (self._process.stdin, self._process.stdout):
                try:
                    stream.close()
                except OSError:
                    pass
            self._process = None


def _read_exact(stream, size: int, deadline: float) -> bytes:
    data = b""
    fd = stream.fileno()
    while len(data) < size:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError
        ready, _, _ = select.select([fd], [], [], remaining)
        if not ready:
            raise TimeoutError
        chunk = os.read(fd, min(1 << 20, size - len(data)))
        if not chunk:
            raise EOFError
        data += chunk
    return data


_WORKERS: dict[int, ParseWorker] = {}
_WORKERS_LOCK = threading.Lock()


def _pool(memory_mb: int) -> ParseWorker:
    # One worker per memory limit, shared by the process: starting Python and importing pypdf once, not per file.
    with _WORKERS_LOCK:
        if memory_mb not in _WORKERS:
            _WORKERS[memory_mb] = ParseWorker(memory_mb)
        return _WORKERS[memory_mb]
