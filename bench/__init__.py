"""Benchmarks of unionrec on a generated national tree: `make bench` or `python -m bench --help`.

Not part of the test suite and not imported by the application.
"""
