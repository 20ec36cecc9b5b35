"""The quality benchmark's experiments: which cases run against which index, with which inputs.

Indexes:

- ``sanctions``: all real lists loaded together (UN, OFAC SDN + non-SDN, UK);
- ``sanctions+pep``: the same plus the US-Congress members as the in-house list ``pep``;
- ``un-held-out``: the UN list with one alias of each entity held out;
- ``un-latin``: the UN list's Latin-script names only.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from benchmarks.screening import datasets, yente
from benchmarks.screening.cases import Case
from benchmarks.screening.sources import REAL_LISTS, YENTE_DIR, load_lists, read_yente
from interdict.model import Entity

__all__ = ["Experiment", "Plan", "plan"]

Kind = Literal["recall", "alerts"]


@dataclass
class Experiment:
    """Cases screened against one index, with or without birth date/nationality/gender."""

    key: str
    title: str
    index: str
    cases: list[Case]
    with_attributes: bool
    kind: Kind = "recall"
    peer_cases: list[int] | None = None
    """Positions of the cases the peer screens; ``None``: all of them; empty: none."""

    def peer_positions(self) -> list[int]:
        """Positions of the cases the peer screens."""
        return list(range(len(self.cases))) if self.peer_cases is None else self.peer_cases


@dataclass
class Plan:
    """Everything the quality run needs: indexes (as entity lists), experiments, and notes."""

    indexes: dict[str, list[Entity]]
    experiments: list[Experiment]
    facts: dict[str, Any] = field(default_factory=dict)
    """How truth was built: counts, unmapped rows, sample sizes (printed and saved)."""


def _sample(count: int, size: int, seed: int) -> list[int]:
    return sorted(random.Random(seed).sample(range(count), min(size, count)))


def _subset(cases: list[Case], size: int | None, seed: int) -> list[Case]:
    if size is None or size >= len(cases):
        return cases
    return [cases[i] for i in _sample(len(cases), size, seed)]


def _yente_experiments(
    data_dir: Path, un: list[Entity], sizes: dict[str, int | None], seed: int, facts: dict[str, Any]
) -> list[Experiment]:
    folder = data_dir / YENTE_DIR
    untreated = read_yente(folder / "positives_un_untreated.csv")
    treated = read_yente(folder / "positives_un_treated.csv")
    truth = yente.map_un_truth(untreated, un)
    plain, _ = yente.un_cases(untreated, truth, "un-untreated")
    typos, shortened = yente.un_cases(treated, truth, "un-treated")
    congress_rows = read_yente(folder / "positives_us_congress_untreated.csv")
    exact, perturbed = yente.congress_cases(congress_rows, seed)
    facts["un_positives"] = {
        "rows": len(untreated),
        "mapped": len(plain),
        "unmapped": truth.unmapped,
        "rows_mapping_to_several_entities": truth.several,
        "treated_dates_shortened_to_valid_prefix": shortened,
    }
    facts["us_congress"] = {
        "rows": len(congress_rows),
        "perturbations": {g: sum(c.group == g for c in perturbed) for g in _groups(perturbed)},
        "seed": seed,
    }
    experiments: list[Experiment] = []
    sets = [
        ("un_untreated", "UN positives, untreated", "sanctions", plain),
        ("un_treated", "UN positives, treated (typos)", "sanctions", typos),
        ("congress_exact", "US Congress (pep), exact name", "sanctions+pep", exact),
        ("congress_perturbed", "US Congress (pep), perturbed", "sanctions+pep", perturbed),
    ]
    for key, title, index, cases in sets:
        chosen = _subset(cases, sizes["positives"], seed)
        for attributes in (True, False):
            suffix = "" if attributes else ", name only"
            experiments.append(
                Experiment(
                    f"{key}{'' if attributes else '_name_only'}",
                    title + suffix,
                    index,
                    chosen,
                    attributes,
                )
            )
    for file_name, title in (("negatives_global", "global"), ("negatives_us", "US")):
        rows = read_yente(folder / f"{file_name}.csv")
        cases = _subset(yente.negative_cases(rows, file_name), sizes["negatives"], seed)
        sample = _sample(len(cases), sizes["peer_negatives"] or len(cases), seed)
        facts[file_name] = {"rows": len(cases), "peer_sample": len(sample), "seed": seed}
        experiments.append(
            Experiment(file_name, f"negatives {title}", "sanctions", cases, True, "alerts", sample)
        )
        experiments.append(
            Experiment(
                f"{file_name}_name_only",
                f"negatives {title}, name only",
                "sanctions",
                cases,
                False,
                "alerts",
                [],
            )
        )
    return experiments


def _groups(cases: list[Case]) -> list[str]:
    return sorted({case.group for case in cases if case.group})


def plan(data_dir: Path, *, quick: bool, seed: int, peer_negatives: int) -> Plan:
    """Load the lists and build every experiment (small subsets when ``quick``)."""
    lists = tuple(item for item in REAL_LISTS if item.name == "un") if quick else REAL_LISTS
    sanctions = load_lists(data_dir, lists)
    un = [entity for entity in sanctions if entity.entity_id().startswith("un:")]
    sizes: dict[str, int | None] = {
        "positives": 40 if quick else None,
        "negatives": 300 if quick else None,
        "peer_negatives": 100 if quick else peer_negatives,
        "un_sets": 40 if quick else None,
    }
    facts: dict[str, Any] = {"lists": [item.name for item in lists], "quick": quick}
    experiments = _yente_experiments(data_dir, un, sizes, seed, facts)
    congress = yente.congress_entities(
        read_yente(data_dir / YENTE_DIR / "positives_us_congress_untreated.csv")
    )
    held = datasets.held_out_set(un, seed)
    script = datasets.cross_script_set(un)
    facts["held_out_alias"] = {
        "queries": len(held.cases),
        "groups": {g: sum(c.group == g for c in held.cases) for g in _groups(held.cases)},
    }
    facts["cross_script"] = {
        "queries": len(script.cases),
        "groups": {g: sum(c.group == g for c in script.cases) for g in _groups(script.cases)},
    }
    experiments += [
        Experiment(
            "held_out_alias",
            "UN held-out alias",
            "un-held-out",
            _subset(held.cases, sizes["un_sets"], seed),
            False,
        ),
        Experiment(
            "cross_script",
            "UN original script vs Latin",
            "un-latin",
            _subset(script.cases, sizes["un_sets"], seed),
            False,
        ),
    ]
    indexes = {
        "sanctions": sanctions,
        "sanctions+pep": sanctions + congress,
        "un-held-out": held.entities,
        "un-latin": script.entities,
    }
    return Plan(indexes, experiments, facts)
