"""Saving each finished experiment's outcomes so that an interrupted quality run can resume.

The full quality run takes long on a busy machine. After each experiment its outcomes go to a
JSON-lines file in ``benchmarks/out/``; ``--resume`` reuses the lines whose fingerprint (matcher
version, experiment, the exact queries, the peer's sample) matches, and runs only the rest.
Only resume a run of the same code: the fingerprint cannot see edits to the matcher itself.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import astuple
from pathlib import Path
from typing import Any

from benchmarks.screening.experiments import Experiment
from benchmarks.screening.outcome import Outcome

__all__ = ["Checkpoint", "Saved"]

Saved = tuple[list[Outcome], list[Outcome] | None, float, float]
"""Our outcomes, the peer's (or None), our seconds, the peer's seconds."""


def fingerprint(experiment: Experiment, base: str) -> str:
    """A digest of everything that decides an experiment's outcomes, save the code."""
    digest = hashlib.sha256(base.encode())
    for case in experiment.cases:
        digest.update(repr((case.query, sorted(case.truth))).encode())
    digest.update(
        repr((experiment.key, experiment.with_attributes, experiment.peer_cases)).encode()
    )
    return digest.hexdigest()


def _outcomes(rows: list[list[Any]]) -> list[Outcome]:
    return [Outcome(float(a), float(b), str(c), str(d)) for a, b, c, d in rows]


class Checkpoint:
    """Outcomes of finished experiments, kept in a JSON-lines file."""

    def __init__(self, path: Path, base: str, *, resume: bool) -> None:
        self.path = path
        self.base = base
        self.saved: dict[str, Saved] = {}
        if not resume:
            path.unlink(missing_ok=True)
            return
        if path.is_file():
            for line in path.read_text("utf-8").splitlines():
                record = json.loads(line)
                peer = _outcomes(record["peer"]) if record["peer"] is not None else None
                self.saved[record["fingerprint"]] = (
                    _outcomes(record["ours"]),
                    peer,
                    float(record["ours_seconds"]),
                    float(record["peer_seconds"]),
                )

    def get(self, experiment: Experiment) -> Saved | None:
        """The saved outcomes of ``experiment``, when a finished run left them."""
        return self.saved.get(fingerprint(experiment, self.base))

    def put(self, experiment: Experiment, saved: Saved) -> None:
        """Append an experiment's outcomes to the file."""
        ours, peer, ours_seconds, peer_seconds = saved
        record = {
            "key": experiment.key,
            "fingerprint": fingerprint(experiment, self.base),
            "ours": [astuple(o) for o in ours],
            "peer": [astuple(o) for o in peer] if peer is not None else None,
            "ours_seconds": ours_seconds,
            "peer_seconds": peer_seconds,
        }
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
