"""``Report``: what a run did, for the closing summary. Light on purpose (no spaCy import), so a
command can report on a run that needed no parsing."""

from __future__ import annotations

import logging
import time as _time
from collections import Counter
from dataclasses import dataclass, field

__all__ = ["Report"]

log = logging.getLogger("communique.pipeline")


@dataclass
class Report:
    """What a run did: counts by outcome and skip reasons, and the time taken."""

    read: int = 0
    coded: int = 0
    events: int = 0
    already: int = 0  # read, but already stored: not coded again
    skipped: Counter[str] = field(default_factory=Counter)
    # Articles coded (and counted in ``coded``) with a stage that failed, by stage name.
    failed_stages: Counter[str] = field(default_factory=Counter)
    started: float = field(default_factory=_time.perf_counter)

    def skip(self, item: str, reason: str) -> None:
        self.skipped[reason.split(":")[0]] += 1
        log.warning("skipped %s: %s", item, reason)

    @property
    def seconds(self) -> float:
        return _time.perf_counter() - self.started

    def summary(self) -> str:
        parts = [f"read {self.read}", f"coded {self.coded}", f"events {self.events}"]
        if self.already:
            parts.append(f"already stored {self.already}")
        n_skip = sum(self.skipped.values())
        if n_skip:
            reasons = ", ".join(f"{k}: {v}" for k, v in self.skipped.most_common())
            parts.append(f"skipped {n_skip} ({reasons})")
        if self.failed_stages:
            stages = ", ".join(f"{k}: {v}" for k, v in self.failed_stages.most_common())
            parts.append(f"stage failures {sum(self.failed_stages.values())} ({stages})")
        parts.append(f"{self.seconds:.1f}s")
        return ", ".join(parts)
