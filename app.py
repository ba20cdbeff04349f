"""Launch the GreenLeaf web UI: `python app.py [--host H] [--port N] [--home DIR] [--insecure-no-login]` (same as
`greenleaf serve`).

Wiring only: parse arguments, build Settings, hand over to assistant.ui.app.launch.
"""

from __future__ import annotations

import argparse
import sys

from assistant.config import Settings
from assistant.errors import GreenLeafError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="绿叶智答网页界面")
    parser.add_argument("--host", default="127.0.0.1", help="监听地址，默认只允许本机访问（127.0.0.1）")
    parser.add_argument("--port", type=int, default=7860, help="端口，默认 7860")
    parser.add_argument("--home", help="数据目录（知识库、能耗数据），默认 GREENLEAF_HOME 或 ~/.greenleaf")
    parser.add_argument("--insecure-no-login", action="store_true",
                        help="绑定非本机地址且没有账号时仍然启动（不要求登录，任何人都是管理员；不建议）")
    args = parser.parse_args(argv)
    try:
        settings = Settings.from_env()
        if args.home:
            settings = settings.with_home(args.home)
        from assistant.ui.app import launch

        launch(settings, host=args.host, port=args.port, insecure_no_login=args.insecure_no_login)
    except GreenLeafError as error:
        print(f"错误：{error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
