"""Plain-text articles: an optional title block above a line of dashes, then the text."""

from __future__ import annotations

import re

__all__ = ["MAX_TITLE_LINES", "split_title"]

# A title is short: a dash line below more non-empty lines than this is a rule inside the text.
MAX_TITLE_LINES = 3

_SEPARATOR = re.compile(r"^[ \t]*-{3,}[ \t]*$")


def _trim_blank_lines(lines: list[str]) -> str:
    start, end = 0, len(lines)
    while start < end and not lines[start].strip():
        start += 1
    while end > start and not lines[end - 1].strip():
        end -= 1
    return "\n".join(lines[start:end])


def split_title(content: str) -> tuple[str | None, str]:
    """``(title, text)`` of a plain-text file.

    If a line of three or more dashes follows at most ``MAX_TITLE_LINES`` non-empty
    lines, those lines (stripped, joined by a space) are the title and the text is
    what follows the dashes. Otherwise there is no title. Either way the text loses
    its leading and trailing blank lines and nothing else."""
    lines = content.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    head: list[str] = []
    for i, line in enumerate(lines):
        if _SEPARATOR.match(line):
            title = " ".join(head) or None
            return title, _trim_blank_lines(lines[i + 1 :])
        if line.strip():
            head.append(line.strip())
            if len(head) > MAX_TITLE_LINES:
                break
    return None, _trim_blank_lines(lines)
