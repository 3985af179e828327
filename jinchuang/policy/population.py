"""Populations: many organisations with dated events, as Polars frames (docs/population-format.md).

Three tables, stored as Parquet (or CSV) files in one directory:

- ``organisations``: ``org_id`` (int), ``kind``, ``valley`` (may be null), ``settled_on`` (date, may be
  null), ``certifications`` (list of strings; in CSV a ``;``-separated string), ``name`` (optional).
- ``events``: ``org_id``, ``event_index`` (int, unique per organisation), ``type``, ``date``, and one
  column per event field of the vocabulary: money as integer fen in ``<field>_fen``, ratios as
  integer millionths in ``<field>_ppm``, integers, booleans and strings under the field's own name.
  Columns a population does not use may be left out; they are read as missing.
- ``prior_grants``: ``org_id``, ``matter``, ``amount_fen``, ``date``, ``policy``, ``level``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from pathlib import Path

import polars as pl

from jinchuang.policy.case import Case
from jinchuang.policy.i18n import gettext
from jinchuang.policy.schema import EventType

PPM = Decimal(1_000_000)
ORG_SCHEMA: dict[str, pl.DataType] = {
    "org_id": pl.Int64(),
    "kind": pl.String(),
    "valley": pl.String(),
    "settled_on": pl.Date(),
    "certifications": pl.List(pl.String()),
    "name": pl.String(),
}
GRANT_SCHEMA: dict[str, pl.DataType] = {
    "org_id": pl.Int64(),
    "matter": pl.String(),
    "amount_fen": pl.Int64(),
    "date": pl.Date(),
    "policy": pl.String(),
    "level": pl.String(),
}
EVENT_BASE: dict[str, pl.DataType] = {
    "org_id": pl.Int64(),
    "event_index": pl.Int64(),
    "type": pl.String(),
    "date": pl.Date(),
}


class PopulationError(ValueError):
    pass


def column_name(field: str, ftype: str) -> str:
    return {"money": f"{field}_fen", "ratio": f"{field}_ppm"}.get(ftype, field)


def field_dtype(ftype: str) -> pl.DataType:
    return {"money": pl.Int64(), "ratio": pl.Int64(), "int": pl.Int64(), "bool": pl.Boolean()}.get(ftype, pl.String())


def event_schema(vocabulary: Mapping[str, EventType]) -> dict[str, pl.DataType]:
    """One column per field name across the vocabulary (a name has one type everywhere)."""
    schema = dict(EVENT_BASE)
    for etype, spec in vocabulary.items():
        for name, fspec in spec.fields.items():
            col = column_name(name, fspec.type)
            dtype = field_dtype(fspec.type)
            if col in schema and schema[col] != dtype:
                raise PopulationError(f"field '{name}' of '{etype}' has two types across the vocabulary")
            schema[col] = dtype
    return schema


class Population:
    """Organisations, their events (kept as one narrow frame per event type) and prior grants.

    Construct it from the documented layout — ``Population(organisations, events, prior_grants)``
    with one wide ``events`` frame — or from frames already split by type (``by_type=``). Only the
    narrow frames are kept: a wide frame with a column for every field of the vocabulary costs
    memory for every null.
    """

    def __init__(
        self,
        organisations: pl.DataFrame,
        events: pl.DataFrame | None = None,
        prior_grants: pl.DataFrame | None = None,
        *,
        by_type: Mapping[str, pl.DataFrame] | None = None,
        vocabulary: Mapping[str, EventType] | None = None,
    ) -> None:
        if by_type is None:
            if events is None:
                raise PopulationError(gettext("events: 缺少事件表"))
            by_type = split_events(events, vocabulary or _default_vocabulary())
        self.organisations = organisations
        self.by_type: dict[str, pl.DataFrame] = dict(by_type)
        self.prior_grants = prior_grants if prior_grants is not None else pl.DataFrame(schema=GRANT_SCHEMA)

    @property
    def size(self) -> int:
        return self.organisations.height

    @property
    def event_count(self) -> int:
        return sum(f.height for f in self.by_type.values())

    @property
    def events(self) -> pl.DataFrame:
        """The documented wide layout (for saving and inspection; costly for large populations)."""
        frames = [f.with_columns(pl.lit(t).alias("type")) for t, f in sorted(self.by_type.items()) if f.height]
        if not frames:
            return pl.DataFrame(schema=EVENT_BASE)
        wide = pl.concat(frames, how="diagonal_relaxed").sort(["org_id", "event_index"])
        return wide.select([*EVENT_BASE, *[c for c in wide.columns if c not in EVENT_BASE]])


def _default_vocabulary() -> Mapping[str, EventType]:
    from jinchuang.policy.catalog import default_catalog

    return default_catalog().vocabulary


def type_schema(spec: EventType) -> dict[str, pl.DataType]:
    schema = {k: v for k, v in EVENT_BASE.items() if k != "type"}
    for name, fspec in spec.fields.items():
        schema[column_name(name, fspec.type)] = field_dtype(fspec.type)
    return schema


def split_events(events: pl.DataFrame, vocabulary: Mapping[str, EventType]) -> dict[str, pl.DataFrame]:
    """Wide events → one frame per type with only that type's columns (missing ones as nulls)."""
    unknown = set(events.get_column("type").unique().drop_nulls()) - set(vocabulary) if events.height else set()
    if unknown:
        raise PopulationError(gettext("events.type: 未知的事件类型 %(types)s") % {"types": sorted(unknown)})
    allowed = set(event_schema(vocabulary))
    extra = set(events.columns) - allowed
    if extra:
        raise PopulationError(
            gettext("%(table)s: 未知的列 %(columns)s") % {"table": "events", "columns": sorted(extra)}
        )
    out = {}
    for etype in sorted(set(events.get_column("type").unique().drop_nulls())) if events.height else []:
        part = events.filter(pl.col("type") == etype)
        out[etype] = _conform(
            part.select([c for c in part.columns if c != "type"]),
            type_schema(vocabulary[etype]),
            f"events[{etype}]",
            strict_columns=False,
        )
    return out


