"""Import the sample office spreadsheets (evals/spreadsheets, 样例数据) and compare indicators with those make.py
computed independently. Each file goes into its own temp home through the real DataStore and the real
tools.energy.indicators; an institution-year is exact when energy, energy per m², energy per person and water are
all within 0.2% of the expected values.

    .venv/bin/python -m evals.spreadsheet_import
"""

from __future__ import annotations

import json
import tempfile
from dataclasses import replace
from pathlib import Path

from assistant.config import Settings
from assistant.errors import GreenLeafError

FOLDER = Path(__file__).resolve().parent / "spreadsheets"
TOLERANCE = 0.002
FIELDS = ("energy_kgce", "energy_per_area_kgce_m2", "energy_per_capita_kgce", "water_m3")


def score_spreadsheets(folder: Path = FOLDER) -> dict:
    """{"files", "imported", "institution_years", "exact", "failures"} over the spreadsheets in `folder`."""
    from assistant.records.store import DataStore
    from tools.energy import indicators

    spec = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    imported = institution_years = exact = 0
    failures: list[dict] = []
    for item in spec["files"]:
        with tempfile.TemporaryDirectory(prefix="greenleaf-sheets-") as home:
            settings = replace(Settings.from_env({}), home=Path(home), embed_model=None, factors={})
            with DataStore.open(settings) as store:
                try:
                    store.import_file(folder / item["file"])
                except GreenLeafError as error:
                    failures.append({"file": item["file"], "error": str(error)})
                    institution_years += len(item["expected"])
                    continue
                imported += 1
                for want in item["expected"]:
                    institution_years += 1
                    try:
                        got = indicators(store, want["institution"], want["year"]).to_dict()
                    except GreenLeafError as error:
                        failures.append({"file": item["file"], "institution": want["institution"],
                                         "year": want["year"], "error": str(error)})
                        continue
                    off = {f: (got[f], want[f]) for f in FIELDS if not _close(got[f], want[f])}
                    if off:
                        failures.append({"file": item["file"], "institution": want["institution"],
                                         "year": want["year"], "mismatch": off})
                    else:
                        exact += 1
    return {"files": len(spec["files"]), "imported": imported, "institution_years": institution_years,
            "exact": exact, "failures": failures}


def _close(got: float, want: float) -> bool:
    return abs(got - want) <= TOLERANCE * max(abs(want), 1e-9)


if __name__ == "__main__":
    print(json.dumps(score_spreadsheets(), ensure_ascii=False, indent=2))
