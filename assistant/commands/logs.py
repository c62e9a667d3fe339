"""``civic logs synth``: realistic synthetic interaction logs for demos, tests and benchmarks."""

from __future__ import annotations

import argparse
import time

from analytics.spark_job import parse_day


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("logs", help="interaction logs (synthetic data for demos and benchmarks)")
    commands = parser.add_subparsers(dest="logs_command", metavar="SUBCOMMAND")
    synth = commands.add_parser(
        "synth", help="write synthetic turn logs",
        description="Write N realistic synthetic turn records over D days as date-partitioned Parquet.",
    )
    synth.add_argument("--events", type=int, required=True, help="number of turn records")
    synth.add_argument("--days", type=int, default=30, help="days the records spread over (default 30)")
    synth.add_argument("--until", type=parse_day, help="last day (default: yesterday)")
    synth.add_argument("--out", required=True, help="output folder or URL (date=YYYY-MM-DD partitions)")
    synth.add_argument("--seed", type=int, default=7)
    synth.set_defaults(handler=handle_synth)
    parser.set_defaults(handler=lambda args: parser.print_help() or 2)


def handle_synth(args: argparse.Namespace) -> int:
    from analytics.synth import synthesize
    from assistant.errors import InputError

    if args.events < 1 or args.events > 200_000_000:
        raise InputError("--events must be between 1 and 200000000")
    if args.days < 1 or args.days > 3660:
        raise InputError("--days must be between 1 and 3660")
    started = time.perf_counter()
    table = synthesize(args.out, args.events, args.days, args.until, args.seed)
    days = table.column("date").unique()
    print(f"civic logs synth: {table.num_rows} turns over {len(days)} days "
          f"({min(days.to_pylist())} .. {max(days.to_pylist())}) -> {args.out} "
          f"in {time.perf_counter() - started:.1f}s")
    return 0


