#!/usr/bin/env python3
"""Add the owning Debian package and version of each English man page to
OUT/technical.sources.tsv (column english_package), using dpkg -S for files
under /usr/share/man; files from the downloaded `manpages` .deb are marked
as such.  Usage: man_en_origin.py OUT"""
import os
import subprocess
import sys

out = sys.argv[1]
path = os.path.join(out, "technical.sources.tsv")
rows = [l.rstrip("\n").split("\t") for l in open(path, encoding="utf-8")]
head, rows = rows[0], rows[1:]
if "english_package" in head:
    sys.exit(0)
cache = {}
for r in rows:
    f = r[3]
    if f in cache:
        continue
    if f.startswith("/usr/share/man"):
        real = os.path.realpath(f)
        p = subprocess.run(["dpkg", "-S", f], capture_output=True, text=True).stdout
        if not p:
            p = subprocess.run(["dpkg", "-S", real], capture_output=True, text=True).stdout
        pkg = p.split(":")[0].strip() if p else "?"
        ver = subprocess.run(["dpkg-query", "-W", "-f=${Version}", pkg],
                             capture_output=True, text=True).stdout if pkg != "?" else ""
        cache[f] = f"{pkg} {ver}".strip()
    elif "/manx/manpages/" in f:
        cache[f] = "manpages (downloaded .deb)"
    else:
        cache[f] = "downloaded owner package (build.sh)"
with open(path, "w", encoding="utf-8") as fh:
    fh.write("\t".join(head + ["english_package"]) + "\n")
    for r in rows:
        fh.write("\t".join(r + [cache[r[3]]]) + "\n")
