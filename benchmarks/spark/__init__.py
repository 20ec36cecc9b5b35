"""Batch screening and monitoring throughput on Spark local mode (1 and 2 cores) against DuckDB."""
