"""Calendar feeds (docs/calendar.md): per-person and per-rotation iCal feeds behind secret tokens.

- `events`      — pure core: which events a feed holds, with stable UIDs.
- `publication` — pure core: what was published before, so SEQUENCE/DTSTAMP stay stable and
                  removed shifts are announced as cancelled.
- `render`      — the iCalendar text (icalendar library).
- `models`, `service`, `views`, `cli` — database, orchestration, HTTP and command line.
"""
