"""Parser placeholder; replaced by the real parser."""

from mapping.records import ParseResult


def parse(lines, source_id):
    return ParseResult(source_id)
