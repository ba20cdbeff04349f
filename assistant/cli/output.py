"""Output conventions shared by every `greenleaf` subcommand: --json on stdout, messages on stderr."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any


def json_flag(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """Add the shared --json option (one JSON object on stdout, nothing else there)."""
    p.add_argument("--json", action="store_true", help="以 JSON 输出到标准输出")
    return p


def print_json(obj: Any) -> None:
    """Print the command's one JSON object on stdout."""
    print(json.dumps(obj, ensure_ascii=False, indent=2))


def err(message: str) -> None:
    """A human message on stderr."""
    print(message, file=sys.stderr)
