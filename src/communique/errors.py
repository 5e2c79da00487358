"""One exception root for communique.

::

    CommuniqueError
    ├── InputError          an input file or item cannot be read (bad JSON, no text, bad date)
    ├── ConfigError         a setting, model name or data file is wrong
    │   └── DataFileError   a bundled or user data file (ontology, lexicon, registry) fails its schema check
    ├── StoreError          the database cannot be opened or written
    └── OutputError         an output file or folder is refused (it is not ours to replace) or cannot be written

Messages say what went wrong and what to do next. The CLI turns every one of
them into a single line on stderr; a bad item never stops a batch.
"""

from __future__ import annotations


class CommuniqueError(Exception):
    """Root of every error communique raises on purpose."""


class InputError(CommuniqueError):
    """An input file or item cannot be read; ``item`` names it (a path, ``path:line`` or an id)."""

    def __init__(self, item: str, reason: str) -> None:
        super().__init__(f"{item}: {reason}")
        self.item = item
        self.reason = reason


class ConfigError(CommuniqueError):
    """A setting, model name or data file is wrong."""


class DataFileError(ConfigError):
    """A data file (ontology, lexicon, registry) fails its schema check; the message names the file and entry."""


class StoreError(CommuniqueError):
    """The database cannot be opened or written."""


class OutputError(CommuniqueError):
    """An output (export file or folder, plot) is refused, because writing it would replace or delete
    something communique did not write, or cannot be written; ``path`` names it."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason
