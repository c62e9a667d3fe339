"""Custom Rasa NLU components: bilingual tokenisation and per-message language detection."""
