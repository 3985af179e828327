"""The expert's steps on the application page in a browser: the 回避 declaration, then the rubric."""

from __future__ import annotations

from playwright.sync_api import Page, expect


def declare_no_conflict(page: Page) -> None:
    page.get_by_test_id("no-conflict").check()
    page.get_by_test_id("do-declare").click()
    expect(page.locator(".messages")).to_contain_text("已声明无利益冲突")


def fill_rubric(page: Page, *, share: float = 0.8) -> int:
    """Give every criterion ``share`` of its most points (rounded down); returns the total entered."""
    total = 0
    inputs = page.locator("[data-testid^=criterion_]")
    for i in range(inputs.count()):
        field = inputs.nth(i)
        points = int(int(field.get_attribute("max") or "0") * share)
        field.fill(str(points))
        total += points
    return total
