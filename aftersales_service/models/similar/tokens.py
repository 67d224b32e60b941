"""The words a ticket is compared on: one tokenizer for English and Chinese.

PostgreSQL's trigrams (pg_trgm) ignore Chinese characters in a database whose character type
is ``C`` (the kind `make run` and many servers create: ``show_trgm('加热圈坏了')`` is ``{}``),
and Chinese is written without spaces. So the text is cut here: Latin words (lower case, two
characters or more, a few English stop words left out) and, for Chinese, every pair of
neighbouring characters (加热圈坏了 → 加热 热圈 圈坏 坏了), the way Chinese search engines
index text. PostgreSQL's ``simple`` text search configuration keeps each of these words as
they are, whatever the database's locale.
"""

import re

# CJK unified ideographs (with extension A) and compatibility ideographs
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_WORDS = re.compile(rf"[{_CJK}]+|[^\W_{_CJK}]+")
_CJK_RUN = re.compile(rf"[{_CJK}]")
_STOP_WORDS = frozenset(
    {
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "but",
        "by",
        "for",
        "from",
        "has",
        "have",
        "in",
        "is",
        "it",
        "its",
        "not",
        "of",
        "on",
        "or",
        "the",
        "to",
        "was",
        "were",
        "when",
        "with",
        "after",
        "before",
        "does",
        "did",
        "do",
    }
)
MAX_TOKENS = 200


def similarity_tokens(*texts):
    """The distinct words of `texts`, in order of appearance, at most MAX_TOKENS."""
    seen = {}
    for text in texts:
        for run in _WORDS.findall((text or "").lower()):
            if _CJK_RUN.match(run):
                words = [run] if len(run) == 1 else [run[i : i + 2] for i in range(len(run) - 1)]
            elif len(run) > 1 and run not in _STOP_WORDS:
                words = [run]
            else:
                continue
            for word in words:
                seen.setdefault(word, None)
                if len(seen) >= MAX_TOKENS:
                    return list(seen)
    return list(seen)
