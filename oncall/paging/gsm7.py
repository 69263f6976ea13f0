"""GSM-7, the 7-bit SMS alphabet: what fits, how many segments a text costs (core).

A text made only of GSM-7 characters is sent 160 septets per segment (153 when it is split,
because each part carries a header); anything else forces UCS-2, 70 characters per segment.
Pages are kept GSM-7 so a page is one segment and shows the same on every handset.
"""

from __future__ import annotations

import re
import unicodedata

# GSM 03.38 basic table (ESC itself is left out: it only introduces the extension table).
GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
# Extension table: each of these costs two septets (ESC + the character).
GSM7_EXTENSION = frozenset("^{}\\[~]|€\f")

SINGLE_SEGMENT_SEPTETS = 160
MULTIPART_SEGMENT_SEPTETS = 153
SINGLE_SEGMENT_UCS2 = 70
MULTIPART_SEGMENT_UCS2 = 67

# Common characters outside GSM-7 and a readable GSM-7 spelling for each. Anything not
# here and not recoverable by stripping accents is dropped.
_TRANSLITERATIONS = {
    "\u2014": "-",  # em dash
    "\u2013": "-",  # en dash
    "\u2010": "-",
    "\u2011": "-",
    "\u2212": "-",  # minus sign
    "\u2018": "'",
    "\u2019": "'",
    "\u201a": "'",
    "\u2032": "'",
    "`": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u201e": '"',
    "\u2033": '"',
    "\u2026": "...",
    "\u2022": "*",
    "\u00b7": "*",
    "\u00d7": "x",
    "\u00f7": "/",
    "\u2265": ">=",
    "\u2264": "<=",
    "\u2260": "!=",
    "\u2192": "->",
    "\u2190": "<-",
    "\u21d2": "=>",
    "\u00b1": "+/-",
    "\u00b0": "deg",
    "\u00b5": "u",
    "\u03bc": "u",
    "\u00a9": "(c)",
    "\u00ae": "(R)",
    "\u2122": "TM",
    "\u00a0": " ",
    "\u2009": " ",
    "\u202f": " ",
    "\t": " ",
}
_WHITESPACE = re.compile(r"\s+")


def is_gsm7(text: str) -> bool:
    """True when every character of `text` can be sent in the GSM-7 alphabet."""
    return all(ch in GSM7_BASIC or ch in GSM7_EXTENSION for ch in text)


def septets(text: str) -> int:
    """Septets `text` costs in GSM-7 (extension characters count twice); text must be GSM-7."""
    return sum(2 if ch in GSM7_EXTENSION else 1 for ch in text)


def segments(text: str) -> int:
    """How many SMS segments `text` is sent as (an empty text still costs one)."""
    if is_gsm7(text):
        costs = [2 if ch in GSM7_EXTENSION else 1 for ch in text]
        single, multi = SINGLE_SEGMENT_SEPTETS, MULTIPART_SEGMENT_SEPTETS
    else:
        # UCS-2 counts UTF-16 code units; a surrogate pair must not be split.
        costs = [2 if ord(ch) > 0xFFFF else 1 for ch in text]
        single, multi = SINGLE_SEGMENT_UCS2, MULTIPART_SEGMENT_UCS2
    if sum(costs) <= single:
        return 1
    # Pack greedily: an escape sequence or surrogate pair never straddles two parts.
    count, used = 1, 0
    for cost in costs:
        if used + cost > multi:
            count, used = count + 1, 0
        used += cost
    return count


def to_gsm7(text: str, *, single_line: bool = True) -> str:
    """Spell `text` in GSM-7: transliterate what has an equivalent, drop the rest.

    With `single_line`, line breaks and runs of whitespace become one space, because a
    page is read on a lock screen.
    """
    out: list[str] = []
    for ch in text:
        if ch in GSM7_BASIC or ch in GSM7_EXTENSION:
            out.append(ch)
        elif ch in _TRANSLITERATIONS:
            out.append(_TRANSLITERATIONS[ch])
        elif ch.isspace():
            out.append(" ")
        else:
            # "á" -> "a", "ç" -> "c": keep the base letters that GSM-7 has.
            base = unicodedata.normalize("NFKD", ch)
            out.append("".join(c for c in base if c in GSM7_BASIC or c in GSM7_EXTENSION))
    result = "".join(out)
    if single_line:
        result = _WHITESPACE.sub(" ", result).strip()
    return result


def truncate_septets(text: str, budget: int, marker: str = "...") -> str:
    """Cut GSM-7 `text` to at most `budget` septets, ending with `marker` when cut."""
    if septets(text) <= budget:
        return text
    room = budget - septets(marker)
    if room <= 0:
        return ""
    kept, used = [], 0
    for ch in text:
        cost = 2 if ch in GSM7_EXTENSION else 1
        if used + cost > room:
            break
        kept.append(ch)
        used += cost
    return "".join(kept).rstrip() + marker
