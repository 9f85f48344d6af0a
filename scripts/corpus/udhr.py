#!/usr/bin/env python3
"""Genre "legal": the Universal Declaration of Human Rights.

Reads the XML files of the "UDHR in Unicode" project (public repository
eric-muller/udhr, folder data/udhr) and writes
OUT/legal/udhr/<bcp47>.txt, one paragraph (a <title>, or a <para>) per line.

A language version is kept only if its sequence of structural slots
(preamble/article N, title/para/listitem position) is identical to the
English one, so that line k is the translation of English line k.

Usage: udhr.py UDHR_DATA_DIR OUT_DIR
"""
import os
import re
import sys
import xml.etree.ElementTree as ET

NS = "{http://efele.net/udhr}"

# Preferred file for a BCP 47 tag where the repository has several versions
# (or tags them with a variant we do not want in a file name).
PREFERRED = {
    "de": "deu_1996", "el": "ell_monotonic", "pt": "por_PT", "pt-BR": "por_BR",
    "zh-Hans": "cmn_hans", "zh-Hant": "cmn_hant", "ja": "jpn", "es": "spa",
    "fr": "fra", "fi": "fin", "sw": "swh", "ro": "ron_2006", "th": "tha",
    "ur": "urd", "ml": "mal", "lv": "lav", "fa": "pes_1", "sr-Cyrl": "srp_cyrl",
    "sr-Latn": "srp_latn", "ta": "tam", "nb": "nob",
}
PLACEHOLDER = re.compile(r"|\?+|…|\.\.\.|[\[(].{0,25}[\])]")
SKIP_TAGS = {"und", "en", "pt", "cat"}  # pt: same file as pt-PT; cat: 2nd Catalan


def suspicious(u, eng):
    """Count paragraphs whose length ratio to English is far from the median:
    a sign that text sits in the wrong slot even though the counts agree."""
    r = [len(a) / max(1, len(b)) for (_, a), (_, b) in zip(u, eng)]
    m = sorted(r)[len(r) // 2]
    return sum(1 for x in r if x > 3 * m or x < m / 3)


def collapse(s):
    return re.sub(r"\s+", " ", s).strip()


def units(path):
    """Return list of (slot, text) in document order.

    slot = section (title / preamble / article N) and the position of the
    paragraph within it; nested lists are flattened.  <note> elements
    (translator's notes) are skipped.  The end of the preamble ("Now,
    therefore, / The General Assembly / Proclaims ...") is split into one to
    three paragraphs depending on the translation; it is merged into one
    paragraph everywhere, so the preamble has 8 paragraphs after its title.
    That is done only when the translation seems to have 7 whereas-clauses
    (no short paragraph among the first 7 of 8 or more); otherwise the version is rejected.
    """
    root = ET.parse(path).getroot()
    out = []
    for sec in root:
        tag = sec.tag.replace(NS, "")
        if tag == "note":
            continue
        name = tag if tag != "article" else f"article[{sec.get('number')}]"
        if tag == "title":
            out.append((name, collapse("".join(sec.itertext()))))
            continue
        texts = []
        for el in sec.iter():
            t = el.tag.replace(NS, "")
            if t in ("title", "para"):
                texts.append((t, collapse("".join(el.itertext()))))
        if tag == "preamble":
            head = [x for x in texts if x[0] == "title"]
            paras = [x[1] for x in texts if x[0] == "para"]
            # 7 whereas-clauses: no short paragraph ("Now, therefore," / "The
            # General Assembly", an introduction) among the first seven.
            med = sorted(len(p) for p in paras)[len(paras) // 2] if paras else 0
            short = [i for i, p in enumerate(paras) if len(p) < 0.3 * med]
            if len(paras) >= 8 and not any(i < 7 for i in short):
                paras = paras[:7] + [" ".join(paras[7:])]
            else:
                texts.append(("unmatched", ""))  # a slot English lacks: rejected
            texts = head + [("para", p) for p in paras] + [x for x in texts if x[0] == "unmatched"]
        for i, (t, x) in enumerate(texts):
            out.append((f"{name}/{t}[{i}]", x))
    return out


def main():
    data, out = sys.argv[1], sys.argv[2]
    index = ET.parse(os.path.join(data, "index.xml")).getroot()
    entries = []
    for u in index:
        if u.get("stage") != "4":  # stage 4 = complete, reviewed
            continue
        if u.get("f") in ("jpn_osaka", "jpn_tokyo"):  # dialect renderings
            continue
        entries.append((u.get("f"), u.get("bcp47"), u.get("iso15924"), u.get("n")))
    eng = units(os.path.join(data, "udhr_eng.xml"))
    eng_slots = [s for s, _ in eng]
    by_tag = {}
    for f, tag, script, name in entries:
        by_tag.setdefault(tag, []).append((f, script, name))
    # tag -> candidate files, tried in order until one matches English
    chosen = {"en": [("eng", "Latn", "English")]}
    for tag, cands in by_tag.items():
        if tag in SKIP_TAGS or not re.fullmatch(r"[a-z]{2,3}(-[A-Z][a-z]{3})?(-[A-Z]{2})?", tag):
            continue
        chosen[tag] = list(cands)
    # Tags the repository spells with variants, or where several versions exist.
    allf = {f: (f, s, n) for f, t, s, n in entries}
    for tag, f in PREFERRED.items():
        if f in allf:
            rest = [c for c in chosen.get(tag, []) if c[0] != f and tag in by_tag]
            chosen[tag] = [allf[f]] + rest
    for t in ("zh", "el-monoton", "el-polyton", "de-1901", "de-1996"):
        chosen.pop(t, None)
    odir = os.path.join(out, "legal", "udhr")
    os.makedirs(odir, exist_ok=True)
    kept, rejected = [], []
    for tag in sorted(chosen):
        for f, script, name in chosen[tag]:
            u = units(os.path.join(data, f"udhr_{f}.xml"))
            slots = [s for s, _ in u]
            if slots != eng_slots:
                rejected.append((tag, f, f"{len(slots)} slots vs {len(eng_slots)}"))
            elif any(PLACEHOLDER.fullmatch(t) for _, t in u):
                rejected.append((tag, f, "empty or placeholder paragraph"))
            elif suspicious(u, eng) > 5:
                rejected.append((tag, f, "length ratios suggest misplaced paragraphs"))
            else:
                break
        else:
            continue
        with open(os.path.join(odir, f"{tag}.txt"), "w", encoding="utf-8", newline="\n") as fh:
            for _, t in u:
                fh.write(t + "\n")
        kept.append((tag, f, script, name))
    with open(os.path.join(out, "legal", "udhr.sources.tsv"), "w", encoding="utf-8") as fh:
        fh.write("lang\tudhr_file\tscript\tname\n")
        for k in kept:
            fh.write("\t".join([k[0], f"udhr_{k[1]}.xml", k[2], k[3]]) + "\n")
    print(f"kept {len(kept)} languages, {len(eng)} paragraphs each; rejected {len(rejected)}")
    for r in rejected:
        print("rejected", *r, file=sys.stderr)


if __name__ == "__main__":
    main()
