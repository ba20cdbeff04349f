"""What this installation can do and what is missing: the report behind `greenleaf doctor` and the page's 运行状态.

Looks, never repairs: the embedding model (its folder, or the Hugging Face cache; else lexical-only), OCR
(rapidocr imported in a child process, as the parse worker imports it, and its model files), the LLM endpoint
(configured, and answering GET {base_url}/models within 3 s; the key is never shown), knowledge-base and data
counts, whether the home folder is writable, free disk. Loads no model and creates no home folder.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from assistant.config import Settings

LLM_PROBE_TIMEOUT_S = 3.0
LOW_DISK_BYTES = 1 << 30  # below 1 GB an ingest with OCR or a model download may not fit
OCR_IMPORT_TIMEOUT_S = 60.0

# ok: works; off: turned off by configuration; warn: works in a lesser way (lexical only, offline, no OCR);
# fail: something the application needs is broken.
STATUS_MARKS = {"ok": "✓", "off": "–", "warn": "!", "fail": "✗"}
STATUS_WORDS = {"ok": "正常", "off": "未启用", "warn": "注意", "fail": "故障"}


@dataclass(frozen=True)
class Check:
    """One item of the report: a status, one Chinese sentence, and the facts behind it (plain JSON values)."""

    name: str  # embedding | ocr | llm | knowledge_base | data | home | disk
    label: str  # the item's Chinese name, e.g. 语义检索模型
    status: str  # ok | off | warn | fail
    summary: str
    facts: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return {"status": self.status, "summary": self.summary, **self.facts}

    def line(self) -> str:
        return f"{STATUS_MARKS[self.status]} {self.label}：{self.summary}"


@dataclass(frozen=True)
class Report:
    home: Path
    checks: tuple[Check, ...]

    @property
    def status(self) -> str:
        """fail if anything failed, else warn if anything works in a lesser way, else ok (off is a choice)."""
        return next(s for s in ("fail", "warn", "ok") if s == "ok" or any(c.status == s for c in self.checks))

    def check(self, name: str) -> Check:
        return next(c for c in self.checks if c.name == name)

    @property
    def notices(self) -> list[str]:
        """Longer texts that go with the lines: what to do about a missing model."""
        return [c.facts["notice"] for c in self.checks if c.facts.get("notice")]

    def to_dict(self) -> dict[str, Any]:
        return {"status": self.status, **{c.name: c.to_dict() for c in self.checks}}

    def text(self) -> str:
        lines = [f"绿叶智答运行状态（主目录 {self.home}）："] + ["  " + c.line() for c in self.checks]
        return "\n".join(lines + [f"\n{n}" for n in self.notices])


def diagnose(settings: Settings, retrieval_mode: str | None = None, model_problem: str | None = None,
             llm_timeout_s: float = LLM_PROBE_TIMEOUT_S) -> Report:
    """Check everything. A running process that has already loaded (or failed to load) the model passes what
    happened as `retrieval_mode` ("hybrid"/"lexical") and `model_problem`; otherwise the model is looked for only."""
    with ThreadPoolExecutor(max_workers=2) as pool:  # the two slow ones (a child process, a request) side by side
        ocr = pool.submit(check_ocr, settings)
        llm = pool.submit(check_llm, settings, llm_timeout_s)
        checks = (check_embedding(settings, retrieval_mode, model_problem), ocr.result(), llm.result(),
                  check_knowledge_base(settings), check_data(settings), check_home(settings), check_disk(settings))
    return Report(settings.home, checks)


# ---------------------------------------------------------------- the checks


def check_embedding(settings: Settings, retrieval_mode: str | None = None,
                    model_problem: str | None = None) -> Check:
    from assistant.retrieval.embeddings import locate_model, missing_model_notice

    model = settings.embed_model
    label = "语义检索模型"
    if not model:
        return Check("embedding", label, "off", "已按配置关闭（GREENLEAF_EMBED_MODEL=none），只用关键词检索（BM25）。",
                     {"model": None, "found": False, "path": None, "looked_in": None, "mode": "lexical",
                      "notice": None})
    path, looked_in = locate_model(model)
    mode = retrieval_mode or ("hybrid" if path else "lexical")
    facts = {"model": model, "found": path is not None, "path": str(path) if path else None,
             "looked_in": str(looked_in) if looked_in else None, "mode": mode, "notice": None}
    if path and mode == "hybrid":
        facts["backend"] = backend = check_backend(settings, path)
        return Check("embedding", label, "ok", f"已找到 {model}（{path}），使用关键词 + 语义混合检索；{backend['summary']}",
                     facts)
    facts["notice"] = model_problem or missing_model_notice(model, "not found" if path is None else "load failed")
    if path:
        summary = f"找到 {model}（{path}），但加载失败，只用关键词检索（BM25）。"
    elif looked_in == Path(model).expanduser().absolute():
        summary = f"模型文件夹 {looked_in} 不存在，只用关键词检索（BM25）。"
    else:
        where = f"在 Hugging Face 缓存 {looked_in} 中查找" if looked_in else "未安装 huggingface_hub，无法查找缓存"
        summary = f"未找到 {model}（{where}），只用关键词检索（BM25）。"
    return Check("embedding", label, "warn", summary, facts)


def check_backend(settings: Settings, model_path: Path) -> dict:
    """How query vectors are computed (GREENLEAF_EMBED_BACKEND): the runtime installed, the ONNX export made, and a
    fallback the last start announced. Looks only: the export is made on the first search."""
    from assistant.retrieval.embeddings import BACKEND_NOTICE_MARKER
    from assistant.retrieval.onnx_export import export_dir_for, read_record

    wanted = settings.embed_backend
    runtimes = {name: importlib.util.find_spec(module) is not None
                for name, module in (("onnx", "onnxruntime"), ("openvino", "openvino"))}
    export_dir = export_dir_for(model_path, settings.home / "models")
    record = read_record(export_dir, model_path) if export_dir else None
    facts: dict[str, Any] = {"wanted": wanted, "runtimes": runtimes, "export": str(export_dir) if record else None,
                             "query_graph": (("int8" if wanted == "onnx-int8" and record["int8"] else "float")
                                             if record else None),
                             "fallback": None}
    try:
        facts["fallback"] = (settings.home / BACKEND_NOTICE_MARKER).read_text(encoding="utf-8") or None
    except OSError:
        pass
    if wanted == "torch" or not any(runtimes.values()):
        facts["summary"] = "查询向量用 torch 计算。" if wanted == "torch" else "未安装 onnxruntime/OpenVINO，查询向量用 torch 计算。"
    elif facts["fallback"]:
        _, asked, used = (facts["fallback"].split("|") + ["", "", ""])[:3]
        facts["summary"] = f"上次启动时 {asked} 后端未能加载，改用了 {used}（原因见启动时的提示）。"
    elif record:
        facts["summary"] = f"查询向量用 ONNX 导出模型计算（{facts['query_graph']}，{export_dir}）。"
    else:
        facts["summary"] = "首次检索时将把模型导出为 ONNX（约半分钟），此后查询向量不再需要 torch。"
    return facts


def check_ocr(settings: Settings) -> Check:
    label = "扫描件文字识别（OCR）"
    facts: dict[str, Any] = {"enabled": settings.ocr != "off", "importable": None, "models": [],
                             "missing_models": [], "error": None}
    if settings.ocr == "off":
        return Check("ocr", label, "off", "已按配置关闭（GREENLEAF_OCR=off），扫描件不做文字识别。", facts)
    spec = importlib.util.find_spec("rapidocr_onnxruntime")
    if spec is None or not spec.origin:
        facts["importable"] = False
        return Check("ocr", label, "warn", "未安装 rapidocr-onnxruntime，扫描件无法识别；请重新运行 make run。", facts)
    package = Path(spec.origin).parent
    models = _ocr_model_files(package)
    facts["models"] = [str(p) for p in models]
    facts["missing_models"] = [str(p) for p in models if not p.is_file()]
    error = _import_error("rapidocr_onnxruntime")
    facts["importable"], facts["error"] = error is None, error
    if error:
        hint = ("缺少 OpenCV 需要的系统库，请运行 scripts/system-packages.sh run（make run 会运行它）"
                if any(lib in error for lib in ("libGL", "libgthread", "libglib")) else "请重新运行 make run")
        return Check("ocr", label, "warn", f"无法加载 rapidocr：{error}。扫描件无法识别；{hint}。", facts)
    if not models or facts["missing_models"]:
        return Check("ocr", label, "warn", f"rapidocr 的模型文件不全（{package / 'models'}），扫描件无法识别；"
                                           "请重新安装 rapidocr-onnxruntime。", facts)
    return Check("ocr", label, "ok", f"可用（rapidocr，{len(models)} 个模型文件在 {package / 'models'}）。", facts)


def check_llm(settings: Settings, timeout_s: float = LLM_PROBE_TIMEOUT_S) -> Check:
    label = "大模型接口"
    base_url = settings.llm_base_url
    facts: dict[str, Any] = {"configured": settings.llm_configured, "base_url": _display_url(base_url),
                             "model": settings.llm_model, "api_key_set": bool(settings.llm_api_key),
                             "reachable": None, "http_status": None, "model_listed": None, "seconds": None,
                             "error": None}
    if not base_url:
        return Check("llm", label, "off", "未配置（GREENLEAF_LLM_BASE_URL 为空），使用离线模式回答。", facts)
    import httpx

    url = base_url.rstrip("/") + "/models"
    headers = {"Authorization": f"Bearer {settings.llm_api_key}"} if settings.llm_api_key else {}
    started = time.monotonic()
    try:
        response = httpx.get(url, headers=headers, timeout=timeout_s, follow_redirects=True)
    except httpx.TimeoutException:
        facts.update(reachable=False, error="timeout", seconds=round(time.monotonic() - started, 2))
        return Check("llm", label, "warn", f"{facts['base_url']} 在 {timeout_s:g} 秒内没有响应，提问将改用离线模式。",
                     facts)
    except httpx.HTTPError as error:
        reason = type(error).__name__
        facts.update(reachable=False, error=reason, seconds=round(time.monotonic() - started, 2))
        return Check("llm", label, "warn", f"无法连接 {facts['base_url']}（{reason}），提问将改用离线模式。", facts)
    facts.update(reachable=True, http_status=response.status_code, seconds=round(time.monotonic() - started, 2))
    if response.status_code == 200:
        facts["model_listed"] = _lists_model(response, settings.llm_model)
    if not settings.llm_model:
        return Check("llm", label, "warn", f"{facts['base_url']} 可连接，但未设置模型名（GREENLEAF_LLM_MODEL），"
                                           "目前使用离线模式。", facts)
    if response.status_code in (401, 403):
        return Check("llm", label, "warn", f"{facts['base_url']} 可连接，但拒绝了密钥（HTTP {response.status_code}），"
                                           "请检查 GREENLEAF_LLM_API_KEY。", facts)
    if response.status_code >= 500:
        return Check("llm", label, "warn", f"{facts['base_url']} 出错（HTTP {response.status_code}），"
                                           "提问可能改用离线模式。", facts)
    listed = {True: f"，模型 {settings.llm_model} 在其模型列表中",
              False: f"，但模型列表中没有 {settings.llm_model}，请核对模型名"}.get(facts["model_listed"], "")
    status = "warn" if facts["model_listed"] is False else "ok"
    return Check("llm", label, status, f"{facts['base_url']} 可连接（HTTP {response.status_code}，"
                                       f"{facts['seconds']:.2f} 秒）{listed}。", facts)


def check_knowledge_base(settings: Settings) -> Check:
    from assistant.retrieval.manifest import read_counts

    label = "知识库"
    try:
        documents, chunks = read_counts(settings.kb_db)
    except sqlite3.Error as error:
        return Check("knowledge_base", label, "fail", f"无法读取 {settings.kb_db}：{error}。",
                     {"documents": None, "chunks": None, "path": str(settings.kb_db)})
    facts = {"documents": documents, "chunks": chunks, "path": str(settings.kb_db)}
    if not documents:
        return Check("knowledge_base", label, "warn", "还是空的：首次打开网页时会导入内置知识库，"
                                                      "也可用 greenleaf ingest 导入文件。", facts)
    return Check("knowledge_base", label, "ok", f"{documents} 篇文档，{chunks} 个片段。", facts)


def check_data(settings: Settings) -> Check:
    from assistant.records.store import DataStore

    label = "能耗数据"
    facts: dict[str, Any] = {"institutions": 0, "years": [], "records": 0, "budgets": 0, "quotas": 0,
                             "path": str(settings.data_db)}
    if settings.data_db.exists():
        try:
            with DataStore.open(settings) as store:
                counts, years = store.counts(), store.years()
        except sqlite3.Error as error:
            return Check("data", label, "fail", f"无法读取 {settings.data_db}：{error}。", facts)
        facts.update(institutions=counts["institutions"], years=years, records=counts["rows"],
                     budgets=counts["budgets"], quotas=counts["quotas"])
    if not facts["records"]:
        return Check("data", label, "warn", "尚无能耗数据：首次打开网页时会导入样例数据，"
                                            "也可用 greenleaf data import 导入。", facts)
    years = facts["years"]
    span = f"{years[0]}–{years[-1]} 年" if len(years) > 1 else f"{years[0]} 年"
    return Check("data", label, "ok", f"{facts['institutions']} 家单位，{span}，{facts['records']} 行能耗数据，"
                                      f"{facts['budgets']} 条预算，{facts['quotas']} 条定额。", facts)


def check_home(settings: Settings) -> Check:
    label = "主目录"
    home = settings.home
    facts: dict[str, Any] = {"path": str(home), "exists": home.exists(), "writable": False}
    if home.exists():
        try:
            with tempfile.TemporaryFile(dir=home):
                pass
        except OSError as error:
            return Check("home", label, "fail", f"{home} 不可写（{error.strerror or error}），无法导入或保存。", facts)
        facts["writable"] = True
        return Check("home", label, "ok", f"{home} 可写。", facts)
    parent = _existing_ancestor(home)
    facts["writable"] = os.access(parent, os.W_OK | os.X_OK)
    if not facts["writable"]:
        return Check("home", label, "fail", f"{home} 不存在，且无法在 {parent} 下创建。", facts)
    return Check("home", label, "ok", f"{home} 尚未创建，首次使用时创建（{parent} 可写）。", facts)


def check_disk(settings: Settings) -> Check:
    where = _existing_ancestor(settings.home)
    usage = shutil.disk_usage(where)
    facts = {"path": str(where), "free_bytes": usage.free, "total_bytes": usage.total,
             "free_gb": round(usage.free / (1 << 30), 1)}
    summary = f"{where} 所在磁盘剩余 {facts['free_gb']} GB（共 {usage.total / (1 << 30):.0f} GB）"
    if usage.free < LOW_DISK_BYTES:
        return Check("disk", "磁盘空间", "warn", summary + "，不足 1 GB，导入大文件可能失败。", facts)
    return Check("disk", "磁盘空间", "ok", summary + "。", facts)


# ---------------------------------------------------------------- helpers


def _ocr_model_files(package: Path) -> list[Path]:
    """The model files rapidocr's own config.yaml names (det, cls, rec), resolved inside the package."""
    import yaml

    try:
        config = yaml.safe_load((package / "config.yaml").read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError):
        return []
    return [package / section["model_path"] for section in config.values()
            if isinstance(section, dict) and section.get("model_path")]


