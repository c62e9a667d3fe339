"""``civic analyze``: the Spark demand analysis of a period of turn logs (see analytics.spark_job)."""

from __future__ import annotations

import argparse


def register(subparsers: argparse._SubParsersAction) -> None:
    from analytics.spark_job import add_arguments

    parser = subparsers.add_parser(
        "analyze", help="analyse turn logs with Spark (figures + FAQ candidates for the dashboard)",
        description="Read the date-partitioned turn logs of a period, compute the demand figures and "
        "group unanswered questions into FAQ candidates; store them for the staff dashboard (replacing "
        "that period's earlier results) and as JSON files. Runs on local[*] or a cluster (--master).",
    )
    add_arguments(parser)
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    from analytics.spark_job import run

    run(args)
    return 0
