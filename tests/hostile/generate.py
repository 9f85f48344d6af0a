#!/usr/bin/env python3
"""Write the hostile-input corpus of tests/hostile.rs: TMX and XLIFF files that attack the
readers (entity bombs, characters XML 1.0 forbids, truncated and trailing content, deep
nesting, oversized segments, bad language tags and scores), and cases.tsv, which names for each
file the command to run, the exit code expected and a part of the message expected on stderr.

Run it from the crate root after changing a case: python3 tests/hostile/generate.py
The files it writes are committed; the tests read them and never run this script. The
truncation cases are made by the test itself, at every offset of small.tmx and small.xlf.
"""

import os

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.join(HERE, "corpus")

TMX_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    "{doctype}"
    '<tmx version="1.4">\n'
    '<header creationtool="t" creationtoolversion="1" segtype="paragraph" o-tmf="t"'
    ' adminlang="en" srclang="en" datatype="plaintext"/>\n'
    "<body>\n"
)
TMX_TAIL = "</body>\n</tmx>\n"


def tu(src, tgt, lang="es", extra=""):
    return (
        f'<tu><tuv xml:lang="en"><seg>{src}</seg></tuv>'
        f'<tuv xml:lang="{lang}">{extra}<seg>{tgt}</seg></tuv></tu>\n'
    )


def tmx(body, doctype=""):
    return TMX_HEAD.format(doctype=doctype) + body + TMX_TAIL


XLF_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    "{doctype}"
    '<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="{src}"'
    ' trgLang="{trg}">\n'
    '<file id="f1" original="law">\n'
)
XLF_TAIL = "</file>\n</xliff>\n"


def unit(i, src, tgt):
    return (
        f'<unit id="p{i}"><segment><source>{src}</source>'
        f"<target>{tgt}</target></segment></unit>\n"
    )


def xliff(body, doctype="", src="en", trg="es"):
    return XLF_HEAD.format(doctype=doctype, src=src, trg=trg) + body + XLF_TAIL


XLF12_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    "{doctype}"
    '<xliff xmlns="urn:oasis:names:tc:xliff:document:1.2" version="1.2">\n'
    '<file original="law" source-language="{src}" target-language="{trg}" datatype="plaintext">\n'
    "<body>\n"
)
XLF12_TAIL = "</body>\n</file>\n</xliff>\n"


def unit12(i, src, tgt):
    return (
        f'<trans-unit id="p{i}"><source>{src}</source>'
        f"<target>{tgt}</target></trans-unit>\n"
    )


def xliff12(body, doctype="", src="en", trg="es"):
    """XLIFF 1.2: the same attacks reach the same defences (one scanner reads both versions)."""
    return XLF12_HEAD.format(doctype=doctype, src=src, trg=trg) + body + XLF12_TAIL


def lol_doctype(root):
    """The billion laughs: ten levels of ten references, 10^9 copies of "lol"."""
    decls = ['<!ENTITY lol0 "lol">']
    for k in range(1, 10):
        decls.append(f'<!ENTITY lol{k} "' + f"&lol{k - 1};" * 10 + '">')
    return f"<!DOCTYPE {root} [\n " + "\n ".join(decls) + "\n]>\n"


CASES = []


def case(name, content, command, code, message, args=""):
    path = os.path.join(CORPUS, name)
    data = content.encode("utf-8") if isinstance(content, str) else content
    with open(path, "wb") as f:
        f.write(data)
    CASES.append((name, command, args, str(code), message))


