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
# English words and Chinese character pairs too common in requests to tell them apart
_STOP_WORDS = frozenset(
    {
        "a",
        "about",
        "after",
        "all",
        "also",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "been",
        "before",
        "but",
        "by",
        "can",
        "could",
        "dear",
        "did",
        "do",
        "does",
        "for",
        "from",
        "had",
        "has",
        "have",
        "hello",
        "hi",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "just",
        "me",
        "my",
        "no",
        "not",
        "of",
        "on",
        "or",
        "our",
        "please",
        "so",
        "some",
        "than",
        "thank",
        "thanks",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "to",
        "too",
        "up",
        "us",
        "very",
        "was",
        "we",
        "were",
        "what",
        "when",
        "which",
        "will",
        "with",
        "would",
        "you",
        "your",
        "您好",
        "你好",
        "我们",
        "你们",
        "他们",
        "请尽",
        "尽快",
        "谢谢",
        "今天",
        "已经",
        "一直",
        "现在",
        "没有",
        "可以",
        "一下",
        "这个",
        "那个",
        "什么",
        "问题",
        "麻烦",
    }
)
MAX_TOKENS = 200


def similarity_tokens(*texts):
    """The distinct words of `texts`, in order of appearance, at most MAX_TOKENS."""
    seen = {}
    for text in texts:
        for run in _WORDS.findall((text or "").lower()):
            if _CJK_RUN.match(run):
                pairs = [run] if len(run) == 1 else [run[i : i + 2] for i in range(len(run) - 1)]
                words = [pair for pair in pairs if pair not in _STOP_WORDS]
            elif len(run) > 1 and run not in _STOP_WORDS:
                words = [run]
            else:
                continue
            for word in words:
                seen.setdefault(word, None)
                if len(seen) >= MAX_TOKENS:
                    return list(seen)
    return list(seen)
