"""YAML with line numbers, and without YAML 1.1's silent conversions or its dangerous parts.

Why it is built this way:

- Every node keeps its line, so a problem found later (by pydantic) is reported at the line
  of the deepest node its field path reaches (`line_at`).
- YAML 1.1 silently rewrites some plain values: `034712` is octal (14794), `34_712` is 34712,
  `no`/`on` are booleans, `1:20` is 80. The loader resolves only `true`/`false`, plain decimal
  integers without leading zeros and `null`; everything else stays text exactly as written.
- Aliases, merge keys and tags other than the plain ones are refused before anything is
  built: one alias can stand for a whole tree, and PyYAML crashes on some explicit tags.
- libyaml (C) reads most files; the pure-Python loader reads again whatever libyaml reads
  differently (or cannot point at), so a file is read the same way on every machine.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from caljobs_bot.jobfile.problems import JobFileError, Problem, file_problem

_TAG = "tag:yaml.org,2002:"
_REPLACED_TAGS = {_TAG + name for name in ("bool", "int", "float", "timestamp", "value")}


def _job_resolvers() -> dict[Any, list[tuple[str, re.Pattern[str]]]]:
    """SafeLoader's implicit tags, with YAML 1.1's booleans, numbers and dates left as text:
    only true/false and whole numbers such as 0, -12 or 34 are read as such."""
    resolvers = {
        first: [(tag, regexp) for tag, regexp in rules if tag not in _REPLACED_TAGS]
        for first, rules in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    kept = (
        (_TAG + "bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), "tTfF"),
        # At most 18 digits: a longer run of digits stays text, and the field says what is
        # wrong with it (Python refuses to read numbers of more than 4,300 digits at all).
        (_TAG + "int", re.compile(r"^-?(?:0|[1-9][0-9]{0,17})$"), "-0123456789"),
    )
    for tag, regexp, firsts in kept:
        for first in firsts:
            resolvers.setdefault(first, []).append((tag, regexp))
    return resolvers


_NULL_WORDS = frozenset({"", "~", "null", "Null", "NULL"})
_BOOL_WORDS = frozenset({"true", "True", "TRUE", "false", "False", "FALSE"})
_PLAIN_INT = re.compile(r"-?(?:0|[1-9][0-9]{0,17})")


# The mixin below overrides methods of PyYAML's resolver and constructor, which it only meets
# in the loaders built from it; mypy needs the base spelt out to check the super() calls.
# (PyYAML has no type hints here, so the base is Any to mypy.)
_LoaderParts: Any = yaml.SafeLoader if TYPE_CHECKING else object


class _JobConstructor(_LoaderParts):
    """The rules both loaders below share: which plain scalars are typed, and how values are
    built."""

    yaml_implicit_resolvers = _job_resolvers()

    def resolve(self, kind: type, value: str, implicit: tuple[bool, bool]) -> str:
        """The tag of a node without one: what the table above says, without PyYAML's
        per-scalar walk through regular expressions (the largest cost of validating 20,000
        records: 220,000 calls). tests/test_yaml_parsers.py checks it against the table."""
        if kind is ScalarNode:
            if implicit[0]:
                if value in _NULL_WORDS:
                    return _TAG + "null"
                if value in _BOOL_WORDS:
                    return _TAG + "bool"
                if value == "<<":
                    return _TAG + "merge"
                if value in ("!", "&", "*"):  # SafeLoader's 'yaml' tag: a lone indicator
                    return _TAG + "yaml"
                if _PLAIN_INT.fullmatch(value):
                    return _TAG + "int"
            return _TAG + "str"
        resolved: str = super().resolve(kind, value, implicit)
        return resolved

    def construct_object(self, node: Node, deep: bool = False) -> Any:
        """PyYAML's value, or a YAML error at the node: explicit tags such as `!!int ''` or
        `!!timestamp x` make PyYAML itself crash with IndexError, AttributeError and the like.
        """
        try:
            return super().construct_object(node, deep=deep)
        except yaml.YAMLError:
            raise
        except (ArithmeticError, AttributeError, LookupError, TypeError, ValueError) as error:
            if isinstance(error, ValueError) and "integer string conversion" in str(error):
                raise yaml.constructor.ConstructorError(
                    None, None, f"found a number of {len(str(node.value))} characters",
                    node.start_mark
                ) from None
            raise yaml.constructor.ConstructorError(
                None, None, f"could not read the value tagged {_shown_tag(node.tag)}",
                node.start_mark
            ) from None

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[Any, Any]:
        """Keys as written (`1:` is the key '1'). Merge keys (<<) never get here: refused in
        _node_problems before anything is built."""
        mapping: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                raise yaml.constructor.ConstructorError(
                    None, None, "found a list or mapping used as a key", key_node.start_mark
                )
            mapping[key_node.value] = self.construct_object(value_node, deep=deep)
        return mapping


class _JobLoader(_JobConstructor, yaml.SafeLoader):
    """A SafeLoader whose plain scalars stay text unless they are true/false, null or 0/-12/34.

    Pure Python: slow on big files, but its error messages are the ones _YAML_HINTS explains.
    It refuses an alias (*name) where it is written, so the message has the alias's line.
    """

    def compose_node(self, parent: Node | None, index: object) -> Node | None:
        """PyYAML's node, refusing aliases: one alias can stand for a whole tree, and merge
        keys over nested aliases make a 1 KB file cost minutes and gigabytes to build."""
        if self.check_event(yaml.AliasEvent) and self.peek_event().anchor in self.anchors:
            event = self.peek_event()
            raise yaml.composer.ComposerError(
                None, None, f"found an alias *{event.anchor}", event.start_mark
            )
        return super().compose_node(parent, index)


# libyaml's parser (C) composes the same nodes, with the same line marks, several times faster:
# validating 10,000 records takes 2.3 s instead of 7.4 (bench/RESULTS.md). PyYAML wheels ship
# it; where it is missing, the pure-Python loader does all the work.
_FastJobLoader: type | None = None
if getattr(yaml, "__with_libyaml__", False):

    class _FastJobLoader(_JobConstructor, yaml.CSafeLoader):  # type: ignore[no-redef]  # None where libyaml is missing
        """_JobLoader's rules on libyaml's parser."""



# PyYAML's wording → the key of its advice (problems.YAML_ADVICE), first match wins. PyYAML
# gives its errors as text only, so its wording is all there is to go by.
_YAML_HINTS: tuple[tuple[str, str], ...] = (
    ("found character '\\t'", "yaml_tab"),
    ("mapping values are not allowed here", "yaml_colon"),
    ("could not find expected ':'", "yaml_no_colon"),
    ("expected <block end>", "yaml_indentation"),
    ("but got '?'", "yaml_flow_question_mark"),
    ("expected ',' or '}'", "yaml_flow_mapping"),
    ("expected ',' or ']'", "yaml_flow_list"),
    ("found an alias", "yaml_alias"),
    ("found undefined alias", "yaml_undefined_alias"),
    ("expected a single document", "yaml_documents"),
    ("found a list or mapping used as a key", "yaml_key_not_name"),
    ("found unhashable key", "yaml_key_not_name"),
    ("could not determine a constructor", "yaml_unknown_tag"),
    ("could not read the value tagged", "yaml_tagged_value"),
    ("found unexpected end of stream", "yaml_unclosed"),
    ("found a number of", "yaml_long_number"),
    ("found duplicate anchor", "yaml_duplicate_anchor"),
)


def _yaml_problem(file: Path, error: yaml.YAMLError, text: str) -> Problem:
    """A YAML error in plain words, at the line where it happened."""
    line: int | None = None
    if isinstance(error, yaml.reader.ReaderError):
        line = text.count("\n", 0, error.position) + 1
        return Problem(file, line, (), "control_character")
    said = "the file is not valid YAML"
    if isinstance(error, yaml.MarkedYAMLError):
        mark = error.problem_mark or error.context_mark
        if error.context and "quoted scalar" in error.context and error.context_mark:
            mark = error.context_mark
        line = mark.line + 1 if mark else None
        said = " ".join(str(part) for part in (error.context, error.problem) if part)
    key = next((key for wording, key in _YAML_HINTS if wording in said), "yaml_syntax")
    return Problem(file, line, (), key, {"yaml": said})


def utf16_without_bom(raw: bytes) -> str | None:
    """'UTF-16 LE' or 'UTF-16 BE' when the bytes look like UTF-16 text without a byte-order
    mark (every other byte NUL), else None. Some Windows tools save text this way; read as
    UTF-8 it is full of NULs, which YAML calls 'control characters'."""
    head = raw[:400]
    if len(head) < 4 or head.count(0) < len(head) // 3:
        return None
    odd, even = head[1::2].count(0), head[0::2].count(0)
    if odd >= len(head[1::2]) * 0.8:
        return "UTF-16 LE"
    if even >= len(head[0::2]) * 0.8:
        return "UTF-16 BE"
    return None


def decode(file: Path, raw: bytes) -> str:
    """The file's text; a clear problem when it is not saved as UTF-8 (e.g. by Excel)."""
    encoding = None if raw.startswith((b"\xff\xfe", b"\xfe\xff")) else utf16_without_bom(raw)
    if encoding is not None:
        raise file_problem(file, "utf16_without_bom", encoding=encoding)
    try:
        if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
            return raw.decode("utf-16")
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise JobFileError([Problem(file, line, (), "not_utf8")]) from None


