"""pydantic's validation errors as job-file problems, at the line a person edits.

Why it is built this way: pydantic says where (`loc`), what (`type`) and with which values
(`ctx`); all three are kept on the problem (`problems.Problem`), and the sentence is made
from them by `problems.problem_message`. A field that came from `defaults:` is pointed at the
defaults line; one that came from the settings names them. An unknown key carries the field
it was probably meant to be, or the fields there are.
"""

from __future__ import annotations

import difflib
import typing
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails
from yaml.nodes import Node

from caljobs_bot.jobfile.defaults import from_defaults, from_fallback
from caljobs_bot.jobfile.models import JobSpec
from caljobs_bot.jobfile.problems import Loc, Problem
from caljobs_bot.jobfile.yaml_reader import line_at


def _model_at(loc: Loc) -> type[BaseModel] | None:
    """The model whose fields are valid at `loc` (JobSpec at the top)."""
    model: type[BaseModel] | None = JobSpec
    for part in loc:
        if isinstance(part, int) or model is None:
            continue
        field = model.model_fields.get(part)
        model = _inner_model(field.annotation) if field else None
    return model


def _inner_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for argument in typing.get_args(annotation):
        found = _inner_model(argument)
        if found is not None:
            return found
    return None


def _unknown_field(loc: Loc) -> dict[str, Any]:
    """The known field closest to the unknown key at `loc`, else all the known fields."""
    model = _model_at(loc[:-1])
    known = sorted(model.model_fields) if model else []
    close = difflib.get_close_matches(str(loc[-1]), known, n=1, cutoff=0.6)
    return {"suggestion": close[0]} if close else {"known": tuple(known)}


def _context(error: ErrorDetails, loc: Loc) -> dict[str, Any]:
    """pydantic's ctx (an exception as its sentence), the kind of value given, its message."""
    context: dict[str, Any] = {
        name: str(value) if isinstance(value, Exception) else value
        for name, value in (error.get("ctx") or {}).items()
    }
    context["input_type"] = type(error.get("input")).__name__
    context["msg"] = error["msg"]
    if error["type"] == "extra_forbidden":
        context.update(_unknown_field(loc))
    return context


def validation_problems(error: ValidationError, file: Path, root: Node, data: dict[str, Any],
                        fallback_sources: Mapping[str, str]) -> list[Problem]:
    """One problem per pydantic error, at the line of the value (or of `defaults:`)."""
    problems = []
    for item in error.errors(include_url=False):
        loc = from_defaults(tuple(item["loc"]), data)
        context = _context(item, loc)
        source = from_fallback(loc, data, fallback_sources)
        if source is not None:
            context["from_settings"] = source
        problems.append(Problem(file, line_at(root, loc), loc, item["type"], context))
    return problems
