"""`python -m evals [--modes lexical,dense,hybrid] [--backend auto|torch|onnx|openvino] [--out DIR]`: score the gold
sets, print one table, write evals/results/<YYYY-MM-DD>.json."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

from evals.everyday import run as run_everyday
from evals.everyday import table as everyday_table
from evals.quality import MODES, run, table
from evals.regmeta import score as score_regmeta
from evals.regmeta import table as regmeta_table
from evals.spreadsheet_import import score_spreadsheets


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evals", description="GreenLeaf quality evals")
    parser.add_argument("--modes", default=",".join(MODES), help="comma-separated: lexical,dense,hybrid")
    parser.add_argument("--backend", default="auto", choices=["auto", "torch", "onnx", "onnx-int8", "openvino"],
                        help="embedding backend of the dense and hybrid rows (evals.backends compares them)")
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "results")
    args = parser.parse_args(argv)
    modes = tuple(m.strip() for m in args.modes.split(",") if m.strip())
    unknown = [m for m in modes if m not in MODES]
    if unknown:
        parser.error(f"unknown mode(s): {', '.join(unknown)}")
    report = run(modes, backend=args.backend)
    print(table(report))
    for note in report.notes:
        print(f"- {note}")
    for key in ("routing", "drafting"):
        part = report.shared.get(key, {})
        if part and not part.get("available", True):
            print(f"- {key}: not available ({part['reason']})")
    everyday = run_everyday()
    print("\nEveryday questions (offline, starter knowledge base, sample data):")
    print(everyday_table(everyday))
    spreadsheets = score_spreadsheets()
    print(f"\nOffice spreadsheets: {spreadsheets['imported']}/{spreadsheets['files']} files imported, "
          f"{spreadsheets['exact']}/{spreadsheets['institution_years']} institution-years exact (within 0.2%)")
    regmeta = score_regmeta()
    print("\n" + regmeta_table(regmeta))
    args.out.mkdir(parents=True, exist_ok=True)
    target = args.out / f"{date.today().isoformat()}.json"
    data = {**report.to_dict(), "everyday": everyday, "spreadsheets": spreadsheets, "regmeta": regmeta}
    target.write_text(json.dumps(data, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    print(f"results: {target}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
