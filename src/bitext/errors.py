"""Typed errors: the CLI turns each into a one-line message and exit status 2."""


class BitextError(Exception):
    """Base class for every error the tool reports to a user."""


class InputError(BitextError):
    """A document or argument the tool cannot use (names the file or the problem)."""


class DamagedIndexError(BitextError):
    """The index is missing, damaged or from another version; the message names the fix."""


class BusyError(BitextError):
    """Another build holds the index lock."""


class InternalError(BitextError):
    """A broken invariant of the tool itself (a bug to report); the message names the document."""
