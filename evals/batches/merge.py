"""Add a batch's questions to evals/gold as dev items, leaving out near-duplicates of items already there.

    python -m evals.batches.merge evals/batches/new11 tt tu st

The three prefixes name the batch's colloquial, decline and dialogue files. An item whose question (a dialogue: its
turns joined) is at least DUPLICATE similar (difflib ratio) to an existing item of the same set is left out and
listed. The gold files' order is kept; the batch's items are appended with split "dev".
"""

from __future__ import annotations

import argparse
import json
from difflib import SequenceMatcher
from pathlib import Path

GOLD = Path(__file__).resolve().parents[1] / "gold"
DUPLICATE = 0.95


def _text(row: dict) -> str:
    return row["q"] if "q" in row else "｜".join(t["q"] for t in row["turns"])


def merge(batch: Path, files: dict[str, str]) -> dict[str, tuple[int, list[str]]]:
    """Append each batch file's items to its gold set; returns per set (added, ids left out as duplicates)."""
    report = {}
    for name, prefix in files.items():
        gold_path = GOLD / f"{name}.jsonl"
        gold = [json.loads(line) for line in gold_path.read_text(encoding="utf-8").splitlines() if line.strip()]
        ids = {row["id"] for row in gold}
        texts = [_text(row) for row in gold]
        added, left_out = [], []
        for line in (batch / f"{prefix}.jsonl").read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            row = json.loads(line)
            if row["id"] in ids:
                raise SystemExit(f"{row['id']} is already in {gold_path.name}")
            text = _text(row)
            if any(SequenceMatcher(None, text, other).ratio() >= DUPLICATE for other in texts):
                left_out.append(row["id"])
                continue
            added.append({**row, "split": "dev"})
            texts.append(text)
        with gold_path.open("a", encoding="utf-8") as out:
            for row in added:
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
        report[name] = (len(added), left_out)
    return report


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m evals.batches.merge")
    parser.add_argument("batch", type=Path)
    parser.add_argument("colloquial")
    parser.add_argument("decline")
    parser.add_argument("dialogues")
    args = parser.parse_args()
    report = merge(args.batch, {"colloquial": args.colloquial, "decline": args.decline, "dialogues": args.dialogues})
    for name, (added, left_out) in report.items():
        print(f"{name}: {added} added; left out as near-duplicates: {', '.join(left_out) or 'none'}")


if __name__ == "__main__":
    main()