# What libyaml reads differently from PyYAML, found in the text: a tab; a tag (`!`, `!a`:
# on an empty value libyaml makes `!` '' where PyYAML makes it null, and in {...} libyaml
# takes `!a,` where PyYAML wants a space); a block scalar header run into a comment (`|#`,
# refused by PyYAML). Such files are read by the pure-Python loader only (slower, never
# different); job files rarely hold any of these.
_LIBYAML_DIFFERS = re.compile(r"\t|(?<![^\s\[{,])!|(?<![^\s\[{,:-])[|>][-+0-9]*#")


class _ReadAgain(Exception):
    """libyaml composed what the pure-Python loader reads differently (a '?' inside a plain
    value in {...} or [...]) or can point at better (an alias): it reads the file again."""


def compose(file: Path, text: str) -> tuple[Node | None, Any, list[Problem]]:
    """The YAML node tree (for lines), the plain data built from it, and duplicate keys.

    libyaml reads the file when it can; on any YAML error the pure-Python loader reads it again,
    so that the message (and its advice) is the same whichever parser this machine has. A file
    with a tab also goes to the pure-Python loader: libyaml lets some tabs pass that PyYAML
    refuses, and a file must not be valid on one machine and refused on another. So does a
    file with an alias, which only the pure-Python loader can point at, and one with a '?'
    inside a plain value in {...} or [...]: libyaml reads `{s? ate_id: 1}` as the key
    's? ate_id', PyYAML stops at the '?' and refuses the line (tests/test_yaml_parsers.py).
    """
    if _FastJobLoader is not None and not _LIBYAML_DIFFERS.search(text):
        try:
            return _compose_with(_FastJobLoader, file, text)
        except (JobFileError, _ReadAgain):
            pass
    try:
        return _compose_with(_JobLoader, file, text)
    except _ReadAgain:  # the pure loader refuses both as it composes: not reached
        raise file_problem(file, "alias") from None


