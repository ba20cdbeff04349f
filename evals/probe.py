"""Id-level failure lists of the everyday sets, for comparing two versions of the answering code.

    python -m evals.probe build DIR              # starter KB + sample data once, in DIR (reuse it across runs)
    python -m evals.probe run DIR OUT [--split dev] [--colloquial F] [--decline F] [--dialogues F] [--ids a,b]
    python -m evals.probe ask DIR Q1 [Q2 ...]     # one conversation: each turn's intent, answer head and sources

`run` scores the given JSONL files (default: the three gold files, filtered by --split; a file given explicitly is
scored whole) and writes one line per failing item to OUT (`set id ...`), then prints the counts. Comparing two OUT
files (`diff`) shows which items a change gained or lost. Build a new DIR after a corpus or lexicon change.
"""

from __future__ import annotations

import argparse
import json
import shutil
from dataclasses import replace
from pathlib import Path

from assistant.config import Settings
from evals import everyday
from evals.expected import SampleData
from evals.quality import ROOT, build_corpus


def _settings(workdir: Path) -> Settings:
    return replace(Settings.from_env({}), home=workdir / "home", embed_model=None, llm_base_url=None, llm_model=None)


def build(workdir: Path) -> None:
    """The starter corpus (with the generated PDF) ingested, and the sample CSVs imported, under `workdir`."""
    from assistant.records.store import DataStore
    from assistant.retrieval.knowledge import KnowledgeBase

    if workdir.exists():
        shutil.rmtree(workdir)
    corpus = build_corpus(workdir / "corpus")
    settings = _settings(workdir)
    with KnowledgeBase.open(settings) as kb:
        kb.ingest([corpus])
    with DataStore.open(settings) as store:
        for path in sorted((ROOT / "corpus" / "data").glob("*.csv")):
            store.import_file(path)


def _rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def run(workdir: Path, out: Path, split: str | None, files: dict[str, Path | None], ids: set[str]) -> dict:
    """Score the sets in `files` (None: the gold file, filtered by `split`); write failing ids to `out`."""
    from assistant.answering.agent import Assistant
    from assistant.records.store import DataStore
    from assistant.retrieval.knowledge import KnowledgeBase

    settings = _settings(workdir)
    corpus = workdir / "corpus"
    chosen: dict[str, list[dict]] = {}
    for name, path in files.items():
        rows = _rows(path) if path else [r for r in everyday._load(name) if split is None or r["split"] == split]
        if ids:
            rows = [r for r in rows if r["id"] in ids]
        chosen[name] = [dict(r, split="all") for r in rows]
    lines: list[str] = []
    counts: dict[str, str] = {}
    with KnowledgeBase.open(settings, read_only=True) as kb, DataStore.open(settings) as store:
        assistant = Assistant.create(settings, kb, store)
        if chosen.get("colloquial"):
            part = everyday.score_colloquial(assistant, corpus, chosen["colloquial"])["all"]
            lines += [f"colloquial {f['id']} {f['q']} | want {f['doc']} | got {f['got']} | {f['answer']!r}"
                      for f in part["failures"]]
            counts["colloquial"] = f"{part['right_doc']}/{part['questions']}"
        if chosen.get("decline"):
            part = everyday.score_decline(assistant, chosen["decline"])["all"]
            lines += [f"decline {f['id']} {f['kind']} {f['q']} | {f['answer']!r}" for f in part["failures"]]
            counts["decline"] = f"{part['declined']}/{part['questions']}"
        if chosen.get("dialogues"):
            part = everyday.score_dialogues(assistant, SampleData(), corpus, chosen["dialogues"])["all"]
            for f in part["failures"]:
                for t in f["turns"]:
                    lines.append(f"dialogues {f['id']} t{t['turn']} {t['q']} | {t['problems']} | {t['answer']!r}")
            counts["dialogues"] = f"{part['right']}/{part['dialogues']}"
    out.write_text("".join(line.replace("\n", " ") + "\n" for line in sorted(lines)), encoding="utf-8")
    return counts


def ask(workdir: Path, questions: list[str]) -> None:
    """Ask `questions` in one conversation on the KB in `workdir`; print each turn's intent, answer and sources."""
    from assistant.answering.agent import Assistant
    from assistant.records.store import DataStore
    from assistant.retrieval.knowledge import KnowledgeBase

    settings = _settings(workdir)
    with KnowledgeBase.open(settings, read_only=True) as kb, DataStore.open(settings) as store:
        assistant = Assistant.create(settings, kb, store)
        history: list[tuple[str, str]] = []
        for question in questions:
            answer = assistant.ask(question, history)
            history.append((question, answer.answer))
            sources = [everyday._source(c, workdir / "corpus") for c in answer.citations]
            print(f"Q: {question}\n  [{answer.intent}] {answer.answer[:300]!r}\n  sources: {sources[:4]}")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m evals.probe")
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build")
    b.add_argument("dir", type=Path)
    r = sub.add_parser("run")
    r.add_argument("dir", type=Path)
    r.add_argument("out", type=Path)
    r.add_argument("--split", default="dev")
    r.add_argument("--ids", default="")
    for name in ("colloquial", "decline", "dialogues"):
        r.add_argument(f"--{name}", type=Path, default=None)
    r.add_argument("--only", default="colloquial,decline,dialogues", help="which sets to run")
    a = sub.add_parser("ask")
    a.add_argument("dir", type=Path)
    a.add_argument("questions", nargs="+")
    args = parser.parse_args()
    if args.command == "build":
        build(args.dir)
        print(f"built {args.dir}")
        return
    if args.command == "ask":
        ask(args.dir, args.questions)
        return
    only = set(args.only.split(","))
    given = {name: getattr(args, name) for name in ("colloquial", "decline", "dialogues")}
    if any(given.values()):
        only = {name for name, path in given.items() if path}
    files = {name: given[name] for name in ("colloquial", "decline", "dialogues") if name in only}
    ids = {i for i in args.ids.split(",") if i}
    print(json.dumps(run(args.dir, args.out, args.split, files, ids), ensure_ascii=False))


if __name__ == "__main__":
    main()
