"""The list lifecycle: updates from publishers, version diffs, customer bases, delta rescreening.

- :mod:`~interdict.lifecycle.update` fetches configured lists (or reads a folder), refuses bad
  downloads and imports changed content as a new version;
- :mod:`~interdict.lifecycle.diff` compares versions entity by entity;
- :mod:`~interdict.lifecycle.customers` imports the customer base as versions with name keys;
- :mod:`~interdict.lifecycle.rescreen` screens only what changed and raises new alerts, each
  tied to its cause, remembering analysts' decisions.
"""

__all__: list[str] = []
