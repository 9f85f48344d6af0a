#!/usr/bin/env python3
"""Genre "technical": a translated DocBook manual shipped as HTML in a Debian
package (installation-guide-amd64: doc/installation-guide-amd64/<lang>/*.html;
debian-reference-<lang>: share/debian-reference/<page>.<lang>.html).

Every language is generated from the same DocBook sources through PO files,
so its pages have the same block structure.  A paragraph = the text of one
block element (p, h1-h6, li, dt, dd, pre, td, th, title-like divs ...), with
whitespace collapsed; the navigation header/footer is skipped.  One doc per
chapter/appendix (chNN*.html, apX*.html pages concatenated), and a language
is kept in a doc only if every page of it has as many paragraphs as the
English page, and at most 35 % of its lines are identical to English
(untranslated parts; commands and names are legitimately identical).

Usage: docbook_html.py OUT DOC_DIR NAME
  e.g. docbook_html.py /work/corpus x/usr/share/doc/installation-guide-amd64 installation-guide
"""
import html.parser
import os
import re
import sys

BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "dt", "dd", "pre", "td",
          "th", "tr", "table", "div", "blockquote", "ul", "ol", "dl", "title", "br",
          "caption", "body", "hr"}
MAX_SAME = 0.35
LOCALES = {"zh_CN": "zh-Hans", "zh_TW": "zh-Hant", "pt_BR": "pt-BR",
           "zh-cn": "zh-Hans", "zh-tw": "zh-Hant", "pt-br": "pt-BR"}


class Blocks(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out, self.cur, self.skip, self.depth = [], [], 0, 0
        self.in_head = False

    def flush(self):
        t = re.sub(r"\s+", " ", "".join(self.cur)).strip()
        if t and not self.skip and not self.in_head:
            self.out.append(t)
        self.cur = []

    def handle_starttag(self, tag, attrs):
        if tag == "head":
            self.in_head = True
        if tag in BLOCKS:
            self.flush()
        if tag == "div":
            cls = dict(attrs).get("class", "") or ""
            self.depth += 1
            if self.skip:
                self.skip += 1
            elif cls in ("navheader", "navfooter"):
                self.skip = 1

    def handle_endtag(self, tag):
        if tag == "head":
            self.in_head = False
            self.cur = []
        if tag in BLOCKS:
            self.flush()
        if tag == "div":
            self.depth -= 1
            if self.skip:
                self.skip -= 1

    def handle_data(self, data):
        if not self.skip and not self.in_head:
            self.cur.append(data)


def paragraphs(path):
    p = Blocks()
    p.feed(open(path, encoding="utf-8", errors="replace").read())
    p.close()
    p.flush()
    return p.out


def main():
    out, base, name = sys.argv[1], sys.argv[2], sys.argv[3]
    if os.path.isdir(os.path.join(base, "en")):  # layout <lang>/<page>.html
        langs = sorted(d for d in os.listdir(base) if os.path.isdir(os.path.join(base, d)) and d != "images")
        en_pages = sorted(f for f in os.listdir(os.path.join(base, "en")) if f.endswith(".html"))

        def page(loc, f):
            return os.path.join(base, loc, f)
    else:  # layout <page>.<lang>.html
        names = [re.match(r"(.+)\.([a-z]{2}(?:-[a-z]{2})?)\.html$", f) for f in os.listdir(base)]
        names = [m for m in names if m]
        langs = sorted({m.group(2) for m in names})
        en_pages = sorted(m.group(1) + ".html" for m in names if m.group(2) == "en")

        def page(loc, f):
            return os.path.join(base, f[:-5] + "." + loc + ".html")
    groups = {}
    for f in en_pages:
        m = re.match(r"(ch\d+|ap[a-z]|pr\d+)", f)
        if m:
            groups.setdefault(m.group(1), []).append(f)
    log = open(os.path.join(out, f"technical.{name}.tsv"), "w", encoding="utf-8")
    log.write("doc\tlang\tparagraphs\tlines_identical_to_en\n")
    for g, files in sorted(groups.items()):
        en = {f: paragraphs(page("en", f)) for f in files}
        n = sum(len(v) for v in en.values())
        if n < 30:
            continue
        good = {}
        for loc in langs:
            if loc == "en":
                continue
            tag = LOCALES.get(loc, loc)
            tr = {}
            for f in files:
                p = page(loc, f)
                if not os.path.exists(p):
                    break
                tr[f] = paragraphs(p)
                if len(tr[f]) != len(en[f]):
                    break
            else:
                good[tag] = [x for f in files for x in tr[f]]
        lines_en = [x for f in files for x in en[f]]
        # a language whose doc is largely left in English is not a translation
        good = {t: ls for t, ls in good.items()
                if sum(x == y for x, y in zip(ls, lines_en)) <= MAX_SAME * len(lines_en)}
        if not good:
            continue
        chunks = [(0, len(lines_en))]
        if len(lines_en) > 3000:
            k = (len(lines_en) + 2999) // 3000
            step = (len(lines_en) + k - 1) // k
            chunks = [(i, min(i + step, len(lines_en))) for i in range(0, len(lines_en), step)]
        for ci, (a, b) in enumerate(chunks, 1):
            doc = f"{name}-{g}" + (f"-{ci}" if len(chunks) > 1 else "")
            d = os.path.join(out, "technical", doc)
            os.makedirs(d, exist_ok=True)
            with open(os.path.join(d, "en.txt"), "w", encoding="utf-8", newline="\n") as fh:
                fh.write("\n".join(lines_en[a:b]) + "\n")
            for tag, lines in good.items():
                with open(os.path.join(d, f"{tag}.txt"), "w", encoding="utf-8", newline="\n") as fh:
                    fh.write("\n".join(lines[a:b]) + "\n")
                same = sum(x == y for x, y in zip(lines[a:b], lines_en[a:b]))
                log.write(f"{doc}\t{tag}\t{b - a}\t{same}\n")
            print(f"{doc}: {b - a} paragraphs, {len(good)} languages", flush=True)


if __name__ == "__main__":
    main()
