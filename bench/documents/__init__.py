"""Stage 1 of the pipeline: the article texts, their metadata, tokens, sentences, the
windows an LLM is shown (`windows.py`) and character edits with their offset map (`edits.py`)."""

from typing import Any

# The function, not the submodule of the same name: bound here, before any import of
# `bench.documents.tokenize` could leave the module under this name.
from bench.documents.tokenize import Sentence, Token, split_sentences, tokenize

_CORPUS = ("ArticleMeta", "Corpus", "Document", "data_root", "load_corpus")

__all__ = [
    "ArticleMeta",
    "Corpus",
    "Document",
    "Sentence",
    "Token",
    "data_root",
    "load_corpus",
    "split_sentences",
    "tokenize",
]


def __getattr__(name: str) -> Any:
    # Loaded on first use, so that `bench --help` can import `windows.WindowStrategy`
    # without the corpus behind it.
    if name in _CORPUS:
        from bench.documents import corpus

        return getattr(corpus, name)
    raise AttributeError(f"module 'bench.documents' has no attribute {name!r}")
