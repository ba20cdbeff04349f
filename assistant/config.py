"""Settings: one typed object built once from GREENLEAF_* environment variables and defaults.

Everything else receives a Settings instance; nothing below this module reads os.environ.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Mapping

from assistant.errors import ConfigError

DEFAULT_EMBED_MODEL = "BAAI/bge-small-zh-v1.5"
REPO_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Settings:
    """All configuration. Field docs name the environment variable that sets each field."""

    home: Path = field(default_factory=lambda: Path.home() / ".greenleaf")  # GREENLEAF_HOME
    corpus_dir: Path = REPO_ROOT / "corpus"  # GREENLEAF_CORPUS: the starter knowledge base
    embed_model: str | None = DEFAULT_EMBED_MODEL  # GREENLEAF_EMBED_MODEL: hub id, local folder, or "none"
    embed_device: str = "cpu"  # GREENLEAF_EMBED_DEVICE
    embed_backend: str = "auto"  # GREENLEAF_EMBED_BACKEND: auto|torch|onnx|onnx-int8|openvino (retrieval/embeddings.py)
    chroma_url: str | None = None  # GREENLEAF_CHROMA_URL: http://host:port switches to a Chroma server
    llm_base_url: str | None = None  # GREENLEAF_LLM_BASE_URL (or OPENAI_BASE_URL)
    llm_model: str | None = None  # GREENLEAF_LLM_MODEL (or OPENAI_MODEL)
    llm_api_key: str | None = None  # GREENLEAF_LLM_API_KEY (or OPENAI_API_KEY)
    llm_timeout_s: float = 60.0  # GREENLEAF_LLM_TIMEOUT
    max_file_mb: float = 50.0  # GREENLEAF_MAX_FILE_MB: larger files are refused
    parse_timeout_s: float = 120.0  # GREENLEAF_PARSE_TIMEOUT: per file, in the parsing subprocess
    # GREENLEAF_PARSE_MEMORY_MB: address-space limit of the parsing subprocess. 3 GB because OCR (onnxruntime)
    # reserves address space: an A4 page at 150 dpi peaked at 1.9 GB of it (0.8 GB resident); see OCR_AND_TABLES.md.
    parse_memory_mb: int = 3072
    chunk_chars: int = 400  # GREENLEAF_CHUNK_CHARS: target chunk length in characters
    chunk_overlap: int = 60  # GREENLEAF_CHUNK_OVERLAP: overlap when a long article is split
    max_question_chars: int = 2000  # GREENLEAF_MAX_QUESTION_CHARS
    ocr: str = "auto"  # GREENLEAF_OCR: auto | off
    auth: str | None = None  # GREENLEAF_AUTH: "user:pass,user2:pass2" or a path to such a file
    factors: Mapping[str, float] = field(default_factory=dict)  # GREENLEAF_FACTORS: "name=value,name=value"
    organ_name: str | None = None  # GREENLEAF_ORGAN_NAME: the issuing organ in the red 版头 of 公文 drafts
    # GREENLEAF_CITY: the city whose units the consumption data describe (the sample data's 海州市). Its name in a
    # question ("海州所有单位", "海州市财政局") is our own city, not another region's figures
    city: str = "海州市"

    @property
    def kb_db(self) -> Path:
        """SQLite file holding the document manifest and the stored chunks."""
        return self.home / "knowledge.sqlite3"

    @property
    def data_db(self) -> Path:
        """SQLite file holding consumption data, budgets and quotas."""
        return self.home / "data.sqlite3"

    @property
    def llm_configured(self) -> bool:
        return bool(self.llm_base_url and self.llm_model)

    def with_home(self, home: str | Path) -> "Settings":
        return replace(self, home=Path(home).expanduser())

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> "Settings":
        """Build settings from `env` (default os.environ); raise ConfigError on malformed values."""
        env = os.environ if env is None else env
        get = lambda name: (env.get(name) or "").strip() or None  # noqa: E731
        values: dict = {}
        if get("GREENLEAF_HOME"):
            values["home"] = Path(get("GREENLEAF_HOME")).expanduser()
        if get("GREENLEAF_CORPUS"):
            values["corpus_dir"] = Path(get("GREENLEAF_CORPUS")).expanduser()
        model = get("GREENLEAF_EMBED_MODEL")
        if model is not None:
            values["embed_model"] = None if model.lower() in {"none", "off", "0"} else model
        if get("GREENLEAF_EMBED_DEVICE"):
            values["embed_device"] = get("GREENLEAF_EMBED_DEVICE")
        backend = (get("GREENLEAF_EMBED_BACKEND") or "auto").lower()
        if backend not in {"auto", "torch", "onnx", "onnx-int8", "openvino"}:
            raise ConfigError("环境变量 GREENLEAF_EMBED_BACKEND 只能是 auto、torch、onnx、onnx-int8 或 openvino，"
                              f"实际为“{backend}”。")
        values["embed_backend"] = backend
        values["chroma_url"] = get("GREENLEAF_CHROMA_URL")
        values["llm_base_url"] = get("GREENLEAF_LLM_BASE_URL") or get("OPENAI_BASE_URL")
        values["llm_model"] = get("GREENLEAF_LLM_MODEL") or get("OPENAI_MODEL")
        values["llm_api_key"] = get("GREENLEAF_LLM_API_KEY") or get("OPENAI_API_KEY")
        for name, key, kind in (
            ("GREENLEAF_LLM_TIMEOUT", "llm_timeout_s", float),
            ("GREENLEAF_MAX_FILE_MB", "max_file_mb", float),
            ("GREENLEAF_PARSE_TIMEOUT", "parse_timeout_s", float),
            ("GREENLEAF_PARSE_MEMORY_MB", "parse_memory_mb", int),
            ("GREENLEAF_CHUNK_CHARS", "chunk_chars", int),
            ("GREENLEAF_CHUNK_OVERLAP", "chunk_overlap", int),
            ("GREENLEAF_MAX_QUESTION_CHARS", "max_question_chars", int),
        ):
            raw = get(name)
            if raw is None:
                continue
            try:
                number = kind(raw)
            except ValueError:
                raise ConfigError(f"环境变量 {name} 应为数字，实际为“{raw}”。") from None
            if number <= 0:
                raise ConfigError(f"环境变量 {name} 应为正数，实际为“{raw}”。")
            values[key] = number
        ocr = (get("GREENLEAF_OCR") or "auto").lower()
        if ocr not in {"auto", "off"}:
            raise ConfigError(f"环境变量 GREENLEAF_OCR 只能是 auto 或 off，实际为“{ocr}”。")
        values["ocr"] = ocr
        values["auth"] = get("GREENLEAF_AUTH")
        values["factors"] = _parse_factors(get("GREENLEAF_FACTORS"))
        values["organ_name"] = get("GREENLEAF_ORGAN_NAME")
        city = (get("GREENLEAF_CITY") or "").strip()
        if city:
            values["city"] = city
        return cls(**values)


def _parse_factors(raw: str | None) -> dict[str, float]:
    if not raw:
        return {}
    factors: dict[str, float] = {}
    for item in raw.split(","):
        if not item.strip():
            continue
        name, sep, value = item.partition("=")
        try:
            if not sep:
                raise ValueError
            factors[name.strip()] = float(value)
        except ValueError:
            raise ConfigError(
                f"环境变量 GREENLEAF_FACTORS 的“{item.strip()}”格式不对，应为 名称=数值，例如 grid_co2_kg_per_kwh=0.5306。"
            ) from None
    return factors


def load_users(auth: str | None) -> list[tuple[str, str]]:
    """Users from GREENLEAF_AUTH: "user:pass,user2:pass2", or a path to a file with one user:pass per line."""
    if not auth:
        return []
    path = Path(auth).expanduser()
    if path.is_file():
        try:
            raw = path.read_text(encoding="utf-8-sig")
        except OSError as error:
            raise ConfigError(f"无法读取登录用户文件 {path}：{error.strerror or error}。") from None
        items = [line.strip() for line in raw.splitlines() if line.strip() and not line.lstrip().startswith("#")]
        origin = f"登录用户文件 {path}"
    else:
        if "/" in auth and ":" not in auth:
            raise ConfigError(f"GREENLEAF_AUTH 指向的文件 {auth} 不存在。")
        items = [item.strip() for item in auth.split(",") if item.strip()]
        origin = "环境变量 GREENLEAF_AUTH"
    users = []
    for number, item in enumerate(items, start=1):
        name, sep, password = item.partition(":")
        if not sep or not name.strip() or not password:
            raise ConfigError(f"{origin} 第{number}项“{name.strip() or item}”格式不对，应为 用户名:密码。")
        users.append((name.strip(), password))
    return users