def _compose_with(
    loader_class: type, file: Path, text: str
) -> tuple[Node | None, Any, list[Problem]]:
    """compose with one loader. Nothing is built (constructed) from a tree with a problem
    in its shape: an unsupported tag or a merge key could crash PyYAML or cost gigabytes."""
    loader: Any = None
    try:
        loader = loader_class(text)  # checks for control characters at once
        root = loader.get_single_node()
        if root is None:
            return None, None, []
        if _empty_plain(root) and loader_class is not _JobLoader:
            raise _ReadAgain  # an empty document ('---'): libyaml puts it a line later
        duplicates, refused = _node_problems(file, root, loader_class is not _JobLoader)
        if refused:
            raise JobFileError([*duplicates, *refused])
        data = loader.construct_document(root)
    except yaml.YAMLError as error:
        raise JobFileError([_yaml_problem(file, error, text)]) from None
    except RecursionError:
        raise file_problem(file, "too_deep") from None
    except (ArithmeticError, AttributeError, LookupError, TypeError, ValueError) as error:
        # Not seen since the tags are checked first; a PyYAML surprise is still a problem
        # with a file name, never a traceback.
        raise file_problem(file, "unreadable_yaml", error_type=type(error).__name__) from None
    finally:
        if loader is not None:
            loader.dispose()
    return root, data, duplicates


