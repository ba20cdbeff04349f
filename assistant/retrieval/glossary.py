"""Domain glossary (corpus/glossary.tsv): terms with synonyms and abbreviations.

Used two ways: its words go into the jieba dictionary, and a question containing any member of a group
("EMC") is expanded with the other members ("合同能源管理", "节能服务合同"). File format: UTF-8 TSV with header
`term<TAB>synonyms<TAB>note`, synonyms separated by `|`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from assistant.errors import GreenLeafError


@dataclass(frozen=True)
class GlossaryEntry:
    term: str
    synonyms: tuple[str, ...]
    note: str = ""

    @property
    def members(self) -> tuple[str, ...]:
        return (self.term, *self.synonyms)


class Glossary:
    def __init__(self, entries: list[GlossaryEntry]) -> None:
        self.entries = entries
        self._by_member: dict[str, list[GlossaryEntry]] = {}
        for entry in entries:
            for member in entry.members:
                self._by_member.setdefault(member.lower(), []).append(entry)
        # Longest first, so "人均综合能耗" is found before "能耗".
        members = sorted(self._by_member, key=len, reverse=True)
        self._pattern = re.compile("|".join(re.escape(m) for m in members), re.I) if members else None

    @classmethod
    def empty(cls) -> "Glossary":
        return cls([])

    @classmethod
    def load(cls, path: Path) -> "Glossary":
        """Load a glossary TSV; a missing file gives an empty glossary."""
        if not path.is_file():
            return cls.empty()
        entries = []
        lines = path.read_text(encoding="utf-8-sig").splitlines()
        for number, line in enumerate(lines[1:], start=2):
            if not line.strip() or line.startswith("#"):
                continue
            cells = line.split("\t")
            term = cells[0].strip()
            if not term:
                raise GreenLeafError(f"术语表 {path} 第{number}行缺少术语。")
            synonyms = tuple(s.strip() for s in (cells[1] if len(cells) > 1 else "").split("|") if s.strip())
            entries.append(GlossaryEntry(term, synonyms, cells[2].strip() if len(cells) > 2 else ""))
        return cls(entries)

    def words(self) -> list[str]:
        """Every term and synonym that contains no space (jieba user words)."""
        return [m for e in self.entries for m in e.members if " " not in m]

    def lookup(self, word: str) -> list[GlossaryEntry]:
        return list(self._by_member.get(word.lower(), []))

    def expansions(self, text: str) -> list[str]:
        """Members of every group mentioned in `text`, except the words already there."""
        if self._pattern is None:
            return []
        found: list[str] = []
        lowered = text.lower()
        for match in self._pattern.finditer(text):
            for entry in self._by_member.get(match.group(0).lower(), []):
                for member in entry.members:
                    if member.lower() not in lowered and member not in found:
                        found.append(member)
        return found
