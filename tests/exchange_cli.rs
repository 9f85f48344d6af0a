//! Exchange through the binary: `export --format tmx|xliff|tsv`, `import-tmx` and
//! `import-xliff` end to end. Every exported file is read back strictly with an XML parser of
//! its own (not paralign's readers); a TMX exported, imported into an empty memory and exported
//! again is the same file; a malformed TMX names its line and column and writes nothing; an
//! XLIFF unit whose source changed is refused. Commands run in a temporary folder with a fixed
//! clock and `PARALIGN_DB` removed.

mod util;

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::process::Command;

use quick_xml::events::Event;
use quick_xml::Reader;
use util::Dir;

const NOW: &str = "2024-03-14T10:00:00Z";

struct Out {
    stdout: String,
    stderr: String,
    code: i32,
}

fn run(dir: &Path, args: &[&str]) -> Out {
    let o = Command::new(env!("CARGO_BIN_EXE_paralign"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("PARALIGN_NOW", NOW)
        .env_remove("PARALIGN_DB")
        .output()
        .expect("paralign runs");
    let out = Out {
        stdout: String::from_utf8(o.stdout).unwrap(),
        stderr: String::from_utf8(o.stderr).unwrap(),
        code: o.status.code().unwrap(),
    };
    assert!(!out.stderr.contains("panicked"), "{}", out.stderr);
    out
}

fn ok(dir: &Path, args: &[&str]) -> Out {
    let out = run(dir, args);
    assert_eq!(
        out.code, 0,
        "{args:?} exited {}\n{}\n{}",
        out.code, out.stdout, out.stderr
    );
    out
}

/// An element as read strictly: name, attributes, text, children.
#[derive(Debug, Clone, Default, PartialEq)]
struct El {
    name: String,
    attrs: BTreeMap<String, String>,
    text: String,
    children: Vec<El>,
}

impl El {
    fn all(&self, name: &str) -> Vec<&El> {
        self.children.iter().filter(|c| c.name == name).collect()
    }
    fn one(&self, name: &str) -> &El {
        let v = self.all(name);
        assert_eq!(v.len(), 1, "one <{name}> in <{}>", self.name);
        v[0]
    }
}

/// Parse a whole XML file into a tree, failing on anything malformed.
fn parse(xml: &str) -> El {
    let mut r = Reader::from_str(xml);
    r.config_mut().check_end_names = true;
    let mut stack: Vec<El> = vec![El::default()];
    loop {
        match r.read_event().expect("well-formed XML") {
            Event::Start(e) => {
                let mut el = El {
                    name: e.name().as_ref().to_string(),
                    ..El::default()
                };
                for a in e.attributes() {
                    let a = a.expect("attribute");
                    el.attrs.insert(
                        a.key.as_ref().to_string(),
                        a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                            .unwrap()
                            .into_owned(),
                    );
                }
                stack.push(el);
            }
            Event::Empty(e) => {
                let mut el = El {
                    name: e.name().as_ref().to_string(),
                    ..El::default()
                };
                for a in e.attributes() {
                    let a = a.expect("attribute");
                    el.attrs.insert(
                        a.key.as_ref().to_string(),
                        a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                            .unwrap()
                            .into_owned(),
                    );
                }
                stack.last_mut().unwrap().children.push(el);
            }
            Event::End(_) => {
                let el = stack.pop().unwrap();
                stack.last_mut().unwrap().children.push(el);
            }
            Event::Text(t) => stack.last_mut().unwrap().text.push_str(&t.xml10_content()),
            Event::GeneralRef(g) => {
                let s = match g.resolve_char_ref().unwrap() {
                    Some(c) => c.to_string(),
                    None => match &*g {
                        "lt" => "<".into(),
                        "gt" => ">".into(),
                        "amp" => "&".into(),
                        "quot" => "\"".into(),
                        "apos" => "'".into(),
                        other => panic!("unknown entity {other}"),
                    },
                };
                stack.last_mut().unwrap().text.push_str(&s);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!(stack.len(), 1, "every element closed");
    let mut root = stack.pop().unwrap();
    assert_eq!(root.children.len(), 1, "one root element");
    root.children.pop().unwrap()
}

/// The statement in English, Spanish (one paragraph missing) and Russian, imported.
fn memory() -> Dir {
    let dir = util::statement_with_defect("missing.es.txt");
    dir.copy_fixture("statement/statement.ru.txt", "statement.ru.txt");
    ok(dir.path(), &["import", "--db", "m.sqlite", "."]);
    dir
}

fn segments(dir: &Path, db: &str) -> serde_json::Value {
    let out = ok(
        dir,
        &["segments", "--db", db, "--format", "json", "--limit", "0"],
    );
    serde_json::from_str(&out.stdout).unwrap()
}

#[test]
fn tmx_reads_back_strictly_and_round_trips() {
    let dir = memory();
    let out = ok(
        dir.path(),
        &[
            "export", "--db", "m.sqlite", "--format", "tmx", "-o", "a.tmx",
        ],
    );
    assert!(out.stdout.contains("exported 16 units"), "{}", out.stdout);
    let text = dir.read("a.tmx");
    let tmx = parse(&text);
    assert_eq!(tmx.name, "tmx");
    assert_eq!(tmx.attrs["version"], "1.4");
    let header = tmx.one("header");
    for a in [
        "creationtool",
        "creationtoolversion",
        "segtype",
        "o-tmf",
        "adminlang",
        "srclang",
        "datatype",
    ] {
        assert!(
            header.attrs.get(a).is_some_and(|v| !v.is_empty()),
            "header@{a}"
        );
    }
    assert_eq!(header.attrs["srclang"], "en");
    assert_eq!(header.attrs["segtype"], "paragraph");
    assert_eq!(header.attrs["creationdate"], "20240314T100000Z");
    let tus = tmx.one("body").all("tu");
    assert_eq!(tus.len(), 16, "one unit per source paragraph");
    let mut variants = 0;
    for tu in &tus {
        let tuvs = tu.all("tuv");
        assert!(tuvs.len() >= 2);
        assert_eq!(tuvs[0].attrs["xml:lang"], "en");
        let langs: Vec<&str> = tuvs.iter().map(|t| t.attrs["xml:lang"].as_str()).collect();
        let mut sorted = langs.clone();
        sorted.dedup();
        assert_eq!(sorted, langs, "one variant per language");
        for t in &tuvs[1..] {
            assert!(t.attrs["creationdate"].ends_with('Z'));
            assert!(!t.one("seg").text.is_empty());
        }
        assert!(tu
            .all("prop")
            .iter()
            .any(|p| p.attrs["type"] == "x-document" && p.text == "statement"));
        variants += tuvs.len() - 1;
    }
    let seg = segments(dir.path(), "m.sqlite");
    assert_eq!(variants as u64, seg["total"].as_u64().unwrap());
    // The Russian title is in the unit of the English title.
    assert_eq!(tus[0].all("tuv").len(), 3);

    // Import into an empty memory, export again: the same file, the same segments.
    let out = ok(dir.path(), &["import-tmx", "--db", "n.sqlite", "a.tmx"]);
    assert!(out.stdout.contains("31 segments new"), "{}", out.stdout);
    ok(
        dir.path(),
        &[
            "export", "--db", "n.sqlite", "--format", "tmx", "-o", "b.tmx",
        ],
    );
    assert_eq!(dir.read("b.tmx"), text);
    let strip = |v: serde_json::Value| -> Vec<serde_json::Value> {
        v["segments"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| {
                let mut s = s.clone();
                let o = s.as_object_mut().unwrap();
                for k in ["id", "origin", "source_hash"] {
                    o.remove(k);
                }
                s
            })
            .collect()
    };
    let mut a = strip(seg);
    let mut b = strip(segments(dir.path(), "n.sqlite"));
    let key =
        |v: &serde_json::Value| format!("{}|{}|{}", v["target_lang"], v["source"], v["target"]);
    a.sort_by_key(key);
    b.sort_by_key(key);
    assert_eq!(a, b);

    // Importing the same file again adds nothing.
    let out = ok(dir.path(), &["import-tmx", "--db", "n.sqlite", "a.tmx"]);
    assert!(
        out.stdout.contains("0 segments new, 31 already there"),
        "{}",
        out.stdout
    );
}

#[test]
fn narrowed_exports() {
    let dir = memory();
    ok(
        dir.path(),
        &[
            "export", "--db", "m.sqlite", "--format", "tmx", "--lang", "en,es", "-o", "es.tmx",
        ],
    );
    let tmx = parse(&dir.read("es.tmx"));
    for tu in tmx.one("body").all("tu") {
        for tuv in tu.all("tuv") {
            assert!(["en", "es"].contains(&tuv.attrs["xml:lang"].as_str()));
        }
    }
    ok(
        dir.path(),
        &[
            "export",
            "--db",
            "m.sqlite",
            "--format",
            "tsv",
            "--min-score",
            "0.5",
            "--exclude-flags",
            "diverging",
            "-o",
            "a.tsv",
        ],
    );
    let tsv = dir.read("a.tsv");
    let mut lines = tsv.lines();
    assert_eq!(
        lines.next().unwrap(),
        "source\ttarget\tsource_lang\ttarget_lang\tdocument\tlabel\tscore\tflags"
    );
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split('\t').collect()).collect();
    assert!(!rows.is_empty());
    for r in &rows {
        assert_eq!(r.len(), 8, "{r:?}");
        assert_eq!(r[2], "en");
        assert!(r[6].parse::<f64>().unwrap() >= 0.5);
        assert!(!r[7].contains("diverging"));
    }
    // Flags that make no sense for a format are usage errors.
    for args in [
        &["export", "--db", "m.sqlite", "--format", "xliff"][..],
        &[
            "export", "--db", "m.sqlite", "--format", "tmx", "--only", "missing",
        ],
        &[
            "export",
            "--db",
            "m.sqlite",
            "--format",
            "xliff",
            "--lang",
            "es",
            "--min-score",
            "0.5",
        ],
        &[
            "export", "--db", "m.sqlite", "--format", "tmx", "--lang", "xx-?",
        ],
        &[
            "export", "--db", "m.sqlite", "--format", "tmx", "--doc", "nosuch",
        ],
    ] {
        let out = run(dir.path(), args);
        assert_eq!(out.code, 2, "{args:?}: {}", out.stderr);
        assert_eq!(out.stderr.lines().count(), 1, "{}", out.stderr);
    }
}

#[test]
fn malformed_tmx_names_the_place_and_writes_nothing() {
    let dir = Dir::new();
    dir.create(
        "bad.tmx",
        "<?xml version=\"1.0\"?>\n<tmx version=\"1.4\">\n<header srclang=\"en\"/>\n<body>\n\
         <tu><tuv xml:lang=\"en\"><seg>One</seg></tuv><tuv xml:lang=\"es\"><seg>Uno</seg></tuv></tu>\n\
         <tu><tuv xml:lang=\"en\"><seg>Two</seg></tuv><tuv xml:lang=\"es\"><seg>Dos</tuv></tu>\n\
         </body></tmx>\n",
    );
    let out = run(dir.path(), &["import-tmx", "--db", "m.sqlite", "bad.tmx"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.starts_with("paralign: bad.tmx:6:71: "),
        "{}",
        out.stderr
    );
    assert_eq!(out.stderr.lines().count(), 1);
    // The memory exists (it was opened) but holds nothing.
    let seg = segments(dir.path(), "m.sqlite");
    assert_eq!(seg["total"], 0);
}

#[test]
fn an_element_tmx_does_not_allow_in_a_seg_names_the_place_and_writes_nothing() {
    let dir = Dir::new();
    dir.create(
        "codes.tmx",
        "<tmx version=\"1.4\">\n<header srclang=\"en\"/>\n<body>\n\
         <tu><tuv xml:lang=\"en\"><seg>One</seg></tuv><tuv xml:lang=\"es\"><seg>Uno</seg></tuv></tu>\n\
         <tu><tuv xml:lang=\"en\"><seg>Two <b>bold</b></seg></tuv><tuv xml:lang=\"es\"><seg>Dos</seg></tuv></tu>\n\
         </body></tmx>\n",
    );
    let out = run(dir.path(), &["import-tmx", "--db", "m.sqlite", "codes.tmx"]);
    assert_eq!(out.code, 2);
    assert_eq!(
        out.stderr,
        "paralign: codes.tmx:5:33: <b> in a <seg>: the inline elements of TMX 1.4 are <bpt>, <ept>, <hi>, <it>, <ph> and <ut>\n"
    );
    assert_eq!(segments(dir.path(), "m.sqlite")["total"], 0);
}

#[test]
fn tmx_from_other_tools_utf16_all_srclang_inline_codes() {
    let dir = Dir::new();
    let text = "<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n\
        <tmx version=\"1.4\"><header creationtool=\"T\" creationtoolversion=\"1\" segtype=\"sentence\" \
        o-tmf=\"t\" adminlang=\"EN-US\" srclang=\"*all*\" datatype=\"html\"/><body>\n\
        <tu><tuv xml:lang=\"DE-de\"><seg>Hallo <bpt i=\"1\">&lt;b&gt;</bpt>Welt<ept i=\"1\">&lt;/b&gt;</ept> &amp; &#x263A;</seg></tuv>\
        <tuv xml:lang=\"en-us\"><seg>Hello <hi>world</hi> &amp; &#9786;</seg></tuv></tu>\n\
        </body></tmx>\n";
    let mut bytes = vec![0xFF, 0xFE];
    for u in text.encode_utf16() {
        bytes.extend_from_slice(&u.to_le_bytes());
    }
    dir.create("legacy.tmx", bytes);
    let out = ok(
        dir.path(),
        &[
            "import-tmx",
            "--db",
            "m.sqlite",
            "--source-lang",
            "en",
            "legacy.tmx",
        ],
    );
    assert!(out.stdout.contains("1 segment new"), "{}", out.stdout);
    let seg = segments(dir.path(), "m.sqlite");
    let s = &seg["segments"][0];
    assert_eq!(s["source_lang"], "en-US");
    assert_eq!(s["target_lang"], "de-DE");
    assert_eq!(s["source"], "Hello world & ☺");
    assert_eq!(s["target"], "Hallo Welt & ☺");
    assert_eq!(s["document"], "legacy.tmx");
}

#[test]
fn xliff_out_to_a_translator_and_back() {
    let dir = memory();
    let out = ok(
        dir.path(),
        &[
            "export",
            "--db",
            "m.sqlite",
            "--format",
            "xliff",
            "--lang",
            "es",
            "--only",
            "missing,untranslated,outdated",
            "-o",
            "todo.es.xlf",
        ],
    );
    assert!(
        out.stdout.contains("exported 1 paragraph"),
        "{}",
        out.stdout
    );
    let text = dir.read("todo.es.xlf");
    let x = parse(&text);
    assert_eq!(x.name, "xliff");
    assert_eq!(x.attrs["version"], "2.0");
    assert_eq!(x.attrs["xmlns"], "urn:oasis:names:tc:xliff:document:2.0");
    assert_eq!(x.attrs["srcLang"], "en");
    assert_eq!(x.attrs["trgLang"], "es");
    let file = x.one("file");
    assert_eq!(file.attrs["original"], "statement");
    let unit = file.one("unit");
    let meta: BTreeMap<String, String> = unit
        .one("mda:metadata")
        .one("mda:metaGroup")
        .all("mda:meta")
        .iter()
        .map(|m| (m.attrs["type"].clone(), m.text.clone()))
        .collect();
    assert_eq!(meta["document"], "statement");
    assert_eq!(meta["state"], "missing");
    let index: usize = meta["paragraph"].parse().unwrap();
    assert_eq!(unit.attrs["id"], format!("p{index}"));
    let segment = unit.one("segment");
    assert_eq!(segment.attrs["state"], "initial");
    let source = segment.one("source").text.clone();
    let en = dir.read("statement.en.txt");
    assert!(
        en.contains(source.trim()),
        "the source is the paragraph's text"
    );
    assert!(segment.all("target").is_empty());

    // The translator fills it in.
    let filled = text.replace(
        "</source>\n      </segment>",
        "</source>\n        <target>TRADUCIDO &amp; listo.</target>\n      </segment>",
    );
    assert_ne!(filled, text);
    dir.create("done.es.xlf", &filled);
    let before = dir.read("statement.es.txt");
    let out = ok(
        dir.path(),
        &[
            "import-xliff",
            "--db",
            "m.sqlite",
            "done.es.xlf",
            "--write-docs",
        ],
    );
    assert!(
        out.stdout.contains("1 paragraph translated into es"),
        "{}",
        out.stdout
    );
    let after = dir.read("statement.es.txt");
    assert_ne!(before, after);
    let paras: Vec<&str> = after.split("\n\n").collect();
    assert_eq!(paras[index].trim(), "TRADUCIDO & listo.", "in its place");
    let seg = segments(dir.path(), "m.sqlite");
    assert!(seg["segments"]
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s["target"] == "TRADUCIDO & listo." && s["origin"] == "xliff"));

    // The source changes: the old file's unit is refused.
    let changed = en.replace(source.trim(), "A new text for this paragraph.");
    dir.create("statement.en.txt", changed);
    ok(dir.path(), &["import", "--db", "m.sqlite", "."]);
    let out = run(
        dir.path(),
        &["import-xliff", "--db", "m.sqlite", "done.es.xlf"],
    );
    assert_eq!(out.code, 2, "{}", out.stdout);
    assert!(out.stdout.contains("1 refused"), "{}", out.stdout);
    assert!(out.stderr.contains("done.es.xlf:"), "{}", out.stderr);
    assert!(out.stderr.contains("has changed since"), "{}", out.stderr);
}

#[test]
fn nothing_to_translate_writes_no_file() {
    let dir = memory();
    let out = ok(
        dir.path(),
        &[
            "export",
            "--db",
            "m.sqlite",
            "--format",
            "xliff",
            "--lang",
            "ru",
            "--only",
            "missing,untranslated,outdated",
            "-o",
            "ru.xlf",
        ],
    );
    assert_eq!(
        out.stdout,
        "no paragraph with those flags to export into ru: no file written\n"
    );
    assert!(!dir.join("ru.xlf").exists());
    assert!(fs::read_dir(dir.path()).unwrap().all(|e| !e
        .unwrap()
        .file_name()
        .to_string_lossy()
        .starts_with(".tmp")));
}

#[test]
fn tmx_leaves_out_flagged_pairs_unless_asked() {
    // The Spanish version with a changed figure: one diverging pair. A CAT tool would reuse it
    // as a translation, so a TMX file leaves it out; --include-flagged keeps it; TSV keeps
    // every segment.
    let dir = util::statement_with_defect("changed-number.es.txt");
    dir.paralign(["import", ".", "--db", "m.sqlite"])
        .expect_code(0);
    let units = |extra: &[&str]| {
        let mut args = vec!["export", "--format", "tmx", "--db", "m.sqlite"];
        args.extend(extra);
        dir.paralign(&args).stdout().matches("<tu ").count()
    };
    assert_eq!(units(&[]), 15);
    assert_eq!(units(&["--include-flagged"]), 16);
    assert_eq!(units(&["--exclude-flags", "missing"]), 16);
    // One language alone: the pairs into or out of it.
    assert_eq!(units(&["--lang", "es", "--include-flagged"]), 16);
    assert_eq!(units(&["--lang", "ru", "--include-flagged"]), 0);
    let tsv = dir
        .paralign(["export", "--format", "tsv", "--db", "m.sqlite"])
        .stdout();
    assert_eq!(tsv.lines().count(), 1 + 16);
    let out = dir
        .paralign([
            "export",
            "--format",
            "tsv",
            "--include-flagged",
            "--db",
            "m.sqlite",
        ])
        .expect_code(2);
    assert_eq!(
        out.stderr,
        "paralign: --include-flagged applies to --format tmx (tsv keeps every segment)\n"
    );
}

#[test]
fn sentence_pairs_export_as_tmx_and_tsv() {
    let dir = memory();
    let out = ok(
        dir.path(),
        &[
            "export",
            "--db",
            "m.sqlite",
            "--format",
            "tmx",
            "--segtype",
            "sentence",
            "-o",
            "s.tmx",
        ],
    );
    assert_eq!(
        out.stdout,
        "exported 47 units (88 sentence pairs) to s.tmx (TMX 1.4)\n"
    );
    let tmx = parse(&dir.read("s.tmx"));
    assert_eq!(tmx.one("header").attrs["segtype"], "sentence");
    let tus = tmx.one("body").all("tu");
    assert!(tus.iter().all(|tu| tu.attrs["segtype"] == "sentence"));
    // The sentences of numbered paragraph 1 (its number left out), in order.
    let first: Vec<(&str, &str)> = tus[..2]
        .iter()
        .map(|tu| {
            let label = tu.all("prop")[1];
            assert_eq!(label.attrs["type"], "x-label");
            (
                label.text.as_str(),
                tu.all("tuv")[0].one("seg").text.as_str(),
            )
        })
        .collect();
    assert_eq!(
        first,
        [
            ("1", "Since the early hours of 11 March 2024, the port and the railway junction of Valmora, the largest city on the southern coast of Estrelia, have come to a standstill."),
            ("1", "Around 1,250 dockers and 3,400 railway workers have laid down their tools, and the cranes of the container terminal stand idle.")
        ]
    );

    let tsv = ok(
        dir.path(),
        &[
            "export",
            "--db",
            "m.sqlite",
            "--format",
            "tsv",
            "--segtype",
            "sentence",
        ],
    );
    assert_eq!(
        tsv.stderr,
        "paralign: exported 88 sentence pairs to standard output (TSV)\n"
    );
    assert_eq!(tsv.stdout.lines().count(), 1 + 88);

    // A paragraph export is as it was: no segtype on the units.
    ok(
        dir.path(),
        &[
            "export",
            "--db",
            "m.sqlite",
            "--format",
            "tmx",
            "--segtype",
            "paragraph",
            "-o",
            "p.tmx",
        ],
    );
    let p = parse(&dir.read("p.tmx"));
    assert_eq!(p.one("header").attrs["segtype"], "paragraph");
    assert!(p
        .one("body")
        .all("tu")
        .iter()
        .all(|tu| !tu.attrs.contains_key("segtype")));

    let bad = run(
        dir.path(),
        &[
            "export",
            "--db",
            "m.sqlite",
            "--format",
            "xliff",
            "--lang",
            "es",
            "--segtype",
            "sentence",
        ],
    );
    assert_eq!(bad.code, 2);
    assert_eq!(
        bad.stderr,
        "paralign: --segtype applies to tmx and tsv; xliff takes --lang, --doc and --only\n"
    );
}
