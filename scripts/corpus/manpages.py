#!/usr/bin/env python3
"""Genre "technical": translated manual pages vs the English ones.

Translations: Debian packages manpages-<lang> (manpages-l10n 4.18.1, plus the
separate manpages-ja, manpages-zh, manpages-tr projects), extracted with
`dpkg-deb -x` under TR_ROOT/<package>/usr/share/man/<locale>/manN/.
English: EN_MAN_DIRS, folders laid out as usr/share/man (manN/page.N.gz),
searched in order (e.g. the extracted `manpages` package, then the pages
installed on the machine by the packages owning them).

Each page is rendered with groff (-man -t, UTF-8, no hyphenation, a very long
line so that filled text never wraps); every non-blank output line is a
paragraph (heading, .TP tag, filled paragraph, line of a no-fill block),
header and footer lines dropped.  The section about the translation that
the translated pages append at the end (1-6 lines naming translators, with
an address or link) is dropped.  A translation is kept only if it has
exactly as many paragraphs as the English page, the paragraphs starting
with '-' (option tags) are at the same positions, no line found
unchanged in both texts sits at another position, and at most 8 % of the
paragraphs have a length ratio to English 4x off the median (a sign of
paragraphs that shifted and happen to add up to the same count).  .TP/.IP
indents are set to 0 so that every tag is a paragraph of its own in every
language; mdoc pages are skipped.  One doc per page:
OUT/technical/<page>.<section>/<lang>.txt.

Usage: manpages.py OUT TR_ROOT EN_MAN_DIR...
"""
import gzip
import os
import re
import subprocess
import sys

LOCALES = {
    "cs": "cs", "da": "da", "de": "de", "el": "el", "es": "es", "fi": "fi",
    "fr": "fr", "hu": "hu", "id": "id", "it": "it", "ja": "ja", "mk": "mk",
    "nb": "nb", "nl": "nl", "pl": "pl", "pt_BR": "pt-BR", "ro": "ro",
    "ru": "ru", "sr": "sr-Cyrl", "sv": "sv", "tr": "tr", "uk": "uk",
    "vi": "vi", "zh_CN": "zh-Hans", "zh_TW": "zh-Hant",
}
MIN_PARAS, MAX_PARAS = 30, 3000


def read_page(path):
    raw = gzip.open(path).read() if path.endswith(".gz") else open(path, "rb").read()
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return None


def render(src):
    """roff source -> list of paragraphs, or None."""
    if re.match(r"\s*\.so\s", src):  # a link to another page
        return None
    if re.search(r"^\.(Dd|Sh)\s", src, re.M):  # mdoc pages: list layout not controlled
        return None
    # A .TP/.IP tag narrower than the indent shares its line with the body,
    # wider ones do not, and this differs between languages: indent 0 puts
    # every tag on its own line.
    src = re.sub(r"^\.TP\b.*$", ".TP 0", src, flags=re.M)
    src = re.sub(r'^\.IP[ \t]+("[^"]*"|\S+)([ \t]+\S+)?[ \t]*$', r".IP \1 0", src, flags=re.M)
    env = dict(os.environ, GROFF_NO_SGR="1", LC_ALL="C.UTF-8")
    try:
        p = subprocess.run(
            ["groff", "-t", "-man", "-Tutf8", "-k", "-rLL=3000n", "-rHY=0", "-rcR=1",
             "-P-c", "-P-b", "-P-u", "-wnone"],
            input=src.encode("utf-8"), capture_output=True, env=env, timeout=60)
    except subprocess.TimeoutExpired:
        return None
    text = p.stdout.decode("utf-8", "replace")
    text = re.sub(r".\x08", "", text)
    lines = [re.sub(r"\s+", " ", l).strip() for l in text.split("\n")]
    lines = [l for l in lines if l]
    if len(lines) < 3:
        return None
    return lines[1:-1]  # header and footer


