"""Feedback on answers: `home/feedback.jsonl`, one JSON object per 有用/没用 click, appended and never rewritten.

Each line keeps what a reviewer needs to improve the knowledge base or the FAQ: time, rating, user, the question,
the answer, its citations, mode (llm/offline), intent, tools called and the user's optional comment. The admin view
reads it back newest first and exports it as CSV (UTF-8 with BOM, so Excel opens it) or XLSX.
"""

from __future__ import annotations

import csv
import json
import threading
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path

from assistant.config import Settings

RATINGS = ("有用", "没用")
MAX_COMMENT = 500
COLUMNS = [("time", "时间"), ("rating", "评价"), ("user", "用户"), ("question", "问题"), ("answer", "回答"),
           ("citations", "引用"), ("mode", "模式"), ("comment", "说明")]


@dataclass(frozen=True)
class Feedback:
    time: str
    rating: str
    question: str
    answer: str
    user: str = ""
    mode: str = ""
    intent: str = ""
    citations: tuple[str, ...] = ()
    tool_calls: tuple[str, ...] = ()
    comment: str = ""
    extra: dict = field(default_factory=dict)  # keys a newer writer added; kept, not interpreted

    def row(self) -> list[str]:
        """The exported columns (COLUMNS) as text."""
        values = {**asdict(self), "citations": "；".join(self.citations)}
        return [str(values[key] or "") for key, _ in COLUMNS]


class FeedbackLog:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()

    @classmethod
    def open(cls, settings: Settings) -> "FeedbackLog":
        return cls(settings.home / "feedback.jsonl")

    def record(self, rating: str, answer: dict, user: str = "", comment: str = "") -> Feedback:
        """Append one line: the rating of `answer` ({question, answer, mode, intent, citations, tool_calls})."""
        if rating not in RATINGS:
            raise ValueError(f"rating must be one of {RATINGS}")
        line = {"time": datetime.now().isoformat(timespec="seconds"), "rating": rating, "user": user or "",
                **answer, "comment": (comment or "").strip()[:MAX_COMMENT]}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._lock, self.path.open("a", encoding="utf-8") as f:
            f.write(json.dumps(line, ensure_ascii=False) + "\n")
        return _entry(line)

    def entries(self, rating: str | None = None) -> list[Feedback]:
        """Every entry (or those with `rating`), newest first."""
        if not self.path.exists():
            return []
        found = []
        for text in self.path.read_text(encoding="utf-8").splitlines():
            if not text.strip():
                continue
            try:
                entry = _entry(json.loads(text))
            except (ValueError, TypeError, KeyError):
                continue  # a line cut short by a crash is not feedback
            if rating is None or entry.rating == rating:
                found.append(entry)
        return list(reversed(found))

    def export(self, entries: list[Feedback], target: Path) -> Path:
        """Write `entries` to target (.csv or .xlsx, by its suffix); returns the path."""
        target = Path(target)
        target.parent.mkdir(parents=True, exist_ok=True)
        headers = [label for _, label in COLUMNS]
        if target.suffix.lower() == ".xlsx":
            from openpyxl import Workbook

            book = Workbook()
            sheet = book.active
            sheet.title = "反馈"
            sheet.append(headers)
            for entry in entries:
                sheet.append([_cell(v) for v in entry.row()])
            for column, width in zip("ABCDEFGH", (20, 6, 12, 40, 60, 40, 8, 30)):
                sheet.column_dimensions[column].width = width
            book.save(target)
        elif target.suffix.lower() == ".csv":
            with target.open("w", encoding="utf-8-sig", newline="") as f:
                writer = csv.writer(f)
                writer.writerow(headers)
                writer.writerows([_cell(v) for v in entry.row()] for entry in entries)
        else:
            raise ValueError(f"export to .csv or .xlsx, not {target.suffix}")
        return target


def _entry(line: dict) -> Feedback:
    known = {"time", "rating", "question", "answer", "user", "mode", "intent", "citations", "tool_calls", "comment"}
    return Feedback(time=str(line["time"]), rating=str(line["rating"]), question=str(line.get("question", "")),
                    answer=str(line.get("answer", "")), user=str(line.get("user", "")), mode=str(line.get("mode", "")),
                    intent=str(line.get("intent") or ""), citations=tuple(line.get("citations") or ()),
                    tool_calls=tuple(line.get("tool_calls") or ()), comment=str(line.get("comment", "")),
                    extra={k: v for k, v in line.items() if k not in known})


def _cell(value: str) -> str:
    """A cell a spreadsheet will not run as a formula (a question may start with = or +)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value
