"""`python -m evals.show_dialogues [id ...]`: print every turn of evals/gold/dialogues.jsonl with the content
evals/expected.py says a correct answer must carry (figures at the checker's 2-decimal rounding), to check by eye."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from evals.expected import SampleData, expected_calc

GOLD = Path(__file__).resolve().parent / "gold" / "dialogues.jsonl"


def load(path: Path = GOLD) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def describe(sample: SampleData, dialogue: dict) -> list[str]:
    lines = [f"== {dialogue['id']} ({dialogue['split']})"]
    for i, turn in enumerate(dialogue["turns"], 1):
        exp = expected_calc(sample, turn["expect"])
        spec = ", ".join(f"{k}={v}" for k, v in turn["expect"].items())
        lines.append(f"  {i}. {turn['q']}")
        lines.append(f"     spec: {spec}")
        parts = [f"year={exp['year']}"]
        if exp.get("all"):
            parts.append("all units")
        if exp["names"]:
            parts.append(("ordered " if exp["ordered"] else "") + "names=" + "、".join(exp["names"]))
        if exp["numbers"]:
            parts.append("numbers=" + ", ".join(f"{x:.2f}" for x in exp["numbers"]))
        lines.append("     expect: " + "; ".join(parts))
    return lines


if __name__ == "__main__":
    wanted = set(sys.argv[1:])
    sample = SampleData()
    for d in load():
        if not wanted or d["id"] in wanted:
            print("\n".join(describe(sample, d)))
