"""Errors a user can act on. Each carries a code and says what to do."""

from __future__ import annotations


class SambandhError(Exception):
    """An error with a one-line message meant for the person running sambandh."""

    code = "E000"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        if code:
            self.code = code

    def __str__(self) -> str:  # one line, always
        return " ".join(str(self.args[0]).split())


class InputError(SambandhError):
    """The input cannot be read: empty, binary, wrong encoding, invalid JSON."""

    code = "E100"


class UnsupportedLanguage(SambandhError):
    code = "E200"


class DataError(SambandhError):
    """A lexicon or knowledge file is malformed."""

    code = "E300"


class PipelineError(SambandhError):
    code = "E400"
