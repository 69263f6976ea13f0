"""Reading the composed YAML node tree, reporting wrong shapes instead of raising.

The loader works on nodes (not on `yaml.safe_load`'s plain dicts) because nodes remember
where they came from: every problem can name its line and column. Each reader here returns
`None` after recording a problem, so validation goes on and reports everything at once.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import TypeVar

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from oncall.config.problems import Problems
from oncall.config.values import did_you_mean
from oncall.config.yaml_limits import YamlTooComplex, compose_guarded
from oncall.durations import parse_duration

T = TypeVar("T")

_TAG = "tag:yaml.org,2002:"
_CONSTRUCT = SafeConstructor()  # only its scalar constructors are used, which keep no state


def compose(text: str, problems: Problems) -> Node | None:
    """The node tree of a one-document YAML text, or None after reporting a syntax error."""
    try:
        return compose_guarded(text)
    except YamlTooComplex as error:
        problems.error(error.mark, f"the YAML is refused: {error}")
    except yaml.MarkedYAMLError as error:
        problems.syntax_error(text, error)
    except yaml.YAMLError as error:
        problems.error(None, f"YAML syntax error: {error}")
    return None


def is_null(node: Node) -> bool:
    return isinstance(node, ScalarNode) and node.tag == _TAG + "null"


def describe(node: Node) -> str:
    """What a node is, in the words of a message: "a list", "a mapping", "`42`", "nothing"."""
    if isinstance(node, MappingNode):
        return "a mapping"
    if isinstance(node, SequenceNode):
        return "a list"
    if is_null(node):
        return "nothing"
    return f"`{node.value}`"


@dataclass
class Fields:
    """A checked YAML mapping: keys are text, unique and known."""

    node: MappingNode
    values: dict[str, Node]
    keys: dict[str, Node]

    def get(self, name: str) -> Node | None:
        """The value node of `name`; None when the key is absent or its value is empty."""
        node = self.values.get(name)
        return None if node is None or is_null(node) else node

    def __contains__(self, name: str) -> bool:
        return self.get(name) is not None


def read_mapping(
    node: Node,
    problems: Problems,
    what: str,
    allowed: Iterable[str] | None = None,
    *,
    required: Iterable[str] = (),
    extensions: bool = True,
) -> Fields | None:
    """Check that `node` is a mapping with unique keys, all in `allowed`, and every `required`.

    `allowed=None` accepts any key (mappings of names, such as `people`). With `extensions`,
    keys beginning with `x-` are skipped, so a file can keep YAML anchors under them; label
    mappings (data, not structure) pass `extensions=False`.
    """
    if not isinstance(node, MappingNode):
        problems.error(node, f"{what} must be a mapping (key: value), not {describe(node)}")
        return None
    values: dict[str, Node] = {}
    keys: dict[str, Node] = {}
    allowed_set = None if allowed is None else list(allowed)
    for key_node, value_node in _pairs_with_merges(node, problems, what):
        if not isinstance(key_node, ScalarNode) or is_null(key_node):
            problems.error(
                key_node,
                f"keys in {what} must be plain names, not {describe(key_node)}",
            )
            continue
        key = str(key_node.value)
        if key in keys:
            first = keys[key].start_mark.line + 1
            problems.error(key_node, f"duplicate key `{key}` in {what} (first at line {first})")
            continue
        if extensions and key.startswith("x-"):
            continue
        if allowed_set is not None and key not in allowed_set:
            hint = did_you_mean(key, allowed_set)
            problems.error(key_node, f"unknown key `{key}` in {what}{hint}")
            continue
        keys[key] = key_node
        values[key] = value_node
    fields = Fields(node, values, keys)
    for name in required:
        if name not in keys:
            problems.error(node, f"{what} is missing `{name}`")
        elif fields.get(name) is None:
            problems.error(values[name], f"`{name}` in {what} has no value")
    return fields


def _pairs_with_merges(node: MappingNode, problems: Problems, what: str) -> list[tuple[Node, Node]]:
    # `<<: *defaults` merges another mapping's keys; keys written here take precedence.
    merged: list[tuple[Node, Node]] = []
    own: list[tuple[Node, Node]] = []
    for key_node, value_node in node.value:
        if key_node.tag != _TAG + "merge":
            own.append((key_node, value_node))
            continue
        sources = value_node.value if isinstance(value_node, SequenceNode) else [value_node]
        for source in sources:
            if isinstance(source, MappingNode):
                merged.extend(_pairs_with_merges(source, problems, what))
            else:
                problems.error(
                    source,
                    f"`<<` in {what} must merge a mapping, not {describe(source)}",
                )
    own_keys = {k.value for k, _ in own if isinstance(k, ScalarNode)}
    seen: set[str] = set()
    inherited = []
    for key_node, value_node in merged:
        name = key_node.value if isinstance(key_node, ScalarNode) else None
        if name in own_keys or name in seen:
            continue
        seen.add(name)
        inherited.append((key_node, value_node))
    return inherited + own


def read_list(node: Node, problems: Problems, what: str) -> list[Node] | None:
    """The items of a YAML list (an empty value is an empty list)."""
    if is_null(node):
        return []
    if not isinstance(node, SequenceNode):
        problems.error(node, f"{what} must be a list, not {describe(node)}")
        return None
    return list(node.value)


def read_text(node: Node, problems: Problems, what: str) -> str | None:
    """A scalar as the text written in the file (so `10:00` stays `10:00`, not 600)."""
    if not isinstance(node, ScalarNode) or is_null(node):
        problems.error(node, f"{what} must be a single value, not {describe(node)}")
        return None
    return str(node.value)


def read_optional_text(node: Node | None, problems: Problems, what: str) -> str:
    """A scalar's text, or "" when the key is absent."""
    if node is None:
        return ""
    return read_text(node, problems, what) or ""


