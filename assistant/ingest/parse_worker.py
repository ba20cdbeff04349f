"""The parsing worker process (see isolation.py): reads file paths, writes parsed Documents, until stdin closes.

Protocol on stdin/stdout: an 8-byte big-endian length, then a pickle. Request: (path, ocr) or the path alone
(str, no OCR). Replies: any number of ("progress", done, total, page) while OCR runs, then ("ok", Document) or
("error", Chinese reason).
"""

from __future__ import annotations

import pickle
import struct
import sys
from pathlib import Path

from assistant.ingest.documents import parse_file
from assistant.errors import DocumentError, GreenLeafError

_HEADER = struct.Struct("!Q")


def handle(source: str, ocr: bool = False, progress=None) -> tuple[str, object]:
    try:
        return "ok", parse_file(Path(source), ocr=ocr, progress=progress)
    except DocumentError as error:
        return "error", error.reason
    except GreenLeafError as error:
        return "error", str(error)
    except MemoryError:
        return "error", "解析时内存超过上限，文件过大或结构异常。"
    except RecursionError:
        return "error", "文件结构嵌套过深，无法解析。"
    except Exception as error:  # noqa: BLE001 - any parser failure is this file's failure, reported in Chinese
        if isinstance(error.__context__, MemoryError) or isinstance(error.__cause__, MemoryError):
            return "error", "解析时内存超过上限，文件过大或结构异常。"
        return "error", f"无法解析该文件（{type(error).__name__}），文件可能已损坏。"


def main() -> None:
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # a stray print() in a parser must not corrupt the protocol
    while True:
        header = stdin.read(_HEADER.size)
        if len(header) < _HEADER.size:
            return
        (length,) = _HEADER.unpack(header)
        request = pickle.loads(stdin.read(length))
        source, ocr = request if isinstance(request, tuple) else (request, False)

        def progress(done: int, total: int, page: int) -> None:
            message = pickle.dumps(("progress", done, total, page))
            stdout.write(_HEADER.pack(len(message)) + message)
            stdout.flush()

        try:
            reply = pickle.dumps(handle(source, ocr, progress))
        except MemoryError:
            reply = pickle.dumps(("error", "解析时内存超过上限，文件过大或结构异常。"))
        stdout.write(_HEADER.pack(len(reply)) + reply)
        stdout.flush()


if __name__ == "__main__":
    main()
