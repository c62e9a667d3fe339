"""Demo data for the staff dashboard on `make run`: a synthetic period analysed once, and a demo
account. Idempotent and quick: skipped when an analysis is already stored."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from assistant.logs import log_event
from assistant.settings import Settings

DEMO_EVENTS = 20_000
DEMO_DAYS = 28


def seed(settings: Settings) -> None:
    from analytics import accounts, store
    from knowledge.db import make_engine, make_sessionmaker

    engine = make_engine(settings.effective_database_url)
    try:
        store.ensure_tables(engine)
        accounts.ensure_tables(engine)
        sessions = make_sessionmaker(engine)
        if settings.environment == "production":
            print("civic: production: no demo staff account (create one with `civic staff add NAME`)")
        else:
            with sessions.begin() as session:
                exists = session.execute(select(accounts.StaffUser).where(
                    accounts.StaffUser.username == accounts.DEMO_USER)).scalar_one_or_none()
                if exists is None:
                    accounts.set_user(session, accounts.DEMO_USER, settings.staff_demo_password, min_length=1,
                                      role="approver")
                else:  # an account made before roles: the local demo login approves (issue 17)
                    accounts.set_role(session, accounts.DEMO_USER, "approver")
            print(f"civic: staff dashboard login: user {accounts.DEMO_USER!r}, password "
                  f"{settings.staff_demo_password!r}, role approver (local development only)")
        with sessions() as session:
            if store.period(session) is not None:
                return
    finally:
        engine.dispose()
    analyse_demo(settings)


def analyse_demo(settings: Settings) -> None:
    """Synthesise the demo period under var/ and run the Spark job on it once."""
    import argparse

    from analytics.spark_job import run
    from analytics.synth import synthesize

    folder = settings.var_dir / "demo_logs"
    until = date.today() - timedelta(days=1)
    print(f"civic: seeding the dashboard: {DEMO_EVENTS} synthetic turns, analysed with Spark (first start only)...",
          flush=True)
    synthesize(str(folder), DEMO_EVENTS, DEMO_DAYS, until)
    args = argparse.Namespace(logs=str(folder), since=None, until=None, master="local[2]",
                              out=str(settings.var_dir / "analytics"), database_url=settings.effective_database_url,
                              no_database=False, shuffle_partitions=4)
    run(args)
    log_event("analytics.demo.seeded", events=DEMO_EVENTS)
