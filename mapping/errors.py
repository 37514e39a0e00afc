"""Errors the pipeline raises for bad input; the CLI prints them on one line."""


class InputError(Exception):
    """Input that cannot be used at all: the message names the file, line or parameter."""
