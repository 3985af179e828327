"""The service clock: working time is 9:00–17:00 Asia/Shanghai, Monday to Friday.

Pure functions, no database. Public holidays are not modelled (the 调休 calendar changes every
year); a holiday table can be added to ``is_working_day`` when the platform gets one.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")
DAY_START = dt.time(9, 0)
DAY_END = dt.time(17, 0)
WORKING_DAY = dt.timedelta(hours=8)
#: 半日结: half a working day
HALF_WORKING_DAY = WORKING_DAY / 2


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5


def _at(day: dt.date, time: dt.time) -> dt.datetime:
    return dt.datetime.combine(day, time, tzinfo=SHANGHAI)


def next_working_moment(moment: dt.datetime) -> dt.datetime:
    """``moment`` itself if it falls in working hours, else the start of the next working period."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime: the service clock needs timezone-aware times")
    local = moment.astimezone(SHANGHAI)
    day = local.date()
    if is_working_day(day):
        if local < _at(day, DAY_START):
            return _at(day, DAY_START)
        if local < _at(day, DAY_END):
            return local
    day += dt.timedelta(days=1)
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return _at(day, DAY_START)


def add_working_time(start: dt.datetime, duration: dt.timedelta) -> dt.datetime:
    """The moment when ``duration`` of working time has passed after ``start``."""
    if duration < dt.timedelta(0):
        raise ValueError("duration must not be negative")
    cursor = next_working_moment(start)
    remaining = duration
    while True:
        available = _at(cursor.date(), DAY_END) - cursor
        if remaining <= available:
            return cursor + remaining
        remaining -= available
        cursor = next_working_moment(_at(cursor.date(), DAY_END))


def working_time_between(start: dt.datetime, end: dt.datetime) -> dt.timedelta:
    """Working time from ``start`` to ``end`` (negative when ``end`` is earlier): the time left."""
    if end < start:
        return -working_time_between(end, start)
    total = dt.timedelta(0)
    cursor = next_working_moment(start)
    while cursor < end:
        day_end = _at(cursor.date(), DAY_END)
        total += min(day_end, end.astimezone(SHANGHAI)) - cursor
        cursor = next_working_moment(day_end)
    return total


def half_day_service_deadline(received_at: dt.datetime) -> dt.datetime:
    """半日结: a matter received at ``received_at`` is due half a working day later."""
    return add_working_time(received_at, HALF_WORKING_DAY)
