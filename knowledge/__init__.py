"""Service-matter catalogue, shared government data (SQLAlchemy models) and their import."""
