"""Text from results files, made inert for Markdown.

Where it sits: stage 6, reports. The leaderboard is Markdown built from results files
that anyone may submit, so a system name, a version or a file name is data, never
markup: `inert` makes it render as the same characters and nothing else (no heading,
link, image, emphasis, code, HTML tag or entity, table cell, or autolink).
"""

from __future__ import annotations

import re
from urllib.parse import quote

from bench.errors import printable

# What CommonMark with GitHub's extensions (tables, strikethrough, autolinks) may read as
# markup inside a line that is not a line's start. Each is backslash-escaped (CommonMark
# renders an escaped ASCII punctuation character as itself): `:` and `@` so that no URL
# or e-mail address is autolinked, and the dot of `www.` for the same reason.
_MARKUP = re.compile(r"[\\`*_\[\]<>&|~!:@]|(?<=www)\.", re.IGNORECASE)
_BREAK = re.compile(r"[\r\n\u2028\u2029\x0b\x0c\x85]+")


def inert(text: object) -> str:
    """`text` as literal Markdown inline text on one line: line breaks become spaces,
    control characters their escapes (`bench.errors.printable`), markup characters are
    backslash-escaped; letters, digits, spaces and other punctuation stay as they are."""
    one_line = printable(_BREAK.sub(" ", str(text)))
    return _MARKUP.sub(lambda m: "\\" + m.group(), one_line)


def link_target(path: str) -> str:
    """A relative path as a Markdown link destination: percent-encoded, so a file name
    holding spaces, brackets or parentheses neither breaks the link nor adds markup."""
    return quote(path, safe="/._-")
