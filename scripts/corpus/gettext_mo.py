#!/usr/bin/env python3
"""Genre "software": translated messages of gettext catalogs in Debian packages.

Reads the compiled catalogs usr/share/locale/<locale>/LC_MESSAGES/<domain>.mo
of the given .deb files (fetched with `apt-get download PKG`), and writes one
doc per domain: OUT/software/<domain>[-N]/<lang>.txt, one message per line.

- skipped: the header, plural entries, messages with no letter, messages
  whose translation is empty or equal to the English text.  (.mo files hold
  no fuzzy entries.)  Whitespace (help texts' line breaks and columns) is
  collapsed to single spaces so that a message is one line.
- lines must align across every language of a doc, so a doc holds the
  messages translated in ALL its languages: languages covering at least
  MIN_COVER of the domain's messages are kept, the others left out.
- messages are in the order of the .mo file (sorted by English text);
  docs larger than MAX_DOC messages are split.

Usage: gettext_mo.py OUT_DIR PKG.deb...
"""
import os
import re
import struct
import subprocess
import sys
import tempfile

MIN_COVER = 0.85
MAX_DOC = 2000
MIN_DOC = 30
MIN_LANGS = 5


def read_mo(path):
    data = open(path, "rb").read()
    magic = struct.unpack("<I", data[:4])[0]
    end = "<" if magic == 0x950412DE else ">"
    _, n, o_orig, o_tr = struct.unpack(end + "4I", data[4:20])
    out = {}
    for i in range(n):
        ln, off = struct.unpack(end + "2I", data[o_orig + 8 * i:o_orig + 8 * i + 8])
        lt, ot = struct.unpack(end + "2I", data[o_tr + 8 * i:o_tr + 8 * i + 8])
        msgid = data[off:off + ln]
        msgstr = data[ot:ot + lt]
        if not msgid or b"\x00" in msgid:  # header, plural
            continue
        try:
            msgid = msgid.decode("utf-8")
            msgstr = msgstr.decode("utf-8")
        except UnicodeDecodeError:
            continue
        out[msgid] = msgstr
    return out


def norm(s):
    return re.sub(r"\s+", " ", s).strip()


def bcp47(loc):
    """gettext locale name -> BCP 47 tag, or None to skip."""
    loc = loc.replace("@euro", "")
    special = {
        "zh_CN": "zh-Hans", "zh_SG": "zh-Hans-SG", "zh_TW": "zh-Hant",
        "zh_HK": "zh-Hant-HK", "sr@latin": "sr-Latn", "sr@Latn": "sr-Latn",
        "sr": "sr-Cyrl", "be@latin": "be-Latn", "uz@cyrillic": "uz-Cyrl",
        "ca@valencia": "ca-valencia", "ks@devanagari": "ks-Deva",
        "sd@devanagari": "sd-Deva", "ku": "ku", "no": "nb", "zh": None,
        "pt": "pt", "pt_BR": "pt-BR",
    }
    if loc in special:
        return special[loc]
    if loc.startswith("en") or "@" in loc or loc in ("C", "POSIX"):
        return None
    m = re.fullmatch(r"([a-z]{2,3})(?:_([A-Z]{2}))?", loc)
    if not m:
        return None
    lang, region = m.groups()
    return lang if not region else f"{lang}-{region}"


def main():
    out = sys.argv[1]
    debs = sys.argv[2:]
    sources = []
    for deb in debs:
        pkg = subprocess.run(["dpkg-deb", "-f", deb, "Package"], capture_output=True, text=True).stdout.strip()
        ver = subprocess.run(["dpkg-deb", "-f", deb, "Version"], capture_output=True, text=True).stdout.strip()
        with tempfile.TemporaryDirectory() as tmp:
            subprocess.run(["dpkg-deb", "-x", deb, tmp], check=True)
            base = os.path.join(tmp, "usr/share/locale")
            if not os.path.isdir(base):
                print(f"{pkg}: no catalogs", file=sys.stderr)
                continue
            domains = {}
            for loc in sorted(os.listdir(base)):
                tag = bcp47(loc)
                d = os.path.join(base, loc, "LC_MESSAGES")
                if tag is None or not os.path.isdir(d):
                    continue
                for f in os.listdir(d):
                    if f.endswith(".mo"):
                        cat = {}
                        for k, v in read_mo(os.path.join(d, f)).items():
                            text = k.split("\x04", 1)[-1]  # drop msgctxt, keep it in the key
                            if not re.search(r"[^\W\d_]", text):
                                continue
                            v = norm(v)
                            if not v or v == norm(text):
                                continue
                            cat[k] = v
                        domains.setdefault(f[:-3], {})[tag] = cat
        for dom, langs in sorted(domains.items()):
            allids = set().union(*langs.values())
            cover = {t: len(c) / len(allids) for t, c in langs.items() if allids}
            if not cover:
                continue
            best = max(cover.values())
            keep = sorted(t for t, c in cover.items() if c >= MIN_COVER * best)
            ids = sorted(set.intersection(*(set(langs[t]) for t in keep)))
            if len(ids) < MIN_DOC or len(keep) < MIN_LANGS:
                print(f"{pkg}/{dom}: too small ({len(ids)} messages, {len(keep)} langs)", file=sys.stderr)
                continue
            # English lines must be distinct within a doc? no: duplicates are real; keep.
            chunks = [ids[i:i + MAX_DOC] for i in range(0, len(ids), MAX_DOC)]
            if len(chunks) > 1 and len(chunks[-1]) < MIN_DOC:
                chunks[-2].extend(chunks.pop())
            for n, chunk in enumerate(chunks, 1):
                name = dom if len(chunks) == 1 else f"{dom}-{n}"
                d = os.path.join(out, "software", name)
                os.makedirs(d, exist_ok=True)
                with open(os.path.join(d, "en.txt"), "w", encoding="utf-8", newline="\n") as fh:
                    fh.write("".join(norm(k.split("\x04", 1)[-1]) + "\n" for k in chunk))
                for t in keep:
                    with open(os.path.join(d, f"{t}.txt"), "w", encoding="utf-8", newline="\n") as fh:
                        fh.write("".join(langs[t][k] + "\n" for k in chunk))
                sources.append((name, pkg, ver, dom, len(chunk), len(keep),
                                ",".join(sorted(set(langs) - set(keep)))))
            print(f"{pkg} {ver} {dom}: {len(ids)} messages x {len(keep)} languages "
                  f"(left out {len(langs) - len(keep)})")
    with open(os.path.join(out, "software.sources.tsv"), "a", encoding="utf-8") as fh:
        for s in sources:
            fh.write("\t".join(map(str, s)) + "\n")


if __name__ == "__main__":
    main()
