"""``civic wechat menu``: push the official account's custom menu to WeChat."""

from __future__ import annotations

import argparse
import json
from typing import Any, Dict

from assistant.errors import ConfigError, UnavailableError
from assistant.logs import configure, log_event
from assistant.settings import Settings, get_settings


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "wechat", help="WeChat official account tasks (push the custom menu)",
        description="Tasks for the WeChat official account channel. Uses CIVIC_WECHAT_APP_ID, "
        "CIVIC_WECHAT_APP_SECRET and CIVIC_WECHAT_API_BASE; the access token is shared with the "
        "gateway through CIVIC_REDIS_URL when set.",
    )
    tasks = parser.add_subparsers(dest="wechat_task", metavar="TASK")
    menu = tasks.add_parser("menu", help="push the custom menu (channels/wechat/menu.py) to WeChat")
    menu.add_argument("--print", dest="print_only", action="store_true",
                      help="print the menu JSON instead of pushing it")
    menu.set_defaults(handler=handle_menu)
    parser.set_defaults(handler=lambda args: parser.print_help() or 2)


def push_menu(settings: Settings) -> Dict[str, Any]:
    """Create the menu through WeChat's API; WeChat's refusal becomes an error naming its code."""
    from wechatpy.exceptions import WeChatClientException

    from assistant.state import create_store
    from channels.wechat.api import SharedTokenClient
    from channels.wechat.menu import MENU

    if not settings.wechat_app_id or not settings.wechat_app_secret:
        raise ConfigError("CIVIC_WECHAT_APP_ID and CIVIC_WECHAT_APP_SECRET are required to push the menu")
    store = create_store(settings.redis_url)
    client = SharedTokenClient(settings.wechat_app_id, settings.wechat_app_secret,
                               settings.wechat_api_base, store, f"wechat:{settings.wechat_app_id}")
    try:
        result = client.menu.create(MENU)
    except WeChatClientException as err:
        raise UnavailableError(f"WeChat refused the menu: errcode {err.errcode} ({err.errmsg})") from err
    log_event("wechat.menu.pushed", buttons=len(MENU["button"]))
    return result


def handle_menu(args: argparse.Namespace) -> int:
    from channels.wechat.menu import MENU

    if args.print_only:
        print(json.dumps(MENU, ensure_ascii=False, indent=2))
        return 0
    settings = get_settings()
    configure(settings.log_level)
    push_menu(settings)
    print(f"menu pushed: {len(MENU['button'])} buttons")
    return 0
