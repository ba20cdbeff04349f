"""The sentence-transformers model exported once to ONNX, for the fast embedder (embeddings.OnnxEmbedder).

The export runs in a child process (`python -m assistant.retrieval.onnx_export MODEL_DIR OUT_DIR`), so the process
that serves searches never imports torch. The graph is the model's own forward pass (transformer, pooling,
normalisation) traced on CPU: `model.onnx` gives torch's vectors, for documents and (unless asked otherwise) queries.
`model_int8.onnx` embeds queries for GREENLEAF_EMBED_BACKEND=onnx-int8, one at a time: the same graph with the
weights of the MatMuls that read a LayerNorm output (query/key/value, FFN-up) dynamically quantized to int8, per
channel. The attention-output and
FFN-down projections stay float: their inputs have outliers that per-tensor activation quantization clips, and
all-int8 agreed only 0.98 (min cosine) with torch on the test model, this recipe 0.992. Every file is checked against the torch model on probe texts
(token ids equal, cosine ≥ the thresholds below) before it is kept, and export.json records the check.
Not handled: models without a fast (tokenizers) tokenizer, or with inputs other than input_ids / attention_mask /
token_type_ids; those stay on torch.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import sysconfig
import time
from pathlib import Path

RECIPE = "1"  # bump when the export changes: older exports are then made again
FOLDER = "onnx-greenleaf"  # beside the model; not sentence-transformers' own onnx/ (that one holds other outputs)
RECORD = "export.json"
FP32_FILE, INT8_FILE, TOKENIZER_FILE = "model.onnx", "model_int8.onnx", "tokenizer.json"
FP32_MIN_COSINE = 0.9999  # the float graph is the same computation: anything less is a tracing error
INT8_MIN_COSINE = 0.99  # below this the int8 file is not kept and the float graph is used instead
TOKEN_INPUTS = {"input_ids": "ids", "attention_mask": "attention_mask", "token_type_ids": "type_ids"}
EXPORT_TIMEOUT_S = 900.0
PROBES = [  # short and long, Chinese and English, one over the length limit: tokenizer, padding and truncation
    "公共机构节能条例第十五条讲什么",
    "公共机构应当在每年3月31日之前，向本级人民政府管理机关事务工作的机构报送上一年度能源消费状况报告。",
    "合同能源管理（EMC）是节能服务公司与用能单位以契约形式约定节能目标的机制",
    "How cold may the office air conditioning be set in summer?",
    "Energy audit 能源审计 of public institutions, 2025年度统计",
    "节能",
    "夏季室内空调温度设置不得低于26摄氏度，冬季不得高于20摄氏度。" * 12,
]


class ExportFailed(RuntimeError):
    """The model could not be exported or failed its check; the embedder falls back and says why."""


def export_dir_for(model_dir: Path, home_models: Path | None) -> Path | None:
    """Where the export of `model_dir` lives: beside the model when its folder is writable and not inside a Python
    installation (in site-packages a reinstall would drop it and an uninstall leave it behind), else in the home
    folder's models/ (None when there is no home either)."""
    model_dir = model_dir.resolve()
    installed = {Path(sysconfig.get_paths()[key]).resolve() for key in ("purelib", "platlib")}
    inside_python = any(root == model_dir or root in model_dir.parents for root in installed)
    if not inside_python and os.access(model_dir, os.W_OK):
        return model_dir / FOLDER
    if home_models is None:
        return None
    slug = re.sub(r"[^a-zA-Z0-9]+", "-", model_dir.name).strip("-").lower()[:40] or "model"
    return home_models / f"{slug}-{hashlib.sha1(str(model_dir).encode()).hexdigest()[:8]}"


