"""The benchmark's name, version, licence and one-line description, for every record and export to carry.

Where it sits: a small shared module at the top of `bench/`, so that the stages that
write files need not import the package's public API (`bench/__init__.py`).
"""

BENCHMARK_NAME = "syria-coast-ie"
__version__ = "0.1.0"
LICENCE = "MIT"  # the project's licence (pyproject.toml): the code and the annotations; never the article texts
DESCRIPTION = (
    "Two English-language news articles about the March 2025 clashes on Syria's coast, annotated by hand, "
    "character-exact, for several information-extraction tasks, as a small, deep evaluation set."
)
