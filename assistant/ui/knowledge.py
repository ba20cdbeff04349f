"""知识库 tab: upload documents with a progress bar, a result line per file, list, search and remove documents; open
a document (documents.py: full text, structure, metadata, the status action for administrators) and the 命中测试
panel (retrieval_test.py).

Uploads are checked against the extension allow-list and the size limit here as well as in the browser (the
browser's check is a convenience, not a control). Ingest runs in its own concurrency group, one at a time.
The document list is read afresh whenever the page loads or the tab is opened (app.py wires both to the refresher
build() returns) and, while the starter knowledge base is being built in the background, every few seconds.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import gradio as gr

from assistant.ui import cards as ui_cards
from assistant.ui import documents as ui_documents
from assistant.ui import retrieval_test as ui_retrieval_test
from assistant.ingest.documents import LOADABLE_SUFFIXES
from assistant.ui.access import ADMIN_CLASS, admin_only
from assistant.ui.services import Services, friendly

UPLOAD_TYPES = list(LOADABLE_SUFFIXES)  # documents, scans (images) and tables (CSV/XLSX as knowledge)
DOC_HEADERS = ["编号", "标题", "类型", "片段数", "来源文件", "文号", "效力状态", "导入时间", "备注"]
RESULT_HEADERS = ["文件", "结果", "说明"]
TYPE_CHOICES = [("全部类型", ""), *((label, key) for key, label in ui_cards.DOC_TYPES.items())]
STARTUP_POLL_S = 3.0  # how often the list follows the starter build; it stops once start-up has finished


def build(services: Services) -> tuple[Callable[[], tuple], list]:
    """Lay out the tab; returns the list refresher and its outputs, for page load and tab select."""
    stats = gr.Markdown(stats_text(services), elem_id="gl-kb-stats")
    with gr.Row():
        with gr.Column(scale=1, elem_classes=ADMIN_CLASS):  # admins only (access.py shows it on load)
            gr.Markdown(upload_help(services), elem_id="gl-kb-upload-help")
            files = gr.File(label="选择文件（可多选）", file_count="multiple", file_types=UPLOAD_TYPES,
                            elem_id="gl-kb-upload")
            upload = gr.Button("导入知识库", variant="primary", elem_id="gl-kb-ingest")
            summary = gr.Markdown("")
            results = gr.Dataframe(headers=RESULT_HEADERS, label="导入结果（逐个文件）", interactive=False,
                                   wrap=True, elem_id="gl-kb-results")
        with gr.Column(scale=1):
            gr.Markdown("### 检索知识库")
            with gr.Row():
                query = gr.Textbox(placeholder="输入关键词或问题，例如：能源审计", show_label=False, scale=4,
                                   elem_id="gl-kb-query")
                doc_type = gr.Dropdown(TYPE_CHOICES, value="", show_label=False, scale=2)
                search = gr.Button("检索", scale=1)
            hits = gr.HTML(ui_cards.empty("检索结果显示在这里，每条注明出处。"), elem_id="gl-kb-hits")
    gr.Markdown("### 已收录文档")
    table = gr.Dataframe(value=document_rows(services), headers=DOC_HEADERS, interactive=False, wrap=True,
                         max_height=420, elem_id="gl-kb-docs")
    with gr.Row():
        chosen = gr.Dropdown(document_choices(services), label="选择要删除的文档", scale=4, allow_custom_value=True,
                             elem_id="gl-kb-remove-choice", elem_classes=ADMIN_CLASS)
        remove = gr.Button("删除所选文档", variant="stop", scale=1, elem_id="gl-kb-remove", elem_classes=ADMIN_CLASS)
        refresh = gr.Button("刷新列表", scale=1)
    removed = gr.Markdown("")
    with gr.Accordion("查看文档（全文、结构、元数据和效力状态）", open=False, elem_id="gl-kb-doc-panel") as doc_panel:
        viewing = ui_documents.viewer("gl-kb-doc", document_choices(services), "选择文档")
        with gr.Group(elem_classes=ADMIN_CLASS):  # the status action: admins only (and enforced in the handler)
            status, note, set_status, said = ui_documents.status_panel("gl-kb-doc")
    with gr.Accordion("命中测试（输入问题，看检索到哪些段落、得分和匹配的句子）", open=False, elem_id="gl-kb-hit-panel"):
        ui_retrieval_test.build(services, TYPE_CHOICES)
    # The values above are read when the app is built, usually before the starter build has written anything: a
    # page must not keep showing that moment. The timer follows the build and switches itself off when it is done.
    follow = gr.Timer(STARTUP_POLL_S, active=not services.startup.finished)

    listing = [table, stats, chosen]
    upload.click(admin_only(services, "upload", friendly(lambda fs, progress=gr.Progress(): ingest(services, fs, progress))),
                 files,
                 [summary, results, *listing], api_name="ingest", concurrency_limit=1, concurrency_id="ingest")
    search.click(friendly(lambda q, t: search_cards(services, q, t)), [query, doc_type], hits, api_name="kb_search",
                 concurrency_limit=4, concurrency_id="chat")
    query.submit(friendly(lambda q, t: search_cards(services, q, t)), [query, doc_type], hits,
                 api_visibility="private", concurrency_limit=4, concurrency_id="chat")
    remove.click(admin_only(services, "remove", friendly(lambda doc_id: remove_document(services, doc_id))), chosen,
                 [removed, *listing],
                 api_name="kb_remove", concurrency_limit=1, concurrency_id="ingest")
    refresh.click(lambda: current(services), None, listing, api_visibility="private")
    ui_documents.wire(services, "gl-kb-doc", *viewing, api_name="kb_document")
    doc_panel.expand(lambda: gr.Dropdown(choices=document_choices(services)), None, viewing[0],
                     api_visibility="private", queue=False)
    mark = admin_only(services, "status", friendly(lambda d, s, n: ui_documents.set_status(services, d, s, n)))
    set_status.click(mark, [viewing[0], status, note], [said, viewing[3]], api_name="kb_set_status",
                     concurrency_limit=1, concurrency_id="ingest").then(
        lambda: current(services), None, listing, api_visibility="private")
    follow.tick(lambda: following(services), None, [*listing, follow], show_progress="hidden",
                api_visibility="private", queue=False)
    return (lambda: current(services)), listing


def upload_help(services: Services) -> str:
    """What the upload accepts, as the loaders and settings have it today (formats, size limit, OCR on or off)."""
    settings = services.settings
    if settings.ocr == "off":
        scans = "扫描件（无文字层的 PDF 页）和图片的文字识别已关闭（GREENLEAF_OCR=off），这些页不会导入正文。"
    else:
        scans = ("扫描件（无文字层的 PDF 页）和图片（PNG/JPG/TIF）自动文字识别（OCR），每页约需几秒到十几秒；"
                 "识别把握不大的文字标为〖存疑：…〗，请对照原件核实。")
    return (f"### 上传文档\n支持 PDF、Word（.docx）、Markdown、TXT、HTML，单个文件不超过 {settings.max_file_mb:g} MB。"
            f"{scans}CSV、XLSX 表格按资料收入知识库；各单位的能耗数据请在“能耗数据”页导入。")


def ingest(services: Services, files: list[str] | None, progress: gr.Progress) -> tuple:
    """Check each upload, ingest the acceptable ones under their original names, report per file."""
    paths = [Path(f) for f in (files or [])]
    if not paths:
        raise gr.Error("请先选择要导入的文件。")
    limit = services.settings.max_file_mb * 1024 * 1024
    rows: list[list[str]] = []
    accepted: list[Path] = []
    for path in paths:
        if path.suffix.lower() not in UPLOAD_TYPES:
            rows.append([path.name, "未导入", f"不支持的文件格式“{path.suffix or '无扩展名'}”，请上传 PDF、DOCX、MD、TXT、HTML、图片（PNG/JPG/TIF）或表格（CSV/XLSX）。"])
        elif path.stat().st_size > limit:
            rows.append([path.name, "未导入", f"文件超过 {services.settings.max_file_mb:g} MB。"])
        else:
            accepted.append(path)
    if accepted:
        def report_progress(done: int, total: int, name: str) -> None:
            progress((done, total), desc=f"正在导入：{name}" if name else "正在更新索引", unit="个文件")

        report = services.kb.ingest(accepted, progress=report_progress, sources=[p.name for p in accepted])
        warnings: dict[str, list[str]] = {}
        for source, text in report.warnings:
            warnings.setdefault(source, []).append(text)
        for source in report.added:
            rows.append([source, "已导入", "；".join(warnings.get(source, [])) or "新增文档"])
        for source in report.updated:
            rows.append([source, "已更新", "；".join(warnings.get(source, [])) or "内容有变化，已替换旧版本"])
        for source in report.skipped:
            rows.append([source, "已跳过", "；".join(warnings.get(source, [])) or "与已导入的版本相同"])
        for source, reason in report.failed:
            rows.append([source, "失败", reason])
    ok = sum(1 for r in rows if r[1] in ("已导入", "已更新"))
    failed = sum(1 for r in rows if r[1] in ("失败", "未导入"))
    summary = f"共 {len(paths)} 个文件：成功 {ok} 个，跳过 {len(rows) - ok - failed} 个，失败 {failed} 个。"
    if ok:
        summary += "导入的内容现在可以在“智能问答”和右侧检索中找到。"
    return (summary, rows, *refreshed(services))


def search_cards(services: Services, query: str, doc_type: str | None) -> str:
    result = services.kb.search(query, k=8, doc_type=doc_type or None, explain=True)  # explain: the sentences
    if not result.hits:
        return ui_cards.empty("知识库中未找到相关内容。可换个说法，或先上传相关文件。")
    return ui_cards.source_cards(result.hits, heading="检索结果")


def remove_document(services: Services, doc_id: str | None) -> tuple:
    if not doc_id:
        raise gr.Error("请先在下拉框中选择要删除的文档。")
    removed = services.kb.remove(doc_id)
    names = "、".join(f"《{d.title}》" for d in removed)
    return (f"已删除 {names}，检索中不再出现。", *refreshed(services))


def refreshed(services: Services) -> tuple:
    """The list, counts and removal choices after a change (the removal choice is cleared)."""
    return document_rows(services), stats_text(services), gr.Dropdown(choices=document_choices(services), value=None)


def current(services: Services) -> tuple:
    """The list, counts and removal choices as they are now, keeping a removal choice the user has made."""
    return document_rows(services), stats_text(services), gr.Dropdown(choices=document_choices(services))


def following(services: Services) -> tuple:
    """One tick of the start-up timer: the current list, and the timer stays on only while start-up runs."""
    finished = services.startup.finished  # read first, so the last tick lists everything the build wrote
    return (*current(services), gr.Timer(active=not finished))


def document_rows(services: Services) -> list[list]:
    rows = []
    for d in services.kb.documents():
        notes = (["OCR 识别"] if d.ocr else []) + list(d.warnings)
        meta = d.to_dict()["meta"]
        status = meta["status"] + (f"（{meta['status_note']}）" if meta.get("status_note") else "")
        rows.append([d.doc_id, d.title, ui_cards.DOC_TYPES.get(d.doc_type, d.doc_type), d.chunks, Path(d.source).name,
                     meta.get("doc_number", ""), status, _time(d.ingested_at), "；".join(notes)])
    return rows


def document_choices(services: Services) -> list[tuple[str, str]]:
    return [(f"{d.title}（{Path(d.source).name}）", d.doc_id) for d in services.kb.documents()]


def stats_text(services: Services) -> str:
    docs = services.kb.documents()
    if not docs and not services.startup.finished:
        return "正在建立初始知识库，导入的文档会陆续列在下方，无需刷新页面。"
    if not docs:
        return "知识库还是空的：可以用下方的“上传文档”导入文件。"
    by_type: dict[str, int] = {}
    for d in docs:
        label = ui_cards.DOC_TYPES.get(d.doc_type, d.doc_type)
        by_type[label] = by_type.get(label, 0) + 1
    kinds = "，".join(f"{k} {v} 篇" for k, v in sorted(by_type.items(), key=lambda kv: -kv[1]))
    last = max(_time(d.ingested_at) for d in docs)
    return (f"**共 {len(docs)} 篇文档、{sum(d.chunks for d in docs)} 个片段**（{kinds}）；最近更新：{last}。")


def _time(stamp: str) -> str:
    """'2025-06-01T09:30:12+08:00' → '2025-06-01 09:30'."""
    return str(stamp or "").replace("T", " ")[:16]
