//! XLIFF 1.2 next to 2.0 (issue 14): a file as a CAT tool gives it back
//! (`fixtures/formats/xliff/statement.fr.xlf`: groups, seg-source segments, inline codes,
//! states, alt-trans, notes) and its 2.0 twin read into the same units and import into the same
//! memory rows; `export --xliff-version 1.2`, filled and imported, gives the memory and the
//! written document that 2.0 gives; a malformed 1.2 file is one line with file, line and column,
//! exit 2, and a memory unchanged.

mod util;

use paralign::exchange::read_xliff;
use util::Dir;

const NOW: &str = "2024-03-14T10:00:00Z";

/// The French translations the fixtures carry, by paragraph.
const P0: &str =
    "Estrelia : les travailleurs du port et du rail paralysent Valmora contre la hausse des tarifs";
const P1: &str = "Déclaration du Secrétariat international du Réseau de solidarité des travailleurs (WSN), 14 mars 2024, www.example.org";
const P2: &str = "1.            Depuis les premières heures du 11 mars 2024, le port et le nœud ferroviaire de Valmora, la plus grande ville de la côte sud de l'Estrelia, sont à l'arrêt. Quelque 1 250 dockers et 3 400 cheminots ont cessé le travail, et les grues du terminal à conteneurs sont immobiles. La grève a été appelée conjointement par le Syndicat des dockers du Nord et la Fédération des cheminots d'Estrelia. C'est le mouvement social le plus large que la ville ait connu depuis une génération.";

type Row = (
    String,
    Option<usize>,
    String,
    Option<String>,
    Option<String>,
);

/// A fixture's units as compared: document, index, id, target, state (and the source checked
/// against the English paragraph).
fn units(name: &str) -> (String, String, Vec<Row>) {
    let bytes = util::fixture_bytes(&format!("formats/xliff/{name}"));
    let x = read_xliff(&bytes[..]).unwrap_or_else(|e| panic!("{name}: {e}"));
    let en = String::from_utf8(util::fixture_bytes("statement/statement.en.txt")).unwrap();
    let paras: Vec<&str> = en
        .split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    let rows = x
        .units
        .into_iter()
        .map(|u| {
            let i = u.index.expect("pN ids");
            assert_eq!(u.source, paras[i], "{name} {}: the English paragraph", u.id);
            (u.document, u.index, u.id, u.target, u.state)
        })
        .collect();
    (x.source_lang, x.target_lang, rows)
}

#[test]
fn a_cat_tools_1_2_file_reads_as_its_2_0_twin() {
    let row = |i: usize, target: Option<&str>, state: Option<&str>| -> Row {
        (
            "statement".to_string(),
            Some(i),
            format!("p{i}"),
            target.map(String::from),
            state.map(String::from),
        )
    };
    let want = (
        "en".to_string(),
        "fr".to_string(),
        vec![
            row(0, Some(P0), Some("final")),
            row(1, Some(P1), Some("translated")),
            row(2, Some(P2), Some("translated")),
            row(3, Some(""), Some("initial")),
            row(14, None, None),
            row(15, None, None),
        ],
    );
    assert_eq!(units("statement.fr.xlf"), want);
    assert_eq!(units("statement.fr.2.0.xlf"), want);
}

/// A folder with the English statement and a Spanish version lacking paragraph 8, imported.
fn memory() -> Dir {
    let dir = util::statement_with_defect("missing.es.txt");
    dir.paralign(["import", "--db", "m.sqlite", "."])
        .env("PARALIGN_NOW", NOW)
        .expect_code(0);
    dir
}

/// Every segment of the memory, as JSON.
fn rows(dir: &Dir) -> serde_json::Value {
    dir.paralign([
        "segments", "--db", "m.sqlite", "--format", "json", "--limit", "0",
    ])
    .expect_code(0)
    .json()
}

#[test]
fn both_versions_import_into_the_same_memory_rows() {
    let mut memories = Vec::new();
    for (name, version) in [("statement.fr.xlf", "1.2"), ("statement.fr.2.0.xlf", "2.0")] {
        let dir = memory();
        dir.copy_fixture(&format!("formats/xliff/{name}"), "fr.xlf");
        let out = dir
            .paralign(["import-xliff", "--db", "m.sqlite", "fr.xlf"])
            .env("PARALIGN_NOW", NOW)
            .expect_code(0);
        assert_eq!(
            out.stdout,
            "imported fr.xlf into m.sqlite: 3 paragraphs translated into fr (3 new in the memory), 3 without a translation, 0 refused\n",
            "XLIFF {version}"
        );
        assert_eq!(out.stderr, "", "XLIFF {version}");
        memories.push(rows(&dir));
    }
    let fr: Vec<(String, String, String)> = memories[0]["segments"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["target_lang"] == "fr")
        .map(|s| {
            let field = |k: &str| s[k].as_str().unwrap_or_default().to_string();
            (field("document"), field("target"), field("origin"))
        })
        .collect();
    let want: Vec<(String, String, String)> = [P0, P1, P2]
        .iter()
        .map(|t| ("statement".into(), t.to_string(), "xliff".into()))
        .collect();
    let mut sorted = fr.clone();
    sorted.sort();
    let mut want_sorted = want;
    want_sorted.sort();
    assert_eq!(sorted, want_sorted);
    assert_eq!(memories[0], memories[1], "the same rows from 1.2 and 2.0");
}