def misfit(en, t):
    """Share of paragraphs (of 20+ characters in English) whose length ratio
    to English is more than 4x off the page's median ratio."""
    r = sorted(len(b) / len(a) for a, b in zip(en, t) if len(a) >= 20)
    if len(r) < 5:
        return 0.0
    m = r[len(r) // 2]
    return sum(1 for x in r if x > 4 * m or x < m / 4) / len(r)


def anchors_moved(en, t):
    """Lines that occur exactly once in both texts, unchanged (file names,
    code, option lists), must be at the same position; count those that are
    not (a sign of a shifted paragraph sequence)."""
    from collections import Counter
    ce, ct = Counter(en), Counter(t)
    pos_t = {x: i for i, x in enumerate(t)}
    return sum(1 for i, x in enumerate(en)
               if len(x) >= 4 and ce[x] == 1 and ct.get(x) == 1 and pos_t[x] != i)


def find_en(en_dirs, section_dir, fname):
    for d in en_dirs:
        for cand in (fname, fname[:-3] if fname.endswith(".gz") else fname + ".gz"):
            p = os.path.join(d, section_dir, cand)
            if os.path.isfile(p):
                return p
    return None


def main():
    out, tr_root, en_dirs = sys.argv[1], sys.argv[2], sys.argv[3:]
    pages = {}  # (section_dir, fname) -> {tag: path}
    for pkg in sorted(os.listdir(tr_root)):
        base = os.path.join(tr_root, pkg, "usr/share/man")
        if not os.path.isdir(base):
            continue
        for loc in os.listdir(base):
            tag = LOCALES.get(loc)
            if not tag:
                continue
            for sec in os.listdir(os.path.join(base, loc)):
                sd = os.path.join(base, loc, sec)
                if not (sec.startswith("man") and os.path.isdir(sd)):
                    continue
                for f in os.listdir(sd):
                    p = os.path.join(sd, f)
                    if os.path.isfile(p) and not os.path.islink(p):
                        pages.setdefault((sec, f), {})[tag] = (p, pkg)
    log = open(os.path.join(out, "technical.sources.tsv"), "w", encoding="utf-8")
    log.write("doc\tlang\ttranslation_package\tenglish_file\tparagraphs\n")
    kept_docs = kept_pairs = 0
    rejected = {}
    for (sec, fname), trs in sorted(pages.items()):
        en_path = find_en(en_dirs, sec, fname)
        if not en_path:
            continue
        src = read_page(en_path)
        en = render(src) if src else None
        if not en or not (MIN_PARAS <= len(en) <= MAX_PARAS):
            continue
        en_opt = [l.startswith("-") for l in en]
        good = {}
        for tag, (p, pkg) in sorted(trs.items()):
            s = read_page(p)
            t = render(s) if s else None
            if t and 0 < len(t) - len(en) <= 6 and any(
                    re.search(r"@|https?:|GNU|l10n|中文", x) for x in t[len(en):]):
                t = t[:len(en)]  # the translators' section appended at the end
            if not t or len(t) != len(en):
                rejected[tag] = rejected.get(tag, 0) + 1
                continue
            if sum(a != b.startswith("-") for a, b in zip(en_opt, t)) > 0:
                rejected[tag] = rejected.get(tag, 0) + 1
                continue
            if misfit(en, t) > 0.08 or anchors_moved(en, t):
                rejected[tag] = rejected.get(tag, 0) + 1
                continue
            good[tag] = (t, pkg)
        if not good:
            continue
        name = re.sub(r"\.gz$", "", fname)
        d = os.path.join(out, "technical", name)
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, "en.txt"), "w", encoding="utf-8", newline="\n") as fh:
            fh.write("\n".join(en) + "\n")
        for tag, (t, pkg) in good.items():
            with open(os.path.join(d, f"{tag}.txt"), "w", encoding="utf-8", newline="\n") as fh:
                fh.write("\n".join(t) + "\n")
            log.write(f"{name}\t{tag}\t{pkg}\t{en_path}\t{len(t)}\n")
            kept_pairs += len(t)
        kept_docs += 1
        print(f"{name}: {len(en)} paragraphs, {len(good)} languages", flush=True)
    print(f"kept {kept_docs} pages, {kept_pairs} aligned pairs; rejected translations per language: {rejected}")


if __name__ == "__main__":
    main()
