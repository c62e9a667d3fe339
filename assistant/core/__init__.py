"""The conversation core: one place that turns a user's message into the assistant's replies."""
