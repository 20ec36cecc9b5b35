"""Service benchmarks: a load generator process against a real ``interdict serve``."""
