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


def time_left_text(left: dt.timedelta | None, *, coarse: bool = False) -> str:
    """Working time left on a step, in the active language: 剩余 2 个工作日 3 小时 / 已超时 5 分钟.

    Working days are 8 hours (:data:`WORKING_DAY`). ``coarse`` keeps only the largest unit (剩余 2 个工作日),
    for rows of a list; otherwise days, hours and minutes (the minutes only when under an hour is left over
    or nothing else is). ``None`` (no deadline) → ''. The one text of the clock for every page.
    """
    from django.utils.translation import gettext as _
    from django.utils.translation import ngettext

    if left is None:
        return ""
    seconds = int(left.total_seconds())
    overdue = seconds < 0
    seconds = abs(seconds)
    day_seconds = int(WORKING_DAY.total_seconds())
    days, rest = divmod(seconds, day_seconds)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    if coarse:
        if days:
            hours = minutes = 0
        elif hours:
            minutes = 0
        else:
            minutes = max(minutes, 1)
    parts: list[str] = []
    if days:
        parts.append(ngettext("%(n)d 个工作日", "%(n)d 个工作日", days) % {"n": days})
    if hours:
        parts.append(ngettext("%(n)d 小时", "%(n)d 小时", hours) % {"n": hours})
    if minutes or not parts:
        parts.append(ngettext("%(n)d 分钟", "%(n)d 分钟", minutes) % {"n": minutes})
    text = " ".join(parts)
    return (_("已超时 %(t)s") if overdue else _("剩余 %(t)s")) % {"t": text}
