"""The corpus: the article texts in `seeds/`, their metadata in `seeds/articles.json`.

A document's id is its file stem, so it is a plain name (`check_doc_id`): letters,
digits, `.`, `_` and `-`, at most 200 characters, not `.` or `..`; a tree whose
`articles.json` names any other id is refused on load, before a path is built from it
(`../../escape` would name a file outside the tree). Offsets everywhere are half-open [start, end) in
Unicode code points of the text decoded as UTF-8; the texts are kept byte for byte
(typos, no-break spaces, curly quotes, the truncated caption), and their sha256 is
checked on load.

`data_root()` finds the benchmark data: a checkout's top-level `seeds/` and `gold/`,
or the copy installed inside the wheel at `bench/_data/`.
"""

from __future__ import annotations

import hashlib
import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Iterator, Mapping

from bench import safejson
from bench.documents.tokenize import Sentence, Token, split_sentences, tokenize
from bench.errors import DataError
from bench.paths import read_regular

ARTICLES_FILE = "articles.json"
MAX_DOC_ID = 200
_DOC_ID = re.compile(r"[A-Za-z0-9._-]{1,%d}" % MAX_DOC_ID)


def doc_id_problem(doc_id: object) -> str | None:
    """Why `doc_id` is not a plain name a file can be named by, or None when it is one."""
    if not isinstance(doc_id, str):
        return f"a doc id must be a string, not {type(doc_id).__name__}"
    if doc_id in (".", "..") or not _DOC_ID.fullmatch(doc_id):
        shown = ascii(doc_id[:60])[1:-1] + ("..." if len(doc_id) > 60 else "")
        return f"doc id '{shown}' is not a plain name (letters, digits, '.', '_' and '-', at most {MAX_DOC_ID} characters, not '.' or '..')"
    return None


def check_doc_id(doc_id: object, where: str) -> str:
    """`doc_id` when it is a plain name; else one `DataError` line naming `where` (the file)."""
    problem = doc_id_problem(doc_id)
    if problem is not None:
        raise DataError(f"{where}: {problem}")
    return doc_id  # type: ignore[return-value]


def data_root() -> Path:
    """The folder that holds `seeds/` and `gold/`: the checkout's, else the installed copy."""
    package = Path(__file__).resolve().parent.parent
    for candidate in (package.parent, package / "_data"):
        if (candidate / "seeds" / ARTICLES_FILE).is_file() and (candidate / "gold").is_dir():
            return candidate
    raise DataError(f"benchmark data not found next to {package} (expected seeds/ and gold/)")


def articles_schema() -> dict:
    """The JSON Schema of `seeds/articles.json` (shipped beside this module)."""
    import json
    from importlib import resources

    return json.loads(resources.files(__package__).joinpath("articles.schema.json").read_text(encoding="utf-8"))


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class Copyright:
    """An article text's copyright as far as the text states it: `unknown` (no notice, so
    the unnamed publisher's, no licence known) or `stated`, with its holder and notice."""

    status: str = "unknown"
    holder: str | None = None
    notice: str | None = None


@dataclass(frozen=True)
class ArticleMeta:
    """What the text itself states about an article; null (unknown) where it states nothing."""

    id: str
    outlet: str | None
    headline: str
    date: str
    date_as_written: str
    byline: str | None
    sha256: str
    notes: str = ""
    source_url: str | None = None
    copyright: Copyright = Copyright()


@dataclass(frozen=True)
class Document:
    id: str
    text: str
    sha256: str
    meta: ArticleMeta

    @property
    def doc_id(self) -> str:
        """The same as `id`, read-only: the name `DocumentPrediction` and a predictions line give it."""
        return self.id

    @cached_property
    def tokens(self) -> tuple[Token, ...]:
        return tokenize(self.text)

    @cached_property
    def sentences(self) -> tuple[Sentence, ...]:
        return split_sentences(self.text, self.tokens)

    @cached_property
    def _starts(self) -> frozenset[int]:
        return frozenset(t.start for t in self.tokens)

    @cached_property
    def _ends(self) -> frozenset[int]:
        return frozenset(t.end for t in self.tokens)

    def is_token_aligned(self, start: int, end: int) -> bool:
        return start in self._starts and end in self._ends

    def sentence_at(self, offset: int) -> Sentence:
        """The sentence holding `offset` (or, between sentences, the next one)."""
        index = bisect_right(self._sentence_ends, offset)
        return self.sentences[min(index, len(self.sentences) - 1)]

    @cached_property
    def _sentence_ends(self) -> tuple[int, ...]:
        return tuple(s.end for s in self.sentences)

    @property
    def sentence_ends(self) -> tuple[int, ...]:
        """Each sentence's end offset: `sentence_at(offset)` is the sentence at
        `min(bisect_right(sentence_ends, offset), len(sentences) - 1)` (scorers do it inline)."""
        return self._sentence_ends


@dataclass(frozen=True)
class Corpus(Mapping[str, Document]):
    root: Path
    documents: Mapping[str, Document]

    def __getitem__(self, doc_id: str) -> Document:
        return self.documents[doc_id]

    def __iter__(self) -> Iterator[str]:
        return iter(self.documents)

    def __len__(self) -> int:
        return len(self.documents)


def read_articles(root: Path) -> list[ArticleMeta]:
    path = root / "seeds" / ARTICLES_FILE
    try:
        raw = safejson.loads(read_regular(path))  # capped depth and size, no lone surrogates
        articles = [ArticleMeta(**{**article, "copyright": Copyright(**article.get("copyright", {}))}) for article in raw["articles"]]
    except OSError as exc:
        raise DataError(f"{path}: cannot read article metadata: {exc.strerror}") from None
    except (ValueError, KeyError, TypeError) as exc:
        raise DataError(f"{path}: cannot read article metadata: {exc}") from None
    for meta in articles:
        check_doc_id(meta.id, str(path))
    return articles


def load_corpus(root: Path | None = None, *, verify: bool = True) -> Corpus:
    """Load every article listed in seeds/articles.json, checking each text's sha256."""
    root = data_root() if root is None else Path(root)
    documents: dict[str, Document] = {}
    for meta in sorted(read_articles(root), key=lambda m: m.id):
        path = root / "seeds" / f"{meta.id}.txt"
        try:
            data = read_regular(path)
            text = data.decode("utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise DataError(f"{path}: cannot read the article text: {exc}") from None
        digest = sha256_bytes(data)
        if verify and digest != meta.sha256:
            raise DataError(f"{path}: sha256 is {digest}, but seeds/{ARTICLES_FILE} records {meta.sha256}")
        documents[meta.id] = Document(meta.id, text, digest, meta)
    return Corpus(root, documents)
