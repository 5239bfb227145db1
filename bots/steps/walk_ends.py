"""How a step's read-only check stops `caljobs-bot check` (steps/preflight.py): on its own,
so the step modules can raise it without importing the walk, which imports the steps."""


class WalkEnds(Exception):
    """A screen could not be reached; the walk stops there."""
