"""Department names: the catalog says 市科技局; a reviewer's role says 晋城市科学技术局. One key for both."""

from __future__ import annotations

#: long official names and their short forms, as the catalog writes them
ALIASES: tuple[tuple[str, str], ...] = (
    ("科学技术局", "科技局"),
    ("市场监督管理局", "市场监管局"),
    ("人力资源和社会保障局", "人社局"),
    ("政府办公室", "政府办"),
)


def normalise_department(name: str) -> str:
    key = "".join(name.split())
    for long, short in ALIASES:
        key = key.replace(long, short)
    return key


def qualified_department(valley: str, lead_department: str) -> str:
    """The catalog's 市科技局 of the 晋城 document is 晋城市科技局 (normalised)."""
    name = lead_department
    if name.startswith("市"):
        name = f"{valley}{name}"
    return normalise_department(name)
