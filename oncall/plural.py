"""Counted nouns for user-facing text: `plural(1, "alert")` is "1 alert", `plural(3, "alert")` "3 alerts"."""

from __future__ import annotations

_ES_ENDINGS = ("s", "x", "z", "ch", "sh")


def plural_form(noun: str) -> str:
    """The regular English plural of `noun` ("alert" → "alerts", "policy" → "policies")."""
    if noun.endswith("y") and noun[-2:-1] not in ("a", "e", "i", "o", "u"):
        return noun[:-1] + "ies"
    if noun.endswith(_ES_ENDINGS):
        return noun + "es"
    return noun + "s"


def noun_for(count: int, noun: str, many: str | None = None) -> str:
    """`noun` or its plural (`many` when irregular, e.g. "person", "people") to follow `count`."""
    if count == 1:
        return noun
    return many if many is not None else plural_form(noun)


def plural(count: int, noun: str, many: str | None = None) -> str:
    """`count` and the noun in the form that agrees with it: "1 rule", "0 rules", "2 people"."""
    return f"{count} {noun_for(count, noun, many)}"
