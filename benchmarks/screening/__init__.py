"""Screening benchmarks: quality (ours beside nomenklatura logic-v2) and speed/memory.

Run ``python -m benchmarks.screening.quality`` and ``python -m benchmarks.screening.speed``;
``--quick`` gives a seconds-long smoke run. Figures are printed and written to ``benchmarks/out/``.
"""
