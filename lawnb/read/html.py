"""A saved government web page into the text of its article body.

Takes the page's HTML; gives the text of its article container, one paragraph per line,
without navigation, scripts and lines of page chrome (``lawnb/rules/html.yaml``). A page
without any Chinese text in its body raises ``ReportReadError``.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from lawnb.errors import ReportReadError
from lawnb.read.words import alternation
from lawnb.ruledata import load_rules

MAX_TAGS = 200_000  # of a saved page: a government page has a few thousand

# Containers that government CMSs (TRS, 政府网站集约化平台, WordPress-like) use for the article.
_BODY_SELECTORS = (
    "div.TRS_Editor",
    "div#zoom",
    "div.zoom",
    "div#UCAP-CONTENT",
    "div.article-content",
    "div.article_content",
    "div#article",
    "div.content",
    "article",
    "div#content",
    "div.main-content",
)
_CHROME_TAGS = ("script", "style", "noscript", "nav", "header", "footer", "aside", "form", "iframe")
_BLOCK_TAGS = (
    "p",
    "div",
    "br",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "tr",
    "section",
    "article",
)


@cache
def _chrome_line() -> re.Pattern[str]:
    """A line of page chrome: it starts with one of the words of ``html.yaml``."""
    starts = load_rules("html.yaml")["chrome_line_starts"]
    return re.compile(f"^({alternation(starts, longest_first=False)})")


def html_article_text(html: str, path: Path | str = "<html>") -> str:
    """Return the article text of a saved web page, dropping navigation and page chrome."""
    from bs4 import BeautifulSoup

    tags = html.count("<")  # counted before parsing: a tree of millions of tags takes minutes
    if tags > MAX_TAGS:
        raise ReportReadError(
            f"{path}: 网页有 {tags} 个标签，超过上限 {MAX_TAGS}，不像是一篇报告的网页。"
            "请在浏览器中打开报告全文页面后另存为网页，或复制正文另存为 .txt。"
        )
    try:
        soup = BeautifulSoup(html, "lxml")
    except Exception as exc:  # lxml refuses some binary input
        raise ReportReadError(f"{path}: 网页文件无法解析（{str(exc)[:120]}）。") from exc
    for tag in soup(_CHROME_TAGS):
        tag.decompose()
    body = _article_body(soup)
    if body is None:
        raise ReportReadError(f"{path}: 网页中没有找到正文内容。")
    for br in body.find_all("br"):
        br.replace_with("\n")
    for tag in body.find_all(_BLOCK_TAGS):
        tag.insert_before("\n")
        tag.insert_after("\n")
    lines = [line.strip() for line in body.get_text().split("\n")]
    text = "\n".join(line for line in lines if line and not _chrome_line().match(line))
    if not re.search(r"[\u4e00-\u9fff]", text):
        raise ReportReadError(
            f"{path}: 网页中没有找到报告正文（只有导航、页眉页脚或脚本）。"
            "请在浏览器中打开报告全文页面后另存为网页，或复制正文另存为 .txt。"
        )
    return text


def _article_body(soup):  # type: ignore[no-untyped-def]
    for selector in _BODY_SELECTORS:
        found = soup.select(selector)
        if found:
            return max(found, key=lambda tag: len(tag.get_text()))
    # No known container: the block with the most Chinese text in its own paragraphs.
    candidates = soup.find_all(["div", "td", "section", "body"])
    if not candidates:
        return soup

    def own_text(tag) -> int:  # type: ignore[no-untyped-def]
        return sum(len(p.get_text()) for p in tag.find_all("p", recursive=False))

    best = max(candidates, key=own_text)
    return best if own_text(best) else (soup.body or soup)
