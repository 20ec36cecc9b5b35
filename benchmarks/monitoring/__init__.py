"""Monitoring benchmarks: detection quality (run) and throughput (throughput)."""
