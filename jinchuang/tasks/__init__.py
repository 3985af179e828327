"""Background work: one task interface over one durable job table (SQLite and PostgreSQL alike)."""
