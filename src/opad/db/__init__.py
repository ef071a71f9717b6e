"""The database: the record of articles and jobs (SQLite embedded, PostgreSQL in production)."""
