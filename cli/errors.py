"""The one way the ``kg`` commands fail: a ``kg: error:`` line on stderr and an exit code.

Exit 2 for bad input or usage (:class:`BadInput`), 1 for anything else
(:class:`Failure`); never a traceback, unless ``KG_DEBUG=1`` asks for one of an
unexpected error. Every command raises these; :class:`Group` turns the input
errors of the layers below (:class:`mapping.errors.InputError`, ``OSError``) into them.
"""

from __future__ import annotations

import os
from typing import NoReturn, TypeVar

import click
from pydantic import ValidationError
from pydantic_settings import BaseSettings

from mapping.errors import InputError

S = TypeVar("S", bound=BaseSettings)


class Failure(click.ClickException):
    """A command failed: one line, exit 1."""

    exit_code = 1

    def show(self, file=None) -> None:
        click.echo(f"kg: error: {self.format_message()}", err=True)


class BadInput(Failure):
    """A bad option, setting or input file: one line, exit 2."""

    exit_code = 2


def fail(message: str, code: int = 1) -> NoReturn:
    """Stop the command with ``message``: exit ``code`` (2 for bad input)."""
    raise (BadInput if code == 2 else Failure)(message)


def settings_of(cls: type[S], **overrides) -> S:
    """``cls`` from the options given (None: not given) and ``KG_*``; a bad value names its option or variable."""
    given = {key: value for key, value in overrides.items() if value is not None}
    try:
        return cls(**given)
    except ValidationError as error:
        first = error.errors()[0]
        name = ".".join(str(part) for part in first["loc"])
        # Name the parameter the value came from: the option, or else its environment variable.
        where = f"--{name.replace('_', '-')}" if name in given else f"KG_{name.upper()}"
        message = first["msg"].removeprefix("Value error, ")
        raise BadInput(f"{where} {first.get('input')!r}: {message}") from None


class Group(click.Group):
    """Turns errors into one-line messages: exit 2 for bad input, 1 for anything unexpected.

    ``KG_DEBUG=1`` shows the traceback of an unexpected error instead.
    """

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except InputError as error:
            raise BadInput(str(error)) from None
        except OSError as error:
            raise BadInput(f"{error.filename or ''}: {error.strerror}") from None
        except (click.exceptions.Exit, click.ClickException, KeyboardInterrupt, SystemExit):
            raise
        except Exception as error:
            if os.environ.get("KG_DEBUG"):
                raise
            raise Failure(f"unexpected {type(error).__name__}: {error} (KG_DEBUG=1 shows the traceback)") from None
