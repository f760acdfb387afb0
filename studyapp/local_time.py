"""The learner's time zone: their setting, else the browser's (the `tz` cookie app.js sets), else UTC."""

from functools import cache
from zoneinfo import ZoneInfo, available_timezones

UTC = ZoneInfo("UTC")


@cache
def zone_names() -> frozenset[str]:
    return frozenset(available_timezones())


def valid_zone(name: str | None) -> bool:
    return bool(name) and len(name) <= 64 and name in zone_names()


def learner_zone(setting: str | None, browser: str | None) -> ZoneInfo:
    """A known IANA zone from the setting or the browser; anything else (a forged cookie) is UTC."""
    for name in (setting, browser):
        if valid_zone(name):
            return ZoneInfo(name)
    return UTC
