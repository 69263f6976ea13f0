"""What a YAML syntax error probably is, and where the mistake is (not where PyYAML noticed it).

    found = diagnose(text, error)      # error: a yaml.MarkedYAMLError from composing `text`
    found.line, found.column           # 0-based, of the mistake
    found.hint                         # "missing `:` after `name`", "a tab character; ..."
    excerpt(text, found.line, found.column)
        #   4 |     name Kim
        #     |         ^

PyYAML reports where it gave up, often the line after the mistake ("mapping values are not
allowed here" under a key without its colon). The rules below look at the lines around that
spot for the usual mistakes: a tab, an unclosed quote or bracket, a missing `:`, a line
indented more or less than its neighbours, a list item `-` out of line with the one above.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import yaml

_KEY = re.compile(r"\s*(?:-\s+)?([^\s:#'\"][^:#]*?)\s*:(?:\s|$)")  # `key:` or `- key:` at a line's start
_ITEM = re.compile(r"\s*-(?:\s|$)")
_VALUE_QUOTE = re.compile(r"(?:^\s*(?:-\s+)?|:\s+|-\s+)(['\"])")  # a quote that starts a value


@dataclass(frozen=True)
class Diagnosis:
    """The mistake's place (0-based line and column) and what is probably wrong there."""

    line: int
    column: int
    hint: str


def diagnose(text: str, error: yaml.MarkedYAMLError) -> Diagnosis:
    """The likeliest mistake behind `error`; PyYAML's own words at its mark when no rule fits."""
    lines = text.splitlines() or [""]
    for rule in _RULES:
        found = rule(lines, error)
        if found is not None:
            return found
    mark = error.problem_mark or error.context_mark
    return Diagnosis(mark.line, mark.column, _pyyaml_words(error))


def excerpt(text: str, line: int, column: int) -> str:
    """The line with its number and a caret under `column` (tabs shown as one space)."""
    lines = text.splitlines() or [""]
    shown = lines[min(line, len(lines) - 1)].replace("\t", " ") if line < len(lines) else ""
    number = str(line + 1)
    gutter = " " * len(number)
    return f"  {number} | {shown}\n  {gutter} | {' ' * column}^"


def _tab(lines: list[str], error: yaml.MarkedYAMLError) -> Diagnosis | None:
    if "'\\t'" not in (error.problem or ""):
        return None
    mark = error.problem_mark
    line = lines[mark.line] if mark.line < len(lines) else ""
    column = line.find("\t") if "\t" in line else mark.column
    return Diagnosis(
        mark.line, column, "a tab character; YAML allows only spaces here: replace the tab with spaces"
    )


def _unclosed_quote(lines: list[str], error: yaml.MarkedYAMLError) -> Diagnosis | None:
    if (error.context or "").startswith("while scanning a quoted scalar") and error.context_mark:
        mark = error.context_mark
        return _quote_hint(mark.line, mark.column, lines[mark.line][mark.column])
    last = error.problem_mark.line if error.problem_mark else len(lines) - 1
    for number in range(min(last, len(lines) - 1) + 1):
        column = _open_quote(lines[number])
        if column is not None:
            return _quote_hint(number, column, lines[number][column])
    return None


def _quote_hint(line: int, column: int, quote: str) -> Diagnosis:
    return Diagnosis(
        line, column, f"this quote ({quote}) is not closed: end the value with {quote} on this line"
    )


def _open_quote(line: str) -> int | None:
    """The column of a quote that starts a value and is not closed on the line, or None."""
    match = _VALUE_QUOTE.search(line)
    if match is None:
        return None
    quote, start = match[1], match.start(1)
    rest = line[start + 1 :]
    if quote == "'":
        closed = re.search(r"(?<!')'(?!')|^'$", rest.replace("''", "")) is not None
    else:
        closed = re.search(r'(?<!\\)"', rest) is not None
    return None if closed else start


def _unclosed_bracket(lines: list[str], error: yaml.MarkedYAMLError) -> Diagnosis | None:
    context, opened, noticed = error.context or "", error.context_mark, error.problem_mark
    if not context.startswith("while parsing a flow") or opened is None or noticed is None:
        return None
    if opened.line == noticed.line:
        return None
    bracket = lines[opened.line][opened.column] if opened.line < len(lines) else "["
    closing = {"[": "]", "{": "}"}.get(bracket, "]")
    return Diagnosis(
        opened.line, opened.column, f"this `{bracket}` is not closed on its line: add `{closing}` at its end"
    )


