"""A small iCalendar (RFC 5545) writer: escaped text values, UTC times, folded lines."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, datetime

LINE_OCTETS = 75
# Control characters a TEXT value may not hold (tab is allowed; line breaks are escaped).
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def escape(value: str) -> str:
    """A TEXT value: backslash, semicolon, comma and line breaks escaped."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = CONTROL.sub("", value)
    return (value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\n", "\\n"))


def utc(moment: datetime) -> str:
    """A DATE-TIME in UTC form: 20261124T090000Z."""
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def fold(line: str) -> str:
    """Split a content line into lines of at most 75 octets, never inside a character."""
    parts, current, size = [], [], 0
    for char in line:
        width = len(char.encode())
        if size + width > LINE_OCTETS:
            parts.append("".join(current))
            current, size = [" "], 1  # a continuation starts with one space
        current.append(char)
        size += width
    parts.append("".join(current))
    return "\r\n".join(parts)


def calendar(properties: Iterable[tuple[str, str]], events: Iterable[list[tuple[str, str]]]
             ) -> str:
    """A VCALENDAR of these (name, already-formatted value) properties and events."""
    lines = ["BEGIN:VCALENDAR", *(f"{name}:{value}" for name, value in properties)]
    for event in events:
        lines += ["BEGIN:VEVENT", *(f"{name}:{value}" for name, value in event), "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
