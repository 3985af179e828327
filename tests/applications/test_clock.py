"""The service clock: working hours 9:00–17:00 Asia/Shanghai, Monday to Friday; 半日结 is four of them."""

from __future__ import annotations

import datetime as dt

import pytest

from jinchuang.applications.clock import (
    SHANGHAI,
    add_working_time,
    half_day_service_deadline,
    next_working_moment,
    working_time_between,
)

H = dt.timedelta(hours=1)


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    """A moment in the week of Monday 2026-03-02 (Asia/Shanghai)."""
    return dt.datetime(2026, 3, day, hour, minute, tzinfo=SHANGHAI)


@pytest.mark.parametrize(
    ("start", "hours", "expected"),
    [
        (at(2, 9), 4, at(2, 13)),  # Monday morning: half a day ends at 13:00
        (at(2, 14), 4, at(3, 10)),  # 14:00 + 3 h to 17:00, 1 h on Tuesday
        (at(2, 17), 4, at(3, 13)),  # at closing time: starts next morning
        (at(2, 7, 30), 1, at(2, 10)),  # before opening: counts from 9:00
        (at(6, 16), 4, at(9, 12)),  # Friday 16:00 → Monday 12:00
        (at(7, 10), 4, at(9, 13)),  # Saturday → Monday
        (at(2, 9), 40, at(6, 17)),  # a working week
        (at(2, 10), 0, at(2, 10)),
    ],
)
def test_add_working_time(start: dt.datetime, hours: int, expected: dt.datetime) -> None:
    assert add_working_time(start, hours * H) == expected


def test_half_day_service() -> None:
    assert half_day_service_deadline(at(4, 15)) == at(5, 11)


def test_utc_input_is_read_in_shanghai_time() -> None:
    utc = dt.datetime(2026, 3, 2, 1, 0, tzinfo=dt.UTC)  # 09:00 in Shanghai
    assert add_working_time(utc, 2 * H) == at(2, 11)


def test_working_time_between_is_the_time_left() -> None:
    assert working_time_between(at(2, 16), at(3, 10)) == 2 * H
    assert working_time_between(at(6, 16), at(9, 10)) == 2 * H
    assert working_time_between(at(3, 10), at(2, 16)) == -2 * H
    for start, hours in [(at(2, 14), 4), (at(6, 16), 11), (at(7, 8), 3)]:
        assert working_time_between(start, add_working_time(start, hours * H)) == hours * H


def test_naive_times_and_negative_durations_are_refused() -> None:
    with pytest.raises(ValueError, match="naive"):
        next_working_moment(dt.datetime(2026, 3, 2, 10))
    with pytest.raises(ValueError):
        add_working_time(at(2, 10), -H)
