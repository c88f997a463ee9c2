"""Errors that reach the user as one clear line, never as a traceback."""


class UserError(Exception):
    """A problem the user can fix (bad input, unknown client, ...).

    The CLI prints each line of ``lines`` and exits with ``exit_code``.
    """

    exit_code = 1

    def __init__(self, *lines: str):
        super().__init__("\n".join(lines))
        self.lines = list(lines)


class BadFile(UserError):
    """One raw file that cannot be imported: names file, row, column and why."""


class ParamsError(UserError):
    """A params file that does not validate (exit status 2)."""

    exit_code = 2


class ReportFailed(UserError):
    """A notebook raised while it ran; the last good outputs are untouched."""

    exit_code = 1
