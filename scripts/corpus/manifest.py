#!/usr/bin/env python3
"""Check the corpus and write OUT/MANIFEST.md.

Checks every <genre>/<doc>/ folder: en.txt present, every file UTF-8 with the
same number of lines as en.txt, no empty line, no CR.  Folders that fail are
reported (and the script exits non-zero).  The counts in MANIFEST.md are
computed; the descriptions of the sources come from SOURCES below plus the
optional file OUT/<genre>.source.md written by the genre's script.

Usage: manifest.py OUT_DIR
"""
import collections
import os
import sys
import unicodedata

SOURCES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "sources.md")


def script_of(text):
    """Main script of a text: the most frequent non-Latin script if it makes
    up at least 20 % of the letters (technical texts keep many Latin names),
    else Latin."""
    c = collections.Counter()
    for ch in text:
        if ch.isalpha():
            n = unicodedata.name(ch, "?").split(" ")[0]
            if n in ("HIRAGANA", "KATAKANA"):
                n = "KANA"
            c[n] += 1
    total = sum(c.values())
    if not total:
        return "?"
    if c["KANA"] >= 0.05 * total:
        return "Japanese (Han+Kana)"
    other = [(k, v) for k, v in c.most_common() if k != "LATIN"]
    if other and other[0][1] >= 0.2 * total:
        s = other[0][0]
        return {"HANGUL": "Hangul", "CJK": "Han"}.get(s, s.title())
    return "Latin"


def main():
    out = sys.argv[1]
    bad = []
    report = []
    all_langs, all_scripts = set(), set()
    for genre in sorted(os.listdir(out)):
        g = os.path.join(out, genre)
        if not os.path.isdir(g):
            continue
        docs = sorted(d for d in os.listdir(g) if os.path.isdir(os.path.join(g, d)))
        langs = collections.Counter()
        samples = {}
        pairs = 0
        en_paras = 0
        for d in docs:
            p = os.path.join(g, d)
            if not os.path.exists(os.path.join(p, "en.txt")):
                bad.append(f"{genre}/{d}: no en.txt")
                continue
            n_en = None
            for f in sorted(os.listdir(p)):
                if not f.endswith(".txt"):
                    continue
                raw = open(os.path.join(p, f), "rb").read()
                try:
                    t = raw.decode("utf-8")
                except UnicodeDecodeError:
                    bad.append(f"{genre}/{d}/{f}: not UTF-8")
                    continue
                if "\r" in t or not t.endswith("\n"):
                    bad.append(f"{genre}/{d}/{f}: CR or no final LF")
                lines = t[:-1].split("\n")
                if any(not x.strip() for x in lines):
                    bad.append(f"{genre}/{d}/{f}: empty line")
                if f == "en.txt":
                    n_en = len(lines)
                else:
                    lang = f[:-4]
                    langs[lang] += 1
                    pairs += len(lines)
                    samples.setdefault(lang, [])
                    if len(samples[lang]) < 30:
                        samples[lang].append(t[:3000])
                if n_en is not None and len(lines) != n_en:
                    bad.append(f"{genre}/{d}/{f}: {len(lines)} lines, en.txt has {n_en}")
            en_paras += n_en or 0
        scripts = {lang: script_of("".join(v)) for lang, v in samples.items()}
        all_langs |= set(langs)
        all_scripts |= set(scripts.values())
        by_script = collections.defaultdict(list)
        for lang, s in sorted(scripts.items()):
            by_script[s].append(lang)
        report.append(
            f"### {genre}\n\n"
            f"- docs: {len(docs)}; English paragraphs: {en_paras}; "
            f"aligned pairs (en + one other language): {pairs}\n"
            f"- languages besides en ({len(langs)}), by script: "
            + "; ".join(f"{s}: {', '.join(ls)}" for s, ls in sorted(by_script.items()))
            + "\n")
    head = open(SOURCES, encoding="utf-8").read() if os.path.exists(SOURCES) else ""
    with open(os.path.join(out, "MANIFEST.md"), "w", encoding="utf-8") as fh:
        fh.write(head.rstrip() + "\n\n## Counts (computed by manifest.py)\n\n")
        fh.write(f"Languages in all: {len(all_langs) + 1} (with en); scripts: "
                 f"{len(all_scripts)} ({', '.join(sorted(all_scripts))})\n\n")
        fh.write("\n".join(report))
    for b in bad:
        print("BAD", b, file=sys.stderr)
    print(f"{len(all_langs) + 1} languages, {len(all_scripts)} scripts; {len(bad)} problems")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