def read_texts(
    node: Node, problems: Problems, what: str, single_ok: bool = False
) -> list[tuple[str, Node]] | None:
    """A list of scalars with their nodes; `single_ok` also takes one bare value."""
    if single_ok and isinstance(node, ScalarNode) and not is_null(node):
        return [(str(node.value), node)]
    items = read_list(node, problems, what)
    if items is None:
        return None
    out = []
    for item in items:
        text = read_text(item, problems, f"each item of {what}")
        if text is not None:
            out.append((text, item))
    return out


def read_parsed(node: Node, problems: Problems, what: str, parse: Callable[[str], T]) -> T | None:
    """A scalar run through one of `oncall.config.values`' parsers."""
    text = read_text(node, problems, what)
    if text is None:
        return None
    try:
        return parse(text)
    except ValueError as error:
        problems.error(node, f"{what}: {error}")
        return None


def read_int(node: Node, problems: Problems, what: str, minimum: int = 0) -> int | None:
    """A whole number of at least `minimum`."""
    if not isinstance(node, ScalarNode) or node.tag != _TAG + "int":
        problems.error(node, f"{what} must be a whole number, not {describe(node)}")
        return None
    value = _CONSTRUCT.construct_yaml_int(node)
    if value < minimum:
        problems.error(node, f"{what} must be at least {minimum}, not {value}")
        return None
    return value


def read_number(
    node: Node,
    problems: Problems,
    what: str,
    low: float,
    *,
    high: float | None = None,
    low_allowed: bool = True,
) -> float | None:
    """A number from `low` to `high` inclusive (`high=None`: no upper bound).

    `low_allowed=False` makes the lower bound exclusive (a prior strength of 0 means nothing).
    """
    if not isinstance(node, ScalarNode) or node.tag not in (
        _TAG + "int",
        _TAG + "float",
    ):
        problems.error(node, f"{what} must be a number, not {describe(node)}")
        return None
    if node.tag == _TAG + "int":
        value = float(_CONSTRUCT.construct_yaml_int(node))
    else:
        value = float(_CONSTRUCT.construct_yaml_float(node))
    too_low = value < low or (value == low and not low_allowed)
    if not math.isfinite(value) or too_low or (high is not None and value > high):
        above = "at least" if low_allowed else "more than"
        bound = f"{above} {low:g}" + (f" and at most {high:g}" if high is not None else "")
        problems.error(node, f"{what} must be {bound}, not `{node.value}`")
        return None
    return value


def read_duration(node: Node, problems: Problems, what: str, positive: bool = False) -> timedelta | None:
    """A duration (`90s`, `5m`, `1h30m`, `2w`); `positive` refuses `0`."""
    value = read_parsed(node, problems, what, parse_duration)
    if value is not None and positive and value <= timedelta(0):
        problems.error(node, f"{what} must be longer than 0")
        return None
    return value