def ensure_export(model_dir: Path, out_dir: Path, timeout_s: float = EXPORT_TIMEOUT_S) -> dict:
    """The export's record, exporting first (in a child process, once, under a file lock) when it is missing or
    was made from other model files or by another recipe. Raises ExportFailed with the reason."""
    from filelock import FileLock

    record = read_record(out_dir, model_dir)
    if record is not None:
        return record
    try:
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        lock = FileLock(str(out_dir) + ".lock")
        lock.acquire(timeout=timeout_s)
    except OSError as error:
        raise ExportFailed(f"cannot write {out_dir.parent}: {error}") from None
    try:
        record = read_record(out_dir, model_dir)  # another process may have made it while we waited
        if record is not None:
            return record
        print(f"首次使用：正在把嵌入模型导出为 ONNX（只做一次，约半分钟）→ {out_dir}\n"
              f"First use: exporting the embedding model to ONNX (once, about half a minute) → {out_dir}",
              file=sys.stderr)
        command = [sys.executable, "-m", "assistant.retrieval.onnx_export", str(model_dir), str(out_dir)]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=timeout_s)
        except subprocess.TimeoutExpired:
            raise ExportFailed(f"export took longer than {timeout_s:.0f} s") from None
        if done.returncode != 0:
            lines = [line for line in done.stderr.strip().splitlines() if line.strip()]
            raise ExportFailed(lines[-1] if lines else f"export exited with {done.returncode}")
    finally:
        lock.release()
    record = read_record(out_dir, model_dir)
    if record is None:
        raise ExportFailed(f"export finished but {out_dir / RECORD} is missing or stale")
    return record


