"""No pages of its own: the audit log is read in the admin (read-only, see admin.py)."""
