"""No pages of its own yet.

The 我的 page (jinchuang.web) reads accounts through selectors; the back office is admin.py.
"""