def _missing_colon(lines: list[str], error: yaml.MarkedYAMLError) -> Diagnosis | None:
    problem = error.problem or ""
    if problem.startswith("could not find expected ':'") and error.context_mark:
        number = error.context_mark.line
        return _colon_hint(number, lines[number])
    if problem != "mapping values are not allowed here" or error.problem_mark is None:
        return None
    above = _line_above(lines, error.problem_mark.line)
    if above is not None and _KEY.match(lines[above]) is None and _ITEM.match(lines[above]) is None:
        return _colon_hint(above, lines[above])
    return None


def _colon_hint(number: int, line: str) -> Diagnosis:
    stripped = line.strip()
    word = stripped.split()[0] if stripped else ""
    column = len(line) - len(line.lstrip()) + len(word)
    return Diagnosis(
        number, column, f"missing `:` after `{word}` (write `{word}: value`, or `{word}:` above a block)"
    )


def _over_indented(lines: list[str], error: yaml.MarkedYAMLError) -> Diagnosis | None:
    if error.problem != "mapping values are not allowed here" or error.problem_mark is None:
        return None
    number = error.problem_mark.line
    above = _line_above(lines, number)
    if above is None or _indent(lines[number]) <= _indent(lines[above]):
        return None
    key = _key(lines[above])
    return Diagnosis(
        number,
        _indent(lines[number]),
        f"this line is indented more than the key above it expects (`{key}` on line {above + 1} "
        f"already has a value); line it up with `{key}` ({_indent(lines[above])} spaces)",
    )


def _misaligned(lines: list[str], error: yaml.MarkedYAMLError) -> Diagnosis | None:
    if not (error.problem or "").startswith("expected <block end>") or error.problem_mark is None:
        return None
    number = error.problem_mark.line
    if number >= len(lines):
        return None
    indent = _indent(lines[number])
    if _ITEM.match(lines[number]):
        item = next((n for n in range(number - 1, -1, -1) if _ITEM.match(lines[n])), None)
        if item is not None and _indent(lines[item]) != indent:
            return Diagnosis(
                number,
                indent,
                f"a list item `-` at a different indentation from the one on line {item + 1}; "
                f"line the `-` up with it ({_indent(lines[item])} spaces)",
            )
    levels = _enclosing(lines, number)
    named = " or ".join(f"`{_key(lines[n])}` ({_indent(lines[n])} spaces)" for n in levels[:2])
    return Diagnosis(
        number,
        indent,
        f"this line's indentation ({indent} spaces) matches no key above it; line it up with {named}",
    )


def _enclosing(lines: list[str], number: int) -> list[int]:
    """The lines above whose indentation a line there may have, nearest in width first."""
    found: list[int] = []
    smallest = None
    for n in range(number - 1, -1, -1):
        if not lines[n].strip() or lines[n].lstrip().startswith("#"):
            continue
        if smallest is None or _indent(lines[n]) < smallest:
            smallest = _indent(lines[n])
            found.append(n)
    target = _indent(lines[number])
    return sorted(found, key=lambda n: abs(_indent(lines[n]) - target))


def _line_above(lines: list[str], number: int) -> int | None:
    for n in range(min(number, len(lines)) - 1, -1, -1):
        if lines[n].strip() and not lines[n].lstrip().startswith("#"):
            return n
    return None


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _key(line: str) -> str:
    match = _KEY.match(line)
    return match[1] if match else line.strip()


def _pyyaml_words(error: yaml.MarkedYAMLError) -> str:
    problem = error.problem or "the text cannot be read"
    context = error.context or ""
    if problem.startswith("but "):
        return f"{context}, {problem}"
    return f"{problem} ({context})" if context else problem


_RULES: tuple[Callable[[list[str], yaml.MarkedYAMLError], Diagnosis | None], ...] = (
    _tab,
    _unclosed_quote,
    _unclosed_bracket,
    _missing_colon,
    _over_indented,
    _misaligned,
)
