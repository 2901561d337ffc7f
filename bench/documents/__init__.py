"""Stage 1 of the pipeline: the article texts, their metadata, tokens, sentences, the
windows an LLM is shown (`windows.py`) and character edits with their offset map (`edits.py`)."""

from bench.documents.corpus import ArticleMeta, Corpus, Document, data_root, load_corpus
from bench.documents.tokenize import Sentence, Token, split_sentences, tokenize

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