/// Export the paragraphs Spanish lacks in `version`, fill the one unit, import it with
/// --write-docs: the memory's rows and the written Spanish document.
fn round_trip(version: &str) -> (String, serde_json::Value, String) {
    let dir = memory();
    let out = dir
        .paralign([
            "export",
            "--db",
            "m.sqlite",
            "--format",
            "xliff",
            "--xliff-version",
            version,
            "--lang",
            "es",
            "--only",
            "missing,untranslated,outdated",
            "-o",
            "todo.xlf",
        ])
        .stdout();
    assert_eq!(
        out,
        format!("exported 1 paragraph from 1 document to translate into es to todo.xlf (XLIFF {version}), 0 with a suggestion\n")
    );
    let text = dir.read("todo.xlf");
    let filled = match version {
        "1.2" => text.replace(
            "</source>\n        <target state=\"new\"></target>\n        <note",
            "</source>\n        <target state=\"translated\">7. TRADUCIDO <g id=\"1\">&amp;</g> listo.<x id=\"2\"/></target>\n        <note",
        ),
        _ => text.replace(
            "</source>\n      </segment>",
            "</source>\n        <target>7. TRADUCIDO <pc id=\"1\">&amp;</pc> listo.<ph id=\"2\"/></target>\n      </segment>",
        ),
    };
    assert_ne!(filled, text, "{text}");
    dir.create("done.xlf", &filled);
    let out = dir
        .paralign([
            "import-xliff",
            "--db",
            "m.sqlite",
            "done.xlf",
            "--write-docs",
        ])
        .env("PARALIGN_NOW", NOW)
        .expect_code(0);
    assert!(
        out.stdout
            .contains("1 paragraph translated into es (1 new in the memory)"),
        "{}",
        out.stdout
    );
    (text, rows(&dir), dir.read("statement.es.txt"))
}

#[test]
fn export_1_2_filled_and_imported_gives_what_2_0_gives() {
    let (text, rows12, doc12) = round_trip("1.2");
    let (_, rows20, doc20) = round_trip("2.0");
    assert_eq!(rows12, rows20);
    assert_eq!(doc12, doc20);
    let paras: Vec<&str> = doc12.split("\n\n").collect();
    assert_eq!(paras[8].trim(), "7. TRADUCIDO & listo.");
    // The 1.2 file as the spec has it: namespace, version, one <file> with both languages
    // and a datatype, a <body>, the unit named pN after its paragraph.
    for part in [
        "<xliff xmlns=\"urn:oasis:names:tc:xliff:document:1.2\" version=\"1.2\" xmlns:paralign=\"urn:paralign:xliff:1\" paralign:root=\"",
        "<file original=\"statement\" source-language=\"en\" target-language=\"es\" datatype=\"plaintext\" xml:space=\"preserve\">\n    <body>\n      <trans-unit id=\"p8\" resname=\"7\">\n        <source>7. ",
        "<note from=\"paralign\">state: missing; line: 25; label: 7</note>\n      </trans-unit>\n    </body>\n  </file>\n</xliff>\n",
    ] {
        assert!(text.contains(part), "{part}\n---\n{text}");
    }
}

#[test]
fn a_malformed_1_2_file_is_one_line_exit_2_and_writes_nothing() {
    let dir = memory();
    let before = rows(&dir);
    let head = "<?xml version=\"1.0\"?>\n<xliff version=\"1.2\" xmlns=\"urn:oasis:names:tc:xliff:document:1.2\">\n";
    let unit = "<trans-unit id=\"p0\"><source>Estrelia: Port and Railway Workers Bring Valmora to a Standstill Against the Fare Hike</source><target>Estrelia</target></trans-unit>";
    let cases = [
        (
            format!("{head}<file original=\"statement\" source-language=\"en\" target-language=\"fr\" datatype=\"plaintext\"><body>\n{unit}\n<trans-unit id=\"p1\"><source>x</source>\n</body></file></xliff>\n"),
            "bad.xlf:6:1: malformed XML: expected `</trans-unit>`, but `</body>` was found",
        ),
        (
            format!("<?xml version=\"1.0\"?>\n<xliff version=\"1.3\">\n<file original=\"statement\" source-language=\"en\" datatype=\"plaintext\"><body>{unit}</body></file></xliff>\n"),
            "bad.xlf:2:1: XLIFF version 1.3: paralign reads XLIFF 1.2 and 2.0 (the files `paralign export --format xliff` writes)",
        ),
        (
            format!("{head}  <file original=\"statement\" target-language=\"fr\" datatype=\"plaintext\"><body>{unit}</body></file></xliff>\n"),
            "bad.xlf:3:3: <file> has no source-language, which XLIFF 1.2 requires; add the language the file is translated from (source-language=\"en\")",
        ),
    ];
    for (text, message) in cases {
        dir.create("bad.xlf", &text);
        let out = dir
            .paralign(["import-xliff", "--db", "m.sqlite", "bad.xlf"])
            .expect_code(2);
        assert_eq!(out.stderr, format!("paralign: {message}\n"), "{text}");
        assert_eq!(out.stdout, "", "{text}");
        assert_eq!(rows(&dir), before, "nothing written: {text}");
    }
}
