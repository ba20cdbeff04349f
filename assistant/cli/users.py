"""`greenleaf user add|list|passwd|role|remove`: the web login's accounts, kept in the home folder.

Passwords are asked twice at the terminal, or read from the first line of `--password-file` (for scripts); they
never appear on the command line, where other users of the machine could read them in the process list. Every change
goes to the audit trail with the operating-system user who made it.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path
from typing import Any

from assistant.cli.audit import record
from assistant.cli.output import err, json_flag, print_json
from assistant.config import Settings
from assistant.errors import AccountError
from assistant.office.accounts import ROLE_LABELS, ROLES, Accounts


def register_cli(sub: Any) -> None:
    user = sub.add_parser("user", help="网页登录账号：添加、列出、改密码、改角色、删除（角色 admin 管理员 / staff 工作人员）")
    actions = user.add_subparsers(dest="user_command", metavar="ACTION")
    p = actions.add_parser("add", help="添加用户（密码在终端输入两次，或用 --password-file）")
    p.add_argument("name")
    p.add_argument("--role", choices=ROLES, required=True, help="admin：管理知识库、导入数据、看操作记录；staff：问答、检索、起草、查看")
    p.add_argument("--password-file", help="从文件第一行读密码（供脚本使用）")
    json_flag(p).set_defaults(handler=cmd_user_add)
    json_flag(actions.add_parser("list", help="列出用户和角色")).set_defaults(handler=cmd_user_list)
    p = actions.add_parser("passwd", help="修改密码（该用户已登录的会话随即失效）")
    p.add_argument("name")
    p.add_argument("--password-file", help="从文件第一行读密码（供脚本使用）")
    json_flag(p).set_defaults(handler=cmd_user_passwd)
    p = actions.add_parser("role", help="修改角色（该用户已登录的会话随即失效）")
    p.add_argument("name")
    p.add_argument("role", choices=ROLES)
    json_flag(p).set_defaults(handler=cmd_user_role)
    p = actions.add_parser("remove", help="删除用户（其会话随即失效；保存的对话保留）")
    p.add_argument("name")
    json_flag(p).set_defaults(handler=cmd_user_remove)


def cmd_user_add(args: argparse.Namespace, settings: Settings) -> int:
    accounts = Accounts.open(settings)
    account = accounts.add(args.name, _password(args), args.role)
    record(settings, "user_add", account.name, {"role": account.role})
    return _done(args, account, f"已添加用户 {account.name}（{ROLE_LABELS[account.role]}）。")


def cmd_user_list(args: argparse.Namespace, settings: Settings) -> int:
    accounts = Accounts.open(settings).list()
    if args.json:
        print_json({"users": [a.to_dict() for a in accounts]})
        return 0
    for a in accounts:
        print(f"{a.name}\t{a.role}\t{ROLE_LABELS[a.role]}\t建立 {a.created_at[:16].replace('T', ' ')}")
    err(f"共 {len(accounts)} 个用户。" if accounts else "还没有用户：greenleaf user add 名字 --role admin 添加第一个管理员。")
    return 0


def cmd_user_passwd(args: argparse.Namespace, settings: Settings) -> int:
    accounts = Accounts.open(settings)
    if accounts.get(args.name) is None:  # before asking for a password that would be thrown away
        raise AccountError(f"没有用户“{args.name}”；现有用户见 greenleaf user list。")
    account = accounts.set_password(args.name, _password(args))
    record(settings, "user_passwd", account.name)
    return _done(args, account, f"已修改 {account.name} 的密码；其已登录的会话需重新登录。")


def cmd_user_role(args: argparse.Namespace, settings: Settings) -> int:
    account = Accounts.open(settings).set_role(args.name, args.role)
    record(settings, "user_role", account.name, {"role": account.role})
    return _done(args, account, f"{account.name} 现在是{ROLE_LABELS[account.role]}；其已登录的会话需重新登录。")


def cmd_user_remove(args: argparse.Namespace, settings: Settings) -> int:
    account = Accounts.open(settings).remove(args.name)
    record(settings, "user_remove", account.name, {"role": account.role})
    return _done(args, account, f"已删除用户 {account.name}；其已登录的会话随即失效。")


def _done(args: argparse.Namespace, account: Any, message: str) -> int:
    if args.json:
        print_json({"user": account.to_dict()})
    else:
        err(message)
    return 0


def _password(args: argparse.Namespace) -> str:
    if getattr(args, "password_file", None):
        path = Path(args.password_file).expanduser()
        try:
            lines = path.read_text(encoding="utf-8-sig").splitlines()
        except OSError as error:
            raise AccountError(f"无法读取密码文件 {path}：{error.strerror or error}。") from None
        return lines[0] if lines else ""
    if not sys.stdin.isatty():
        raise AccountError("没有终端可以输入密码：请用 --password-file 文件（第一行为密码）。")
    first = getpass.getpass("密码（至少 8 个字符）：")
    if getpass.getpass("再输入一次：") != first:
        raise AccountError("两次输入的密码不一致，未作修改。")
    return first
