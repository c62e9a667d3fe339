"""One module per channel. Each parses its platform's request into a ``Turn`` for the core and
renders the ``TurnResult`` in the platform's format; none of them holds conversation logic."""