def read_record(out_dir: Path, model_dir: Path) -> dict | None:
    """export.json when it belongs to these model files and this recipe and its files are there, else None."""
    try:
        record = json.loads((out_dir / RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if record.get("recipe") != RECIPE or record.get("source_digest") != source_digest(model_dir):
        return None
    files = [record.get("fp32"), record.get("int8"), TOKENIZER_FILE]
    if not all((out_dir / name).is_file() for name in files if name):
        return None
    return record


def source_digest(model_dir: Path) -> str:
    """Identifies the model's files (names, sizes, modification times), not counting an export inside it."""
    h = hashlib.sha256()
    for path in sorted(model_dir.rglob("*")):
        rel = path.relative_to(model_dir)
        if rel.parts[0] == FOLDER or rel.parts[0].startswith(".") or not path.is_file():
            continue
        stat = path.stat()
        h.update(f"{rel.as_posix()}\t{stat.st_size}\t{stat.st_mtime_ns}\n".encode())
    return h.hexdigest()[:16]


# ---------------------------------------------------------------- the child process


def export(model_dir: Path, out_dir: Path) -> dict:
    """Trace, quantize and check; write the files and export.json into `out_dir` (replaced as a whole)."""
    import warnings

    warnings.filterwarnings("ignore")  # the tracer's warnings are about shapes the check below covers
    import numpy as np
    import torch
    from sentence_transformers import SentenceTransformer
    from tokenizers import Tokenizer

    start = time.perf_counter()
    torch.set_num_threads(max(1, os.cpu_count() or 1))
    model = SentenceTransformer(str(model_dir), device="cpu", local_files_only=True)
    model.eval()
    features = model.preprocess(PROBES)
    inputs = [name for name, value in features.items() if isinstance(value, torch.Tensor)]
    unknown = [name for name in inputs if name not in TOKEN_INPUTS]
    if unknown:
        raise ExportFailed(f"model inputs {unknown} are not supported")
    backend_tokenizer = getattr(model.tokenizer, "backend_tokenizer", None)
    if backend_tokenizer is None:
        raise ExportFailed("the model has no fast tokenizer (tokenizer.json)")
    tokenizer = Tokenizer.from_str(backend_tokenizer.to_str())
    tokenizer.enable_truncation(model.max_seq_length)
    tokenizer.enable_padding(pad_id=model.tokenizer.pad_token_id or 0, pad_token=model.tokenizer.pad_token or "[PAD]")
    encoded = tokenizer.encode_batch(PROBES)
    for name in inputs:
        ours = np.array([getattr(e, TOKEN_INPUTS[name]) for e in encoded])
        if ours.shape != tuple(features[name].shape) or not (ours == features[name].numpy()).all():
            raise ExportFailed(f"the tokenizer does not reproduce sentence-transformers' {name}")
    with torch.no_grad():
        reference = model.encode(PROBES, normalize_embeddings=True, convert_to_numpy=True, batch_size=len(PROBES))

    tmp = out_dir.parent / f".{out_dir.name}.tmp-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    try:
        _trace(model, features, inputs, tmp / FP32_FILE)
        tokenizer.save(str(tmp / TOKENIZER_FILE))
        fp32 = _agreement(tmp / FP32_FILE, tokenizer, inputs, reference, batched=True)
        if fp32["min"] < FP32_MIN_COSINE:
            raise ExportFailed(f"the traced graph disagrees with torch (min cosine {fp32['min']:.5f})")
        _quantize(tmp / FP32_FILE, tmp / INT8_FILE)
        int8 = _agreement(tmp / INT8_FILE, tokenizer, inputs, reference, batched=False)  # queries: one at a time
        keep_int8 = int8["min"] >= INT8_MIN_COSINE
        if not keep_int8:
            (tmp / INT8_FILE).unlink()
        record = {
            "recipe": RECIPE, "source": str(model_dir), "source_digest": source_digest(model_dir),
            "fp32": FP32_FILE, "int8": INT8_FILE if keep_int8 else None, "inputs": inputs,
            "max_seq_length": model.max_seq_length, "dimension": int(reference.shape[1]),
            "agreement": {"fp32": fp32, "int8": int8, "probes": len(PROBES)},
            "int8_rejected": None if keep_int8 else f"min cosine {int8['min']:.4f} < {INT8_MIN_COSINE}",
            "seconds": round(time.perf_counter() - start, 1),
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
            "versions": _versions(),
        }
        (tmp / RECORD).write_text(json.dumps(record, ensure_ascii=False, indent=1), encoding="utf-8")
        if out_dir.exists():
            shutil.rmtree(out_dir)
        tmp.rename(out_dir)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return record


def _trace(model, features, inputs: list[str], path: Path) -> None:
    import torch

    class Forward(torch.nn.Module):
        """The sentence-transformers pipeline with positional tensor inputs, as the ONNX tracer needs."""

        def __init__(self) -> None:
            super().__init__()
            self.model = model

        def forward(self, *tensors):
            batch = dict(zip(inputs, tensors))
            batch["modality"] = "text"
            return self.model(batch)["sentence_embedding"]

    axes = {name: {0: "batch", 1: "tokens"} for name in inputs}
    axes["sentence_embedding"] = {0: "batch"}
    with torch.no_grad():
        torch.onnx.export(Forward().eval(), tuple(features[name] for name in inputs), str(path),
                          input_names=inputs, output_names=["sentence_embedding"], dynamic_axes=axes,
                          opset_version=17, dynamo=False)


def _quantize(source: Path, target: Path) -> None:
    """int8 weights (per channel) for the MatMuls that read a LayerNorm output: the query, key and value and the
    FFN-up projections. Normalised inputs suit a per-tensor activation scale; the attention output and FFN-down
    projections read the attention context and the GELU output, whose outliers it would clip, and stay float."""
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    graph = onnx.load(str(source)).graph
    weights = {t.name for t in graph.initializer}
    made_by = {output: node.op_type for node in graph.node for output in node.output}
    nodes = [node.name for node in graph.node if node.op_type == "MatMul"
             and any(name in weights for name in node.input)
             and any(made_by.get(name, "").endswith("LayerNormalization") for name in node.input)]
    quantize_dynamic(str(source), str(target), weight_type=QuantType.QInt8, per_channel=True,
                     nodes_to_quantize=nodes, extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT})


def _agreement(path: Path, tokenizer, inputs: list[str], reference, batched: bool) -> dict:
    """Cosine between this graph's vectors (one by one, and in one padded batch when `batched`) and torch's."""
    import numpy as np
    import onnxruntime as ort

    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])

    def run(texts: list[str]):
        encoded = tokenizer.encode_batch(texts)
        feed = {name: np.array([getattr(e, TOKEN_INPUTS[name]) for e in encoded], dtype=np.int64) for name in inputs}
        out = session.run(None, feed)[0]
        return out / np.linalg.norm(out, axis=1, keepdims=True)

    single = np.vstack([run([text]) for text in PROBES])
    cosines = (single * reference).sum(1)
    if batched:
        cosines = np.concatenate([cosines, (run(PROBES) * reference).sum(1)])
    return {"min": round(float(cosines.min()), 5), "mean": round(float(cosines.mean()), 5)}


def _versions() -> dict:
    from importlib.metadata import PackageNotFoundError, version

    out = {}
    for name in ("sentence-transformers", "transformers", "torch", "onnx", "onnxruntime"):
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = None
    return out


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2:
        print("usage: python -m assistant.retrieval.onnx_export MODEL_DIR OUT_DIR", file=sys.stderr)
        return 2
    try:
        record = export(Path(args[0]), Path(args[1]))
    except ExportFailed as error:
        print(f"export failed: {error}", file=sys.stderr)
        return 1
    except Exception as error:  # noqa: BLE001 - any failure is reported to the parent as one line
        print(f"export failed: {type(error).__name__}: {error}", file=sys.stderr)
        return 1
    print(json.dumps(record["agreement"]), file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