def _duplicate_event_keys(by_type: Mapping[str, pl.DataFrame]) -> bool:
    """Whether any (org_id, event_index) pair repeats, checked on one packed 64-bit key when it fits."""
    keys = pl.concat([f.select("org_id", "event_index") for f in by_type.values()]) if by_type else None
    if keys is None or keys.height == 0:
        return False
    bounds = keys.select(pl.all().min().name.suffix("_min"), pl.all().max().name.suffix("_max")).row(0, named=True)
    if (
        min(bounds["org_id_min"], bounds["event_index_min"]) >= 0
        and max(bounds["org_id_max"], bounds["event_index_max"]) < 2**31
    ):
        packed = keys.select((pl.col("org_id") * 2**31 + pl.col("event_index")).alias("k")).get_column("k")
        return packed.n_unique() != packed.len()
    return bool(keys.is_duplicated().any())


def normalise(population: Population, vocabulary: Mapping[str, EventType]) -> Population:
    """Cast to the documented types, add missing columns as nulls, check keys and signs."""
    orgs = _conform(population.organisations, ORG_SCHEMA, "organisations")
    grants = _conform(population.prior_grants, GRANT_SCHEMA, "prior_grants")
    unknown = set(population.by_type) - set(vocabulary)
    if unknown:
        raise PopulationError(gettext("events.type: 未知的事件类型 %(types)s") % {"types": sorted(unknown)})
    by_type = {t: _conform(f, type_schema(vocabulary[t]), "events") for t, f in population.by_type.items()}
    if orgs.get_column("org_id").is_duplicated().any():
        raise PopulationError(gettext("organisations.org_id: 重复的编号"))
    if _duplicate_event_keys(by_type):
        raise PopulationError(gettext("events: (org_id, event_index) 重复"))
    checks = [("events", f, c) for f in by_type.values() for c in f.columns if c.endswith(("_fen", "_ppm"))]
    checks.append(("prior_grants", grants, "amount_fen"))
    for table, frame, col in checks:
        if frame.height and frame.select((pl.col(col) < 0).any()).item():
            raise PopulationError(gettext("%(column)s: 金额不能为负数") % {"column": f"{table}.{col}"})
    return Population(orgs, None, grants, by_type=by_type)


def _conform(
    frame: pl.DataFrame, schema: Mapping[str, pl.DataType], table: str, strict_columns: bool = True
) -> pl.DataFrame:
    extra = set(frame.columns) - set(schema)
    if extra and strict_columns:
        raise PopulationError(gettext("%(table)s: 未知的列 %(columns)s") % {"table": table, "columns": sorted(extra)})
    exprs = []
    for col, dtype in schema.items():
        if col in frame.columns:
            if col == "certifications" and frame.schema[col] == pl.String():
                exprs.append(pl.col(col).str.split(";").list.eval(pl.element().filter(pl.element() != "")))
            else:
                exprs.append(pl.col(col).cast(dtype, strict=True))
        else:
            exprs.append(pl.lit(None, dtype=dtype).alias(col))
    try:
        return frame.select(exprs)
    except (pl.exceptions.InvalidOperationError, pl.exceptions.ComputeError) as exc:
        raise PopulationError(f"{table}: {exc}") from exc


