"""GreenLeaf's one exception hierarchy; every message is Chinese and says what to do.

    GreenLeafError                 anything a user can act on
    ├── ConfigError                a GREENLEAF_* setting is malformed
    ├── DocumentError              one input file cannot be read (size, format, encryption, no text, time-out)
    ├── KnowledgeBaseError         the knowledge base cannot be opened or written (locked, damaged)
    ├── DataError                  consumption / budget / quota data is invalid (rows and columns named)
    ├── LookupFailed               an institution, year or metric does not resolve (candidates listed)
    ├── QuestionError              an empty or over-long question
    ├── AccountError               a user name, password or role cannot be used (or the user does not exist)
    └── AccessDenied               the signed-in user's role may not do this (recorded in the audit trail)

Front ends map these once: the CLI prints the message and exits 1, the UI shows gr.Error(message).
Programmer mistakes stay TypeError / ValueError and are not caught.
"""

from __future__ import annotations


class GreenLeafError(Exception):
    """Base class: `str(error)` is a complete Chinese message for staff."""


class ConfigError(GreenLeafError):
    """Raised when a GREENLEAF_* environment variable has a value that cannot be used."""


class DocumentError(GreenLeafError):
    """Raised when one input file cannot be loaded; the message names the file."""

    def __init__(self, source: str, message: str) -> None:
        self.source = source
        self.reason = message
        super().__init__(f"{source}：{message}")


class KnowledgeBaseError(GreenLeafError):
    """Raised when the knowledge base is locked by another writer or cannot be opened."""


class DataError(GreenLeafError):
    """Raised when a data file is rejected; `problems` lists every bad row and column."""

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        self.problems = list(problems or [])
        detail = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(message + (f"\n{detail}" if detail else ""))


class LookupFailed(GreenLeafError):
    """Raised when a name, year or metric does not resolve; `candidates` holds close matches."""

    def __init__(self, message: str, candidates: list[str] | None = None) -> None:
        self.candidates = list(candidates or [])
        super().__init__(message)


class QuestionError(GreenLeafError):
    """Raised for an empty or over-long question."""


class AccountError(GreenLeafError):
    """Raised when a user name, password or role is not acceptable, or the user does not exist."""


class AccessDenied(GreenLeafError):
    """Raised when the signed-in user's role does not allow an action; the front end records the refusal."""