def main():
    os.makedirs(CORPUS, exist_ok=True)
    for old in os.listdir(CORPUS):
        os.remove(os.path.join(CORPUS, old))

    # The small files whose every truncation the test tries.
    small_tmx = tmx(tu("Fares rise.", "Suben las tarifas.") + tu("Wages &amp; hours.", "Salarios y horas."))
    case("small.tmx", small_tmx, "import-tmx", 0, "2 segments new")
    small_xlf = xliff(unit(0, "Fares rise.", "Suben las tarifas.") + unit(1, "Wages.", "Salarios."))
    with open(os.path.join(CORPUS, "small.xlf"), "w") as f:
        f.write(small_xlf)

    # Entity bombs.
    bomb = "AMPLIFICATION"
    case("billion-laughs.tmx", tmx(tu("&lol9;", "x"), lol_doctype("tmx")), "import-tmx", 2, bomb)
    case("billion-laughs.xlf", xliff(unit(0, "&lol9;", "x"), lol_doctype("xliff")), "import-xliff", 2, bomb)
    big = "A" * 100_000
    case(
        "quadratic-400k.tmx",
        tmx(tu("&big;" * 100_000, "x"), f'<!DOCTYPE tmx [<!ENTITY big "{big}">]>\n'),
        "import-tmx", 2, bomb,
    )
    mid = "B" * 20_000
    case(
        "quadratic-70k.tmx",
        tmx(tu("&mid;" * 10_000, "x"), f'<!DOCTYPE tmx [<!ENTITY mid "{mid}">]>\n'),
        "import-tmx", 2, bomb,
    )
    case(
        "empty-entity-flood.tmx",
        tmx(tu("a" + "&e;" * 200_000, "x"), '<!DOCTYPE tmx [<!ENTITY e "">]>\n'),
        "import-tmx", 2, bomb,
    )
    case(
        "entity-loop.tmx",
        tmx(tu("&a;", "x"), '<!DOCTYPE tmx [<!ENTITY a "1&b;"><!ENTITY b "2&a;">]>\n'),
        "import-tmx", 2, "refers to itself",
    )
    case(
        "external-entity.tmx",
        tmx(tu("&xxe;", "x"), '<!DOCTYPE tmx [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'),
        "import-tmx", 2, "unknown entity `&xxe;`",
    )
    case(
        "entity-no-expansion.tmx",
        tmx(tu("&co;", "x"), '<!DOCTYPE tmx [<!ENTITY co "Acme">]>\n'),
        "import-tmx", 2, "--max-entity-expansion 0", args="--max-entity-expansion 0",
    )
    case(
        "entity-ok.tmx",
        tmx(tu("&co; rises.", "Sube &co;."), '<!DOCTYPE tmx [<!ENTITY co "Acme&#160;Co">]>\n'),
        "import-tmx", 0, "1 segment new",
    )

    # Characters XML 1.0 forbids, raw and as references.
    case("control-raw.tmx", tmx(tu("a\x01b", "x")), "import-tmx", 2, "U+0001")
    case("control-ref.tmx", tmx(tu("a&#1;b", "x")), "import-tmx", 2, "U+0001")
    case("escape-raw.tmx", tmx(tu("red \x1b[31m", "x")), "import-tmx", 2, "U+001B")
    case("escape-hex-ref.tmx", tmx(tu("a&#x1B;]0;title&#x7;", "x")), "import-tmx", 2, "U+001B")
    case("escape-in-entity.tmx", tmx(tu("&e;", "x"), '<!DOCTYPE tmx [<!ENTITY e "&#27;">]>\n'), "import-tmx", 2, "U+001B")
    case("control-attribute.tmx", tmx(tu("a", "b", lang="es&#1;")), "import-tmx", 2, "in an attribute")
    case("nul-raw.tmx", tmx(tu("a\x00b", "x")), "import-tmx", 2, "U+0000")
    case("fffe-raw.tmx", tmx(tu("a\ufffeb", "x")), "import-tmx", 2, "U+FFFE")
    case("control-raw.xlf", xliff(unit(0, "Fares.", "a\x1bb")), "import-xliff", 2, "U+001B")
    case("control-ref.xlf", xliff(unit(0, "Fares.", "a&#8;b")), "import-xliff", 2, "U+0008")
    utf16 = "\ufeff" + tmx(tu("a\x02b", "x")).replace('encoding="UTF-8"', 'encoding="UTF-16"')
    case("control-utf16.tmx", utf16.encode("utf-16-le"), "import-tmx", 2, "U+0002")

    # Cut short, and content after the root.
    case("no-end-tmx.tmx", small_tmx.replace("</tmx>\n", ""), "import-tmx", 2, "cut short")
    case("text-after.tmx", small_tmx + "trailing words\n", "import-tmx", 2, "text after </tmx>")
    case("element-after.tmx", small_tmx + "<tmx/>\n", "import-tmx", 2, "after </tmx>")
    case("text-before.tmx", "junk " + small_tmx, "import-tmx", 2, "text before <tmx>")
    case("no-end-xliff.xlf", small_xlf.replace("</xliff>\n", ""), "import-xliff", 2, "cut short")
    case("text-after.xlf", small_xlf + "more\n", "import-xliff", 2, "text after </xliff>")
    case("element-after.xlf", small_xlf + "<xliff/>\n", "import-xliff", 2, "after </xliff>")

    # Limits.
    deep = "<hi>" * 5000 + "x" + "</hi>" * 5000
    case("deep.tmx", tmx(tu(deep, "x")), "import-tmx", 2, "--max-depth")
    deep_x = "<pc id='1'>" * 5000 + "x" + "</pc>" * 5000
    case("deep.xlf", xliff(unit(0, deep_x, "x")), "import-xliff", 2, "--max-depth")
    case("long-segment.tmx", tmx(tu("word " * 1000, "x")), "import-tmx", 2, "--max-segment-size", args="--max-segment-size 1000")
    case("long-segment-refs.tmx", tmx(tu("a&amp;" * 700, "x")), "import-tmx", 2, "--max-segment-size", args="--max-segment-size 1000")
    case("long-segment.xlf", xliff(unit(0, "Fares.", "word " * 1000)), "import-xliff", 2, "--max-segment-size", args="--max-segment-size 1000")
    case("long-tag.tmx", tmx(tu("a", "b", extra='<prop type="' + "t" * 3000 + '">p</prop>')), "import-tmx", 2, "--max-segment-size", args="--max-segment-size 1000")
    case("big-file.tmx", small_tmx, "import-tmx", 2, "--max-file-size", args="--max-file-size 100")
    case("big-file.xlf", small_xlf, "import-xliff", 2, "--max-file-size", args="--max-file-size 100")

    # Values the CLI refuses as flags are refused from files too.
    case("bad-lang.tmx", tmx(tu("a", "b", lang="x' OR 1=1--")), "import-tmx", 2, "xml:lang")
    case("bad-srclang.tmx", tmx(tu("a", "b")).replace('srclang="en"', 'srclang="english"'), "import-tmx", 2, "srclang")
    case("bad-score.tmx", tmx(tu("a", "b", extra='<prop type="x-score">-5</prop>')), "import-tmx", 2, "x-score `-5`")
    case("nan-score.tmx", tmx(tu("a", "b", extra='<prop type="x-score">NaN</prop>')), "import-tmx", 2, "x-score `NaN`")
    case("bad-srclang.xlf", xliff(unit(0, "a", "b"), src="en;drop table"), "import-xliff", 2, "srcLang")
    case("bad-trglang.xlf", xliff(unit(0, "a", "b"), trg="zz-!!"), "import-xliff", 2, "trgLang")

    # XLIFF 1.2: the same limits and messages as 2.0.
    small_12 = xliff12(unit12(0, "Fares rise.", "Suben las tarifas.") + unit12(1, "Wages.", "Salarios."))
    with open(os.path.join(CORPUS, "small-1.2.xlf"), "w") as f:
        f.write(small_12)
    case("billion-laughs-1.2.xlf", xliff12(unit12(0, "&lol9;", "x"), lol_doctype("xliff")), "import-xliff", 2, bomb)
    case("control-raw-1.2.xlf", xliff12(unit12(0, "Fares.", "a\x1bb")), "import-xliff", 2, "U+001B")
    case("control-ref-1.2.xlf", xliff12(unit12(0, "Fares.", "a&#8;b")), "import-xliff", 2, "U+0008")
    case("no-end-1.2.xlf", small_12.replace("</xliff>\n", ""), "import-xliff", 2, "cut short")
    case("text-after-1.2.xlf", small_12 + "more\n", "import-xliff", 2, "text after </xliff>")
    deep_g = "<g id='1'>" * 5000 + "x" + "</g>" * 5000
    case("deep-1.2.xlf", xliff12(unit12(0, deep_g, "x")), "import-xliff", 2, "--max-depth")
    deep_ph = "<ph id='1'>" * 5000 + "x" + "</ph>" * 5000
    case("deep-code-1.2.xlf", xliff12(unit12(0, "a" + deep_ph, "x")), "import-xliff", 2, "--max-depth")
    case("long-segment-1.2.xlf", xliff12(unit12(0, "Fares.", "word " * 1000)), "import-xliff", 2, "--max-segment-size", args="--max-segment-size 1000")
    case("big-file-1.2.xlf", small_12, "import-xliff", 2, "--max-file-size", args="--max-file-size 100")
    case("bad-srclang-1.2.xlf", xliff12(unit12(0, "a", "b"), src="en;drop table"), "import-xliff", 2, "source-language")
    case("no-srclang-1.2.xlf", xliff12(unit12(0, "a", "b")).replace(' source-language="en"', ""), "import-xliff", 2, "<file> has no source-language")
    case("bad-trglang-1.2.xlf", xliff12(unit12(0, "a", "b"), trg="zz-!!"), "import-xliff", 2, "target-language")

    with open(os.path.join(HERE, "cases.tsv"), "w") as f:
        f.write("# file\tcommand\textra arguments\texit code\tmessage on stderr (AMPLIFICATION: the entity-bomb message)\n")
        for c in CASES:
            f.write("\t".join(c) + "\n")


if __name__ == "__main__":
    main()
