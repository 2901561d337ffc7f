"""The benchmark's name and version, for every record and export to carry.

Where it sits: a small shared module at the top of `bench/`, so that the stages that
write files need not import the package's public API (`bench/__init__.py`).
"""

BENCHMARK_NAME = "syria-coast-ie"
__version__ = "0.1.0"
