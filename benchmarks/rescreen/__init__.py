"""Delta-rescreening benchmark: 1,000,000 synthetic customers against a real UN list update.

Run ``python -m benchmarks.rescreen.run`` (``--quick`` for 100,000 customers).
"""
