"""Exceptions that carry a message meant for a person."""

from __future__ import annotations


class InspectorError(Exception):
    """An expected failure whose message can be shown to the user as it is."""


class StoreError(InspectorError):
    """The capture store cannot be opened, read or written."""


class NotFoundError(InspectorError):
    """A capture (or other named object) does not exist."""


class UsageError(InspectorError):
    """The user asked for something malformed (bad option value, unknown name)."""


class FormatError(InspectorError):
    """An import or export format failed; the message names the format and the problem."""


class QueryError(UsageError):
    """A filter expression is malformed; `position` is the 0-based offset of the culprit."""

    def __init__(self, message: str, position: int) -> None:
        super().__init__(message)
        self.position = position


class UndefinedVariableError(UsageError):
    """A `{{name}}` placeholder has no value; `name` and `where` (URL, header X, body line N)."""

    def __init__(self, name: str, where: str) -> None:
        super().__init__(f"undefined variable {{{{{name}}}}} in {where}")
        self.name = name
        self.where = where


class QueryInterrupted(InspectorError):
    """A store query was stopped by Store.interrupt() before it finished."""


def interrupted(exc: BaseException) -> bool:
    """Whether a search failed only because a newer one interrupted it."""
    if isinstance(exc, QueryInterrupted):
        return True
    return isinstance(exc, InspectorError) and "interrupt" in str(exc).lower()