def population_from_cases(cases: Iterable[Case], vocabulary: Mapping[str, EventType]) -> Population:
    """Case objects (org_id = position) as a population, for tests and small runs."""
    orgs: list[dict[str, object]] = []
    events: dict[str, list[dict[str, object]]] = {}
    grants: list[dict[str, object]] = []
    for org_id, case in enumerate(cases):
        a = case.applicant
        orgs.append(
            {
                "org_id": org_id,
                "kind": a.kind.value,
                "valley": a.valley.value if a.valley else None,
                "settled_on": a.settled_on,
                "certifications": list(a.certifications),
                "name": a.name,
            }
        )
        for e in case.events:
            row: dict[str, object] = {"org_id": org_id, "event_index": e.index, "date": e.date}
            spec = vocabulary[e.type]
            for name, value in e.fields.items():
                ftype = spec.fields[name].type
                row[column_name(name, ftype)] = _to_column(value, ftype)
            events.setdefault(e.type, []).append(row)
        for g in case.prior_grants:
            grants.append(
                {
                    "org_id": org_id,
                    "matter": g.matter,
                    "amount_fen": int(g.amount * 100),
                    "date": g.date,
                    "policy": g.policy,
                    "level": g.level,
                }
            )
    by_type = {t: pl.DataFrame(rows, schema=type_schema(vocabulary[t])) for t, rows in events.items()}
    return normalise(
        Population(
            pl.DataFrame(orgs, schema=ORG_SCHEMA), None, pl.DataFrame(grants, schema=GRANT_SCHEMA), by_type=by_type
        ),
        vocabulary,
    )


def _to_column(value: object, ftype: str) -> object:
    if value is None:
        return None
    if ftype == "money" and isinstance(value, Decimal):
        return int(value * 100)
    if ftype == "ratio" and isinstance(value, Decimal):
        scaled = value * PPM
        if scaled != scaled.to_integral_value():
            raise PopulationError(gettext("比例 %(value)s 超过 6 位小数") % {"value": value})
        return int(scaled)
    if ftype == "int" and isinstance(value, Decimal):
        return int(value)
    return value


TABLES = ("organisations", "events", "prior_grants")


def save(population: Population, directory: Path, fmt: str = "parquet") -> None:
    directory.mkdir(parents=True, exist_ok=True)
    for table in TABLES:
        frame: pl.DataFrame = getattr(population, table)
        if fmt == "parquet":
            frame.write_parquet(directory / f"{table}.parquet")
        else:
            if "certifications" in frame.columns:
                frame = frame.with_columns(pl.col("certifications").list.join(";"))
            frame.write_csv(directory / f"{table}.csv")


def load(directory: Path, vocabulary: Mapping[str, EventType]) -> Population:
    """Read a population directory; Parquet events are read one event type at a time (only its columns)."""
    return normalise(load_raw(directory, vocabulary), vocabulary)


def load_raw(directory: Path, vocabulary: Mapping[str, EventType]) -> Population:
    """Read without the checks of :func:`normalise` (for callers that time the two apart)."""
    frames: dict[str, pl.DataFrame] = {}
    for table in ("organisations", "prior_grants"):
        parquet, csv = directory / f"{table}.parquet", directory / f"{table}.csv"
        if parquet.exists():
            frames[table] = pl.read_parquet(parquet)
        elif csv.exists():
            frames[table] = pl.read_csv(csv, try_parse_dates=True, infer_schema_length=10000)
        elif table == "prior_grants":
            frames[table] = pl.DataFrame(schema=GRANT_SCHEMA)
        else:
            raise PopulationError(
                gettext("%(directory)s: 缺少 %(table)s.parquet 或 %(table)s.csv")
                % {"directory": directory, "table": table}
            )
    parquet, csv = directory / "events.parquet", directory / "events.csv"
    if parquet.exists():
        scan = pl.scan_parquet(parquet)
        columns = set(scan.collect_schema().names())
        extra = columns - set(event_schema(vocabulary))
        if extra:
            raise PopulationError(
                gettext("%(table)s: 未知的列 %(columns)s") % {"table": "events", "columns": sorted(extra)}
            )
        types = scan.select(pl.col("type").unique()).collect().get_column("type").drop_nulls().to_list()
        unknown = set(types) - set(vocabulary)
        if unknown:
            raise PopulationError(gettext("events.type: 未知的事件类型 %(types)s") % {"types": sorted(unknown)})
        by_type = {}
        for etype in sorted(types):
            wanted = [c for c in type_schema(vocabulary[etype]) if c in columns]
            part = scan.filter(pl.col("type") == etype).select(wanted).collect()
            by_type[etype] = _conform(part, type_schema(vocabulary[etype]), f"events[{etype}]")
        return Population(frames["organisations"], None, frames["prior_grants"], by_type=by_type)
    if csv.exists():
        events = pl.read_csv(csv, try_parse_dates=True, infer_schema_length=10000)
        return Population(frames["organisations"], events, frames["prior_grants"], vocabulary=vocabulary)
    raise PopulationError(
        gettext("%(directory)s: 缺少 %(table)s.parquet 或 %(table)s.csv") % {"directory": directory, "table": "events"}
    )
