"""KnowledgeBase end to end: ingest a folder, search with citations, idempotence, remove, rebuild, crashes, locks."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from dataclasses import replace
from pathlib import Path

import pytest

from assistant.errors import KnowledgeBaseError
from assistant.retrieval.knowledge import KnowledgeBase

REPO = Path(__file__).resolve().parent.parent

REGULATION = [
    ["公共机构节能条例", "第一章 总则",
     "第一条 为了推动公共机构节能，提高公共机构能源利用效率，发挥公共机构在全社会节能中的表率作用，制定本条例。",
     "第二条 本条例所称公共机构，是指全部或者部分使用财政性资金的国家机关、事业单位和团体组织。"],
    ["第三章 节能管理",
     "第十四条 公共机构应当实行能源消耗计量制度，区分用能种类、用能系统实行能源消耗分户、分类、分项计量，并对能源"
     "消耗状况进行实时监测，及时发现、纠正用能浪费现象。",
     "第十五条 公共机构应当指定专人负责能源消耗统计，如实记录能源消耗计量原始数据，建立统计台账。公共机构应当于每年 3 月"
     " 31 日前，向本级人民政府管理机关事务工作的机构报送上一年度能源消耗状况报告。"],
    ["第二十二条 公共机构应当按照规定进行能源审计，对本单位用能系统、设备的运行及使用能源情况进行技术和经济性评价，"
     "根据审计结果采取提高能源利用效率的措施。",
     "第三十条 公共机构应当严格执行国家有关空调室内温度控制的规定，充分利用自然通风，改进空调运行管理。"],
]


def _corpus(folder: Path, pdf_writer) -> Path:
    import docx

    folder.mkdir(parents=True, exist_ok=True)
    pdf_writer(folder / "条例.pdf", REGULATION, title="公共机构节能条例", width_mm=90)
    document = docx.Document()
    document.add_heading("节能宣传周活动安排", level=1)
    document.add_paragraph("全国节能宣传周期间，各单位组织低碳健步走、能源紧缺体验日和旧物换绿植活动。")
    document.save(folder / "宣传周.docx")
    (folder / "托管.md").write_text(
        "---\ntitle: 能源费用托管服务意见\ndoc_type: policy\nissuer: 国管局\ndoc_number: 国管节能〔2022〕287号\n"
        "date: 2022-09-07\n---\n# 能源费用托管服务意见\n公共机构可以把能源费用交给节能服务公司托管，按约定分享节约的费用。\n",
        encoding="utf-8")
    (folder / "节水.txt").write_bytes("节水型单位\n人均用水量等于年度用水总量除以用能人数。".encode("gbk"))
    (folder / "坏文件.pdf").write_bytes(b"%PDF-1.4\nnot really a pdf")
    return folder


@pytest.fixture
def kb_folder(tmp_path: Path, pdf_writer) -> Path:
    return _corpus(tmp_path / "docs", pdf_writer)


def test_ingest_folder_then_search_cites_page_and_article(settings, kb_folder: Path) -> None:
    with KnowledgeBase.open(settings) as kb:
        report = kb.ingest([kb_folder])
        assert len(report.added) == 4
        assert [Path(s).name for s, _ in report.failed] == ["坏文件.pdf"]
        result = kb.search("每年什么时候报送上一年度的能耗报告", k=3)
        top = result.hits[0]
        assert result.mode == "lexical"
        assert (top.chunk.article, top.chunk.page) == ("第十五条", 2)
        assert "3月31日前" in top.chunk.text
        assert top.citation_label() == "《公共机构节能条例》第十五条（第2页）"
        # A paraphrase with other words still finds the right article.
        assert kb.search("机关要不要做能源审计", k=1).hits[0].chunk.article == "第二十二条"
        assert kb.search("空调温度怎么控制", k=1).hits[0].chunk.article == "第三十条"
        assert kb.search("条例第14条讲什么", k=1).hits[0].chunk.article == "第十四条"
        assert kb.search("GBK 人均用水量怎么算", k=1).hits[0].chunk.title == "节水型单位"
        assert kb.search("托管", k=3, doc_type="policy").hits[0].chunk.doc_type == "policy"


def test_reingest_is_idempotent_and_changed_file_replaces_chunks(settings, kb_folder: Path) -> None:
    with KnowledgeBase.open(settings) as kb:
        kb.ingest([kb_folder])
        chunks_before = sum(d.chunks for d in kb.documents())
        again = kb.ingest([kb_folder])
        assert again.added == [] and again.updated == [] and len(again.skipped) == 4
        assert sum(d.chunks for d in kb.documents()) == chunks_before
        md = kb_folder / "托管.md"
        md.write_text(md.read_text(encoding="utf-8").replace("分享节约的费用", "按合同约定支付托管费用"), encoding="utf-8")
        changed = kb.ingest([md])
        assert len(changed.updated) == 1
        hits = kb.search("托管费用 支付", k=5).hits
        texts = " ".join(h.chunk.text for h in hits)
        assert "按合同约定支付托管费用" in texts and "分享节约的费用" not in texts


def test_remove_and_rebuild(settings, kb_folder: Path) -> None:
    with KnowledgeBase.open(settings) as kb:
        kb.ingest([kb_folder])
        doc = next(d for d in kb.documents() if d.title == "能源费用托管服务意见")
        kb.remove(doc.doc_id)
        assert all(d.doc_id != doc.doc_id for d in kb.documents())
        assert all(h.chunk.doc_id != doc.doc_id for h in kb.search("能源费用托管", k=10).hits)
        stats = kb.rebuild()
        assert stats["documents"] == 3
        assert kb.search("能源审计", k=1).hits[0].chunk.article == "第二十二条"
    with pytest.raises(KnowledgeBaseError, match="没有文档"):
        with KnowledgeBase.open(settings) as kb:
            kb.remove("no-such-doc")


def test_second_writer_is_refused_while_readers_work(settings, kb_folder: Path) -> None:
    with KnowledgeBase.open(settings) as kb:
        kb.ingest([kb_folder / "托管.md"])
        with pytest.raises(KnowledgeBaseError, match="正被另一个进程写入"):
            KnowledgeBase.open(settings)
        with KnowledgeBase.open(settings, read_only=True) as reader:
            assert reader.search("托管", k=1).hits


def _run_crashing_ingest(settings, path: Path, crash_point: str) -> subprocess.CompletedProcess:
    """Run an ingest in a child process that dies (os._exit) at `crash_point`, like a power cut."""
    script = textwrap.dedent(f"""
        import os, sys
        from dataclasses import replace
        from pathlib import Path
        from assistant.config import Settings
        from assistant.retrieval.knowledge import KnowledgeBase
        from assistant.retrieval import lexical
        from assistant.retrieval import manifest
        settings = replace(Settings.from_env({{}}), home=Path({str(settings.home)!r}), embed_model=None)
        if {crash_point!r} == "after-commit":
            lexical.LexicalIndex.save = lambda self, d: os._exit(9)
        else:
            real = manifest.Manifest._bump
            def bump(self):
                os._exit(9)  # inside the transaction: chunks written, not committed
            manifest.Manifest._bump = bump
        with KnowledgeBase.open(settings) as kb:
            kb.ingest([Path({str(path)!r})])
    """)
    return subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO, timeout=120)


def test_crash_mid_ingest_loses_nothing_and_repairs(settings, kb_folder: Path) -> None:
    with KnowledgeBase.open(settings) as kb:
        kb.ingest([kb_folder / "节水.txt"])
    # Killed inside the SQLite transaction: the new document is absent, the old one intact.
    assert _run_crashing_ingest(settings, kb_folder / "托管.md", "mid-transaction").returncode == 9
    with KnowledgeBase.open(settings) as kb:
        assert [d.title for d in kb.documents()] == ["节水型单位"]
        assert kb.search("人均用水量", k=1).hits
    # Killed after the commit but before the lexical index was saved: repaired on the next open.
    assert _run_crashing_ingest(settings, kb_folder / "托管.md", "after-commit").returncode == 9
    with KnowledgeBase.open(settings) as kb:
        assert sorted(d.title for d in kb.documents()) == ["能源费用托管服务意见", "节水型单位"]
        assert kb.search("能源费用托管", k=1).hits[0].chunk.title == "能源费用托管服务意见"
        assert kb.search("人均用水量", k=1).hits[0].chunk.title == "节水型单位"


def test_glossary_synonyms_expand_queries(settings, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "glossary.tsv").write_text("term\tsynonyms\tnote\n合同能源管理\tEMC|EPC\t节能服务模式\n", encoding="utf-8")
    doc = tmp_path / "emc.md"
    doc.write_text("# 合同能源管理\n节能服务公司与用能单位以合同约定节能目标，用节能效益支付投资。\n", encoding="utf-8")
    with KnowledgeBase.open(replace(settings, corpus_dir=corpus)) as kb:
        kb.ingest([doc])
        hits = kb.search("EMC 是什么", k=1).hits
        assert hits and hits[0].chunk.title == "合同能源管理"


def test_cli_ingest_and_search_json(settings, kb_folder: Path) -> None:
    env = {"GREENLEAF_EMBED_MODEL": "none", "PATH": "/usr/bin:/bin"}
    run = lambda *args: subprocess.run(  # noqa: E731
        [sys.executable, "-m", "assistant", "--home", str(settings.home), *args],
        capture_output=True, text=True, cwd=REPO, env=env, timeout=180)
    ingest = run("ingest", str(kb_folder), "--json")
    assert ingest.returncode == 1  # the broken PDF failed, the rest landed
    report = json.loads(ingest.stdout)
    assert len(report["added"]) == 4 and "损坏" in report["failed"][0]["error"]
    search = run("search", "能源消耗统计 报送 时间", "--json", "-k", "2")
    assert search.returncode == 0
    payload = json.loads(search.stdout)
    assert payload["mode"] == "lexical"
    first = payload["results"][0]
    assert set(first) >= {"doc_id", "title", "source", "page", "article", "text", "score"}
    assert (first["article"], first["page"]) == ("第十五条", 2)
    listed = json.loads(run("kb", "list", "--json").stdout)
    assert len(listed["documents"]) == 4
    assert run("kb", "remove", listed["documents"][0]["doc_id"]).returncode == 0
    assert len(json.loads(run("kb", "list", "--json").stdout)["documents"]) == 3
    assert run("search").returncode == 2


def test_search_does_not_wait_for_a_running_ingest(settings, kb_folder: Path, monkeypatch) -> None:
    import threading
    import time

    from assistant.retrieval import knowledge

    with KnowledgeBase.open(settings) as kb:
        kb.ingest([kb_folder / "节水.txt"])
        real = knowledge.load_document
        started = threading.Event()

        def slow_load(path, settings):  # a long parse, as of a 40 MB PDF
            started.set()
            time.sleep(3)
            return real(path, settings)

        monkeypatch.setattr(knowledge, "load_document", slow_load)
        worker = threading.Thread(target=kb.ingest, args=([kb_folder / "托管.md"],))
        worker.start()
        assert started.wait(10)
        begin = time.monotonic()
        hits = kb.search("人均用水量", k=1).hits
        assert time.monotonic() - begin < 1.5 and hits[0].chunk.title == "节水型单位"
        worker.join()
        assert kb.search("能源费用托管", k=1).hits[0].chunk.title == "能源费用托管服务意见"
