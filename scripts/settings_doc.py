"""Write docs/settings.md from the settings declared in the code (run after changing one).

python scripts/settings_doc.py          # rewrites docs/settings.md
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from interdict.service.config import SERVICE_SETTINGS  # noqa: E402
from interdict.settings import SETTINGS, Setting  # noqa: E402

TARGET = ROOT / "docs" / "settings.md"


def _table(settings: tuple[Setting, ...]) -> list[str]:
    lines = ["| variable | default | what |", "|---|---|---|"]
    for s in settings:
        default = f"`{s.default}`" if s.default else "(empty)"
        if s.name == "home":
            default = "`~/.interdict`"
        lines.append(f"| `{s.env}` | {default} | {s.help} |")
    return lines


def render() -> str:
    """The settings page, every ``INTERDICT_*`` variable in one place."""
    lines = [
        "# Settings",
        "",
        "Every setting is an `INTERDICT_*` environment variable; a command-line flag, where there",
        "is one, wins. Generated from `interdict/settings.py` and `interdict/service/config.py`",
        "by `python scripts/settings_doc.py` (a test checks that this page is current).",
        "",
        "## Every command",
        "",
        *_table(SETTINGS),
        "",
        "## The service (`interdict serve`)",
        "",
        *_table(SERVICE_SETTINGS),
        "",
        "## Command options that also read a variable",
        "",
        "| variable | default | what |",
        "|---|---|---|",
        "| `INTERDICT_PEER_KEY` | (empty) | `interdict exchange match --key`: the key the peer"
        " gave you (kept out of the shell history and the process list). |",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    TARGET.write_text(render(), encoding="utf-8")
    print(f"wrote {TARGET}")
