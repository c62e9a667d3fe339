"""``civic staff add USER``: create a dashboard account or change its password."""

from __future__ import annotations

import argparse
import getpass
import sys

from assistant.errors import InputError


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("staff", help="staff dashboard accounts")
    commands = parser.add_subparsers(dest="staff_command", metavar="SUBCOMMAND")
    add = commands.add_parser("add", help="create a staff account (or set a new password)",
                              description="The password is read from the terminal, or from stdin with "
                              "--password-stdin (for scripts); it is stored only as a salted scrypt hash.")
    add.add_argument("username")
    add.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    add.add_argument("--role", choices=("editor", "approver"),
                     help="editors draft catalogue changes, approvers also import and publish (new: editor)")
    add.set_defaults(handler=handle_add)
    parser.set_defaults(handler=lambda args: parser.print_help() or 2)


def handle_add(args: argparse.Namespace) -> int:
    from analytics.accounts import DEMO_USER, ensure_tables, set_user
    from assistant.settings import PLACEHOLDER_SECRETS, get_settings
    from knowledge.db import make_engine, make_sessionmaker

    settings = get_settings()
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass("password: ")
        if password != getpass.getpass("again: "):
            raise InputError("the passwords differ")
    if settings.environment == "production" and (
        args.username.lower() == DEMO_USER or password in PLACEHOLDER_SECRETS | {settings.staff_demo_password}
    ):
        raise InputError("demo accounts and placeholder passwords are refused in production")
    engine = make_engine(settings.effective_database_url)
    try:
        ensure_tables(engine)
        with make_sessionmaker(engine).begin() as session:
            user = set_user(session, args.username, password, role=args.role)
            name, role = user.username, user.role
    finally:
        engine.dispose()
    print(f"civic staff: account {name!r} saved (role {role})")
    return 0