def _import_error(module: str) -> str | None:
    """Import `module` in a fresh interpreter (a missing shared library shows there as it would in the parse
    worker); None when it imports, else the error's last line."""
    try:
        done = subprocess.run([sys.executable, "-c", f"import {module}"], capture_output=True, text=True,
                              timeout=OCR_IMPORT_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        return f"导入超过 {OCR_IMPORT_TIMEOUT_S:g} 秒"
    if done.returncode == 0:
        return None
    lines = [line.strip() for line in done.stderr.splitlines() if line.strip()]
    return lines[-1] if lines else f"exit {done.returncode}"


def _lists_model(response: Any, model: str | None) -> bool | None:
    """Whether an OpenAI-style /models answer ({"data": [{"id": ...}]}) names `model`; None when it cannot tell."""
    try:
        ids = {item.get("id") for item in response.json().get("data", []) if isinstance(item, dict)}
    except (ValueError, AttributeError):
        return None
    return (model in ids) if ids and model else None


def _display_url(url: str | None) -> str | None:
    """The endpoint without user:password@ or a query string, where a key could hide."""
    if not url:
        return None
    parts = urlsplit(url)
    host = parts.hostname or ""
    host = f"[{host}]" if ":" in host else host
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def _existing_ancestor(path: Path) -> Path:
    path = path.expanduser().absolute()
    while not path.exists() and path != path.parent:
        path = path.parent
    return path
