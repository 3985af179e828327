"""The OpenAPI document names each response schema by its class name: two schema classes of one name in
different modules would be merged into one component, and responses validated against the wrong one."""

from __future__ import annotations

from collections.abc import Iterator

from ninja import Schema

import jinchuang.api  # noqa: F401  (imports every API module)


def _subclasses(cls: type) -> Iterator[type]:
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def test_every_api_schema_class_name_is_unique() -> None:
    modules: dict[str, set[str]] = {}
    for cls in _subclasses(Schema):
        if cls.__module__.startswith("jinchuang") and cls.__name__ != "InputSchema":  # a base class, never a body
            modules.setdefault(cls.__name__, set()).add(cls.__module__)
    assert {name: where for name, where in modules.items() if len(where) > 1} == {}
