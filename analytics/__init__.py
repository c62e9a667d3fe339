"""Interaction logs and demand analysis: every turn becomes a redacted record (``schema``,
``redact``, ``writer``, ``listener``); a PySpark job (``spark_job``, ``transforms``, ``faq``)
turns the records into figures for staff (``store``, the ``/staff`` dashboard)."""
