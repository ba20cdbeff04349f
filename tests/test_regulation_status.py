"""Status of regulations in the knowledge base, on real law texts: the version rule with the two versions of the
Statistics Law (2009 and 2024), an administrator's 已废止, the demotion in search, the label in every hit and answer,
the document view, and the command line (`kb list/set/show`, `search --explain`, `ask` with `meta`)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from assistant.answering.agent import Assistant
from assistant.errors import KnowledgeBaseError, QuestionError
from assistant.records.store import DataStore
from assistant.retrieval.knowledge import KnowledgeBase
from evals.regmeta import export, laws

REPO = Path(__file__).resolve().parent.parent
LAWS = {law.name: law for law in laws()}
# 统计法 第三条 in both versions: 2009 "第三条 国家建立集中统一的统计系统……"; 2024 moved it to the second paragraph.
SYSTEM = "国家建立集中统一的统计系统，实行统一领导、分级负责的统计管理体制"


def _files(folder: Path, *names: str, fmt: dict | None = None) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    return [export(replace(LAWS[n], format=(fmt or {}).get(n, LAWS[n].format)), folder) for n in names]


def _by_name(kb: KnowledgeBase) -> dict[str, dict]:
    return {Path(d.source).stem: d.to_dict() for d in kb.documents()}


@pytest.mark.parametrize("order", ["old first", "new first"])
def test_newer_version_marks_the_older_amended_and_points_to_it(settings, tmp_path, order):
    old, new = _files(tmp_path / "laws", "tongji-fa-2009", "tongji-fa-2024")
    with KnowledgeBase.open(settings) as kb:
        first, second = (old, new) if order == "old first" else (new, old)
        kb.ingest([first])
        report = kb.ingest([second])
        docs = _by_name(kb)
        assert docs["tongji-fa-2009"]["meta"]["status"] == "已修订"
        assert docs["tongji-fa-2009"]["meta"]["superseded_by"] == docs["tongji-fa-2024"]["doc_id"]
        assert docs["tongji-fa-2024"]["meta"]["status"] == "现行有效"
        assert "superseded_by" not in docs["tongji-fa-2024"]["meta"]
        assert any("已标为已修订" in w and "tongji-fa-2024" in w for _, w in report.warnings)

        hits = kb.search(SYSTEM, k=3).hits
        assert [h.chunk.source for h in hits[:2]] == [str(new.resolve()), str(old.resolve())]  # current first
        assert hits[1].status == "已修订" and hits[1].citation_label().endswith("（该文件已修订）")
        assert hits[1].to_dict()["meta"]["last_amended"] == "2009-06-27"
        assert kb.search(SYSTEM, k=3, status="已修订").hits[0].chunk.source == str(old.resolve())

        kb.remove(docs["tongji-fa-2024"]["doc_id"])  # the newer version goes: the older one is current again
        assert _by_name(kb)["tongji-fa-2009"]["meta"]["status"] == "现行有效"
        assert "superseded_by" not in _by_name(kb)["tongji-fa-2009"]["meta"]


def test_old_version_ranks_first_only_where_nothing_current_matches(settings, tmp_path):
    """Without the status weight the 2009 article (the sentence is its whole text) would beat the 2024 one."""
    old, new = _files(tmp_path / "laws", "tongji-fa-2009", "tongji-fa-2024")
    with KnowledgeBase.open(settings) as kb:
        kb.ingest([old])
        alone = kb.search(SYSTEM, k=1).hits[0]
        kb.ingest([new])
        both = kb.search(SYSTEM, k=2).hits
        assert alone.chunk.source == str(old.resolve())
        assert [h.chunk.source for h in both] == [str(new.resolve()), str(old.resolve())]
        assert both[1].status == "已修订"
        unweighted = both[1].lexical_score / 0.5
        assert unweighted > both[0].lexical_score  # the old passage matches better; halved, it comes second


def test_administrator_repeals_a_regulation_and_every_hit_and_answer_says_so(settings, tmp_path):
    files = _files(tmp_path / "laws", "minyong-jianzhu-jieneng-tiaoli", "gonggong-jigou-jieneng-tiaoli")
    with KnowledgeBase.open(settings) as kb:
        kb.ingest(files)
        doc_id = next(d.doc_id for d in kb.documents() if d.title == "民用建筑节能条例")
        with pytest.raises(KnowledgeBaseError):
            kb.set_status(doc_id, "作废")
        record = kb.set_status(doc_id, "已废止", "测试：假定已被新条例取代")
        assert record.to_dict()["meta"]["status"] == "已废止"
        assert record.meta["status_by"] == "admin" and record.meta["status_note"] == "测试：假定已被新条例取代"

        for hit in kb.search("太阳能 可再生能源 既有建筑节能改造", k=5).hits:
            if hit.chunk.doc_id == doc_id:
                assert hit.status == "已废止" and "（该文件已废止）" in hit.citation_label()
        store = DataStore.open(settings)
        try:
            answer = Assistant.create(settings, kb, store).ask("民用建筑节能条例第四条讲什么？")
        finally:
            store.close()
        assert answer.citations and answer.citations[0].meta["status"] == "已废止"
        assert "（该文件已废止）" in answer.answer
        assert answer.citations[0].label == "《民用建筑节能条例》（国务院令第530号）第四条（第1页）（该文件已废止）"
        assert answer.citations[0].sentences  # the sentences the answer used are named
        assert answer.to_dict()["citations"][0]["meta"]["doc_number"] == "国务院令第530号"

        # the administrator's word stands when the same file comes in again changed
        files[0].write_bytes(files[0].read_bytes() + b"\n")
        kb.ingest([files[0]])
        assert next(d for d in kb.documents() if d.doc_id == doc_id).meta["status"] == "已废止"
        with pytest.raises(QuestionError):
            kb.search("节能", status="过期")


def test_document_view_has_metadata_structure_and_the_cited_article(settings, tmp_path):
    [path] = _files(tmp_path / "laws", "tongji-fa-2024", fmt={"tongji-fa-2024": "pdf"})
    with KnowledgeBase.open(settings) as kb:
        kb.ingest([path])
        view = kb.document(path.name, article="3")
        data = view.to_dict()
    assert data["meta"]["last_amended"] == "2024-09-13" and data["meta"]["status"] == "现行有效"
    assert view.focus == "第三条" and "统计工作坚持中国共产党的领导" in view.article("第三条").text
    assert [p["articles"] for p in view.outline() if p["articles"]] == [
        ["第一条", "第二条", "第三条", "第四条"], ["第五十一条", "第五十二条", "第五十三条"]]
    assert "第一章" in view.outline()[1]["heading"] and "附" in view.outline()[-1]["heading"]
    assert view.heading_lines()[0] == "《中华人民共和国统计法》"


def test_unreadable_header_is_ingested_with_a_warning_in_the_list(settings, tmp_path, pdf_writer):
    path = pdf_writer(tmp_path / "坏日期.pdf", [["某市公共机构节能管理办法", "2023年13月5日 市人民政府第12次常务会议通过",
                                              "第一条 为了加强公共机构节能管理，制定本办法。"]], title="某市公共机构节能管理办法")
    with KnowledgeBase.open(settings) as kb:
        report = kb.ingest([path])
        [doc] = kb.documents()
    assert report.added and not report.failed
    assert "adopted" not in doc.meta and doc.to_dict()["meta"]["status"] == "现行有效"
    assert any("2023年13月5日" in w and "不是有效日期" in w for w in doc.warnings)


# ---------------------------------------------------------------- the command line


def run(home: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GREENLEAF_")}
    env["GREENLEAF_EMBED_MODEL"] = "none"
    return subprocess.run([sys.executable, "-m", "assistant", "--home", str(home), *args], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=180)


def test_command_line_lists_sets_shows_explains_and_answers_with_meta(tmp_path):
    folder = tmp_path / "laws"
    _files(folder, "minyong-jianzhu-jieneng-tiaoli", "tongji-fa-2009", "tongji-fa-2024", "beijing-jieneng-banfa")
    home = tmp_path / "home"
    assert run(home, "ingest", str(folder)).returncode == 0

    listed = json.loads(run(home, "kb", "list", "--json").stdout)["documents"]
    by_stem = {Path(d["source"]).stem: d for d in listed}
    civil = by_stem["minyong-jianzhu-jieneng-tiaoli"]
    assert {k: civil["meta"].get(k) for k in ("doc_number", "issuer", "adopted", "promulgated", "effective",
                                              "last_amended", "status")} == {
        "doc_number": "国务院令第530号", "issuer": "国务院", "adopted": "2008-07-23", "promulgated": "2008-08-01",
        "effective": "2008-10-01", "last_amended": None, "status": "现行有效"}
    assert by_stem["tongji-fa-2009"]["meta"]["status"] == "已修订"
    text = run(home, "kb", "list").stdout
    assert "警告：元数据：通过日期有8个候选" in text  # the Beijing header, not guessed between

    done = run(home, "kb", "set", civil["doc_id"], "--status", "已废止", "--note", "测试")
    assert done.returncode == 0 and "已将《民用建筑节能条例》标为已废止" in done.stderr
    assert run(home, "kb", "set", civil["doc_id"], "--status", "作废").returncode == 2

    shown = json.loads(run(home, "kb", "show", civil["doc_id"], "--article", "第四条", "--json").stdout)
    assert shown["focus"] == "第四条" and shown["meta"]["status"] == "已废止"
    human = run(home, "kb", "show", civil["doc_id"], "--article", "4").stdout
    assert "效力状态：已废止（测试）" in human and "▶ 第四条" in human
    assert run(home, "kb", "show", civil["doc_id"], "--article", "第九十九条").returncode == 1

    explained = json.loads(run(home, "search", SYSTEM, "--explain", "--json", "-k", "3").stdout)
    assert explained["mode"] == "lexical" and explained["explain"]["status"]["lexical_weight"] == 0.5
    top = explained["results"][0]
    assert top["meta"]["last_amended"] == "2024-09-13" and top["lexical_rank"] == 1 and top["fused_score"] > 0
    assert any(SYSTEM in s for s in top["sentences"])
    assert all("meta" in r and r["meta"]["status"] for r in explained["results"])
    only = json.loads(run(home, "search", "太阳能", "--status", "已废止", "--json").stdout)["results"]
    assert only and {r["meta"]["status"] for r in only} == {"已废止"}

    asked = json.loads(run(home, "ask", "民用建筑节能条例第四条讲什么？", "--json").stdout)
    assert asked["citations"] and all("meta" in c for c in asked["citations"])
    assert asked["citations"][0]["meta"]["status"] == "已废止" and "（该文件已废止）" in asked["answer"]


def test_rebuild_reads_the_metadata_an_older_ingest_did_not(settings, tmp_path):
    """A home built before metadata was read: `kb rebuild` fills the fields in and keeps what was set."""
    [path] = _files(tmp_path / "laws", "jiguan-shiwu-guanli-tiaoli")
    with KnowledgeBase.open(settings) as kb:
        kb.ingest([path])
        [doc] = kb.documents()
        kb.manifest.update_meta(doc.doc_id, {"issuer": "机关事务管理局（手填）"})  # as an older version stored it
        kb.rebuild()
        [doc] = kb.documents()
    assert doc.meta["issuer"] == "机关事务管理局（手填）"  # what was stored wins
    assert (doc.meta["doc_number"], doc.meta["promulgated"], doc.meta["effective"]) == (
        "国务院令第621号", "2012-06-28", "2012-10-01")


def test_llm_answer_resting_on_a_repealed_document_says_so(settings, tmp_path):
    """The model sees the status in the passage labels; when its answer does not say so, the assistant does."""
    from langchain_core.messages import AIMessage

    from test_agent import ScriptedChatModel, _tool_call

    [path] = _files(tmp_path / "laws", "minyong-jianzhu-jieneng-tiaoli")
    with KnowledgeBase.open(settings) as kb:
        kb.ingest([path])
        kb.set_status(path.name, "已废止")
        model = ScriptedChatModel([
            _tool_call("knowledge_search", {"query": "太阳能 可再生能源 既有建筑节能改造"}),
            AIMessage(content="国家鼓励在新建建筑和既有建筑节能改造中采用太阳能、地热能等可再生能源[1]。"),
        ])
        store = DataStore.open(settings)
        try:
            answer = Assistant.create(settings, kb, store, chat_model=model).ask("节能改造能用太阳能吗？")
        finally:
            store.close()
    tool_message = next(m for m in model.seen[1] if getattr(m, "type", "") == "tool")
    assert "《民用建筑节能条例》（国务院令第530号）第四条（第1页）（该文件已废止）" in tool_message.content
    assert answer.mode == "llm" and answer.citations[0].meta["status"] == "已废止"
    assert answer.answer.endswith("注意：[1]《民用建筑节能条例》（该文件已废止），请以现行文件为准。")
    assert answer.citations[0].sentences  # quoted words of the passage are marked for the source card
