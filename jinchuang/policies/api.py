"""Policy library endpoints (filled in by the policy library work)."""

from ninja import Router

router = Router(tags=["政策库 policies"])