# The tags a job file's values may carry (written or implied): text, numbers, true/false,
# null, mappings and lists. `!!str 034712` is fine; `!!set`, `!!binary`, `!!python/...`,
# `!!timestamp` and custom `!tags` are not, nor a tag on the wrong kind of node (`!!map [a]`).
_ALLOWED_TAGS: dict[type, frozenset[str]] = {
    ScalarNode: frozenset(_TAG + name for name in ("str", "int", "bool", "null", "float")),
    MappingNode: frozenset({_TAG + "map"}),
    SequenceNode: frozenset({_TAG + "seq"}),
}


def _shown_tag(tag: str) -> str:
    shown = "!!" + tag[len(_TAG):] if tag.startswith(_TAG) else tag
    return shown if len(shown) <= 40 else shown[:37] + "..."


def _plain_with_question_mark(node: Node) -> bool:
    """A plain (unquoted) value holding a '?': inside {...} or [...], only libyaml reads it."""
    return isinstance(node, ScalarNode) and not node.style and "?" in node.value


def _empty_plain(node: Node) -> bool:
    return isinstance(node, ScalarNode) and not node.style and node.value == ""


def _node_problems(file: Path, root: Node,
                   libyaml: bool) -> tuple[list[Problem], list[Problem]]:
    """One walk over the nodes: keys written twice (YAML would keep only the last), and the
    shapes refused before anything is built: unsupported tags, merge keys (<<), aliases.

    A node met twice is an alias, which libyaml composes silently: _ReadAgain sends the file
    to the pure-Python loader, which refuses it at the alias's own line. So does a plain
    value with a '?' in a {...} or [...] (only libyaml composes one): PyYAML refuses it. So
    does an empty plain key, which libyaml marks a line later. `libyaml` says which parser
    composed the tree: the pure-Python one needs none of this.
    """
    duplicates: list[Problem] = []
    refused: list[Problem] = []
    seen: set[int] = set()
    stack: list[tuple[Node, tuple[str | int, ...], bool]] = [(root, (), False)]
    while stack:
        node, loc, in_flow = stack.pop()
        if id(node) in seen or (libyaml and in_flow and _plain_with_question_mark(node)):
            raise _ReadAgain
        seen.add(id(node))
        if node.tag not in _ALLOWED_TAGS.get(type(node), frozenset()):
            kind = {ScalarNode: "a single value", MappingNode: "a mapping",
                    SequenceNode: "a list"}.get(type(node), "a value")
            refused.append(Problem(file, node.start_mark.line + 1, loc, "tag",
                                   {"tag": _shown_tag(node.tag), "kind": kind}))
            continue
        if isinstance(node, MappingNode):
            first_line: dict[str, int] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, ScalarNode):
                    refused.append(Problem(file, key_node.start_mark.line + 1, loc,
                                           "key_not_name"))
                    continue
                if libyaml and (_empty_plain(key_node) or (
                        node.flow_style and _plain_with_question_mark(key_node))):
                    raise _ReadAgain  # an empty key (`? `): libyaml marks it a line later
                key, line = key_node.value, key_node.start_mark.line + 1
                if key_node.tag == _TAG + "merge":
                    refused.append(Problem(file, line, loc, "merge_key"))
                    continue
                if key in first_line:
                    duplicates.append(Problem(file, line, (*loc, key), "duplicate_key",
                                              {"first_line": first_line[key]}))
                else:
                    first_line[key] = line
                stack.append((value_node, (*loc, key), bool(node.flow_style)))
        elif isinstance(node, SequenceNode):
            stack.extend((item, (*loc, number), bool(node.flow_style))
                         for number, item in enumerate(node.value))
    return duplicates, refused


def line_at(root: Node, loc: Sequence[str | int]) -> int:
    """The line of the deepest node along `loc` that exists (a key's own line for mappings)."""
    node, line = root, root.start_mark.line + 1
    for part in loc:
        if isinstance(node, MappingNode):
            matches = [
                (key, value)
                for key, value in node.value
                if isinstance(key, ScalarNode) and key.value == str(part)
            ]
            if not matches:
                break
            key_node, node = matches[-1]
            line = key_node.start_mark.line + 1
        elif isinstance(node, SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            break
    return line

