"""Parse untrusted files in a separate process with a size, time and memory limit.

A hostile or broken PDF can loop forever or allocate without bound inside pypdf; parsing it in a forked child
(from a clean forkserver, so no model or database threads are inherited) turns that into a DocumentError for
that one file while the ingest goes on.
"""

from __future__ import annotations

import multiprocessing
import resource
from pathlib import Path

from assistant.config import Settings
from assistant.documents import Document, SUPPORTED_SUFFIXES, parse_file
from assistant.errors import DocumentError, GreenLeafError

_CONTEXT = None


def load_document(path: Path, settings: Settings) -> Document:
    """Check the size and type, then parse `path` in a limited child process."""
    source = str(path)
    if not path.is_file():
        raise DocumentError(source, "文件不存在或不是普通文件。")
    if path.suffix.lower() not in SUPPORTED_SUFFIXES:
        raise DocumentError(source, f"不支持的文件类型“{path.suffix or '无扩展名'}”，支持 PDF、DOCX、MD、TXT、HTML。")
    size_mb = path.stat().st_size / (1 << 20)
    if size_mb > settings.max_file_mb:
        raise DocumentError(
            source, f"文件大小 {size_mb:.1f} MB，超过上限 {settings.max_file_mb:g} MB（可用 GREENLEAF_MAX_FILE_MB 调整）。"
        )
    return _run_limited(path, settings.parse_timeout_s, settings.parse_memory_mb)


def _run_limited(path: Path, timeout_s: float, memory_mb: int) -> Document:
    context = _context()
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(str(path), memory_mb, sender), daemon=True)
    process.start()
    sender.close()
    try:
        if not receiver.poll(timeout_s):
            process.kill()
            raise DocumentError(str(path), f"解析超时（超过 {timeout_s:g} 秒），文件可能已损坏或结构异常。")
        try:
            status, payload = receiver.recv()
        except EOFError:
            process.join(5)
            raise DocumentError(
                str(path), f"解析进程异常退出（内存超过 {memory_mb} MB 上限或文件损坏），已跳过该文件。"
            ) from None
    finally:
        receiver.close()
        process.join(5)
        if process.is_alive():
            process.kill()
    if status == "ok":
        return payload
    raise DocumentError(str(path), payload)


def _child(source: str, memory_mb: int, sender) -> None:  # runs in the child process
    limit = memory_mb << 20
    try:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ValueError, OSError):
        pass  # the limit is best effort where the platform refuses it
    try:
        result = ("ok", parse_file(Path(source)))
    except DocumentError as error:
        result = ("error", error.reason)
    except GreenLeafError as error:
        result = ("error", str(error))
    except MemoryError:
        result = ("error", f"解析时内存超过 {memory_mb} MB 上限，文件过大或结构异常。")
    except RecursionError:
        result = ("error", "文件结构嵌套过深，无法解析。")
    except Exception as error:  # noqa: BLE001 - any parser failure is this file's failure, reported in Chinese
        if isinstance(error.__context__, MemoryError) or isinstance(error.__cause__, MemoryError):
            result = ("error", f"解析时内存超过 {memory_mb} MB 上限，文件过大或结构异常。")
        else:
            result = ("error", f"无法解析该文件（{type(error).__name__}），文件可能已损坏。")
    try:
        sender.send(result)
    finally:
        sender.close()


def _context():
    global _CONTEXT  # the forkserver is process-wide by nature; create it once, lazily
    if _CONTEXT is None:
        context = multiprocessing.get_context("forkserver")
        # Parsers imported once in the server, so each child only forks: fast, and no imports under the memory cap.
        context.set_forkserver_preload(["assistant.documents", "pypdf", "docx", "yaml", "charset_normalizer"])
        _CONTEXT = context
    return _CONTEXT
