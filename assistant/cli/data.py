"""`greenleaf data import|list`, `greenleaf indicators` and `greenleaf tool NAME --arg k=v`: thin shells over
assistant.records.store and tools/. `--json` prints one JSON object on stdout; messages go to stderr.
"""

from __future__ import annotations

import argparse
import inspect
import typing
from pathlib import Path
from typing import Any

from assistant.cli.audit import files_detail, record
from assistant.cli.output import err, json_flag, print_json
from assistant.config import Settings
from assistant.errors import DataError


def register_cli(sub: Any) -> None:
    data = sub.add_parser("data", help="导入和查看能耗数据、用能预算、能耗定额")
    actions = data.add_subparsers(dest="data_command", metavar="ACTION")
    p = actions.add_parser("import", help="导入 CSV（UTF-8 或 GBK）、XLSX 或 XLS：能耗数据、预算表或定额表（按表头识别），"
                                          "并列出读法（表头、各列单位换算、年份来源、跳过的行）")
    p.add_argument("files", nargs="+")
    p.add_argument("--dry-run", action="store_true", help="只显示读法和将写入的前几行，不写入")
    p.add_argument("--year", type=int, help="表中没有年份时使用的统计年份（覆盖从标题、工作表名、文件名读出的年份）")
    json_flag(p).set_defaults(handler=cmd_data_import)
    json_flag(actions.add_parser("list", help="列出已导入的单位和统计期")).set_defaults(handler=cmd_data_list)

    p = sub.add_parser("indicators", help="某单位某年的能耗指标")
    p.add_argument("--institution", required=True, help="单位名称或简称；“全部”为全部单位合计")
    p.add_argument("--year", required=True, type=int)
    json_flag(p).set_defaults(handler=cmd_indicators)

    p = sub.add_parser("tool", help="从命令行调用任一工具，例如 greenleaf tool compare --arg institution=行政中心 ...")
    p.add_argument("name", nargs="?", help="工具名；省略并加 --list 列出全部工具")
    p.add_argument("--arg", action="append", default=[], metavar="KEY=VALUE", help="工具参数，可重复")
    p.add_argument("--list", action="store_true", help="列出全部工具及参数")
    json_flag(p).set_defaults(handler=cmd_tool)


def cmd_data_import(args: argparse.Namespace, settings: Settings) -> int:
    """Read each file, print how it was read (header, columns → fields and units, year, skipped rows, first rows),
    and write it unless --dry-run. Exit 1 when any file has errors or open questions."""
    from assistant.records.layout import Choices
    from assistant.records.store import DataStore

    choices = Choices(year=args.year) if args.year else None
    results: list[dict] = []
    failed = 0
    with DataStore.open(settings) as store:
        for name in args.files:
            try:
                report = store.read_file(Path(name), choices)
                if report.ok and not args.dry_run:
                    report = store.commit(report)
                    record(settings, "import", name, {"files": files_detail([name])})
            except DataError as error:
                failed += 1
                results.append({"file": name, "ok": False, "written": False, "error": str(error),
                                "problems": error.problems, "questions": []})
                err(f"错误：{error}")
                continue
            failed += not report.ok
            results.append({**report.to_dict(), "file": name,
                            **({} if report.ok else {"error": report.summary()})})
            if not args.json:
                print(report.text() + "\n")
            err(report.summary())
    if args.json:
        print_json({"files": results, "imported": sum(1 for r in results if r.get("written")), "failed": failed,
                    "dry_run": bool(args.dry_run)})
    elif args.dry_run:
        err("预览（--dry-run）：没有写入任何数据。")
    return 1 if failed else 0


def cmd_data_list(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.records.store import DataStore

    with DataStore.open(settings) as store:
        infos = store.institutions()
        counts = store.counts()
    if args.json:
        print_json({"institutions": [i.to_dict() for i in infos], **{k: v for k, v in counts.items()
                                                                        if k != "institutions"}})
        return 0
    for i in infos:
        print(f"{i.name}\t{i.category or '未分类'}\t{i.first_period}–{i.last_period}\t{i.periods}期")
    err(f"共 {len(infos)} 家单位，{counts['rows']} 行能耗数据，{counts['budgets']} 条预算，{counts['quotas']} 条定额。")
    return 0


def cmd_indicators(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.records.store import DataStore
    from tools.energy import indicators

    with DataStore.open(settings) as store:
        result = indicators(store, args.institution, args.year)
    if args.json:
        print_json(result.to_dict())
    else:
        print(result.explain())
    return 0


def cmd_tool(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.records.store import DataStore
    from tools import STORE_TOOLS, TOOLS

    by_name = {f.__name__: f for f in TOOLS}
    if args.list or not args.name:
        listing = [{"name": n, "description": (inspect.getdoc(f) or "").splitlines()[0],
                    "params": [p for p in inspect.signature(f).parameters if p != "store"]} for n, f in by_name.items()]
        if args.json:
            print_json({"tools": listing})
        else:
            for t in listing:
                print(f"{t['name']}({', '.join(t['params'])})  {t['description']}")
        return 0 if args.list else 2
    func = by_name.get(args.name)
    if func is None:
        err(f"没有工具“{args.name}”，可用：{'、'.join(by_name)}。")
        return 2
    try:
        kwargs = _coerce_args(func, args.arg)
    except ValueError as error:
        err(f"参数错误：{error}")
        return 2
    if args.name in STORE_TOOLS:
        with DataStore.open(settings) as store:
            result = func(store, **kwargs)
    else:
        result = func(**kwargs)
    if args.json:
        print_json({"name": args.name, "args": kwargs, "result": result.to_dict()})
    else:
        print(result.explain())
    return 0


def _coerce_args(func: Any, pairs: list[str]) -> dict[str, Any]:
    """Turn KEY=VALUE strings into the tool's typed arguments (int, float, bool, str or None)."""
    hints = typing.get_type_hints(func)
    params = [p for p in inspect.signature(func).parameters.values() if p.name != "store"]
    names = {p.name for p in params}
    kwargs: dict[str, Any] = {}
    for pair in pairs:
        key, sep, raw = pair.partition("=")
        key = key.strip()
        if not sep:
            raise ValueError(f"“{pair}”应写成 KEY=VALUE")
        if key not in names:
            raise ValueError(f"{func.__name__} 没有参数“{key}”，可用：{'、'.join(p.name for p in params)}")
        kwargs[key] = _convert(raw.strip(), hints.get(key, str), key)
    missing = [p.name for p in params if p.default is inspect.Parameter.empty and p.name not in kwargs]
    if missing:
        raise ValueError(f"缺少参数：{'、'.join(missing)}")
    return kwargs


def _convert(raw: str, hint: Any, key: str) -> Any:
    options = [a for a in typing.get_args(hint) if a is not type(None)] or [hint]
    if type(None) in typing.get_args(hint) and raw.lower() in {"", "none", "null"}:
        return None
    kind = options[0]
    try:
        if kind is bool:
            if raw.lower() in {"1", "true", "yes", "是"}:
                return True
            if raw.lower() in {"0", "false", "no", "否"}:
                return False
            raise ValueError
        if kind is int:
            return int(raw)
        if kind is float:
            return float(raw)
    except ValueError:
        raise ValueError(f"参数 {key} 应为 {kind.__name__}，实际为“{raw}”") from None
    return raw
