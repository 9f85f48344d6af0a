//! Export → import → export keeps the units in their order: a source text with two
//! translations into one language exports the older first, even when the newer one's text was
//! stored earlier (the case that reordered units). A TMX file with inline codes and the
//! metadata of CAT tools (`fixtures/tmx/round-trip.tmx`) comes back byte for byte.

mod util;

use util::Dir;

const TMX: &str = r#"<?xml version="1.0"?>
<tmx version="1.4"><header srclang="en"/><body>
<tu><tuv xml:lang="en"><seg>Intro</seg></tuv><tuv xml:lang="fr"><seg>Sueldos</seg></tuv></tu>
<tu><tuv xml:lang="en"><seg>X</seg></tuv><tuv xml:lang="fr"><seg>Wages</seg></tuv><tuv xml:lang="de"><seg>Y</seg></tuv></tu>
<tu><tuv xml:lang="en"><seg>X</seg></tuv><tuv xml:lang="fr"><seg>Sueldos</seg></tuv></tu>
</body></tmx>
"#;

#[test]
fn export_import_export_keeps_unit_order() {
    let dir = Dir::new();
    dir.create("g.tmx", TMX);
    let run = |args: &[&str]| {
        dir.paralign(args)
            .env("PARALIGN_NOW", "2024-03-14T10:00:00Z")
            .stdout()
    };
    run(&["import-tmx", "g.tmx", "--db", "a.sqlite"]);
    let tsv = run(&["export", "--format", "tsv", "--db", "a.sqlite"]);
    let rows: Vec<&str> = tsv
        .lines()
        .skip(1)
        .map(|l| l.split('\t').nth(1).unwrap())
        .collect();
    // Intro's translation, then X's: de, then fr by age (Wages came first).
    assert_eq!(rows, ["Sueldos", "Y", "Wages", "Sueldos"], "{tsv}");
    run(&[
        "export", "--format", "tmx", "--db", "a.sqlite", "-o", "e1.tmx",
    ]);
    run(&["import-tmx", "e1.tmx", "--db", "b.sqlite"]);
    run(&[
        "export", "--format", "tmx", "--db", "b.sqlite", "-o", "e2.tmx",
    ]);
    assert_eq!(dir.read("e1.tmx"), dir.read("e2.tmx"));
}

/// What follows the `<header …/>` element of a TMX file paralign writes.
fn after_header(tmx: &str) -> &str {
    let start = tmx.find("<header ").expect("a header");
    let end = tmx[start..].find("/>\n").expect("an empty header element");
    &tmx[start + end + 3..]
}

/// A TMX 1.4b file written as paralign writes (indentation, attribute order, escaping), with
/// what CAT tools put in one: creationid, changeid, creationtool, usagecount, lastusagedate
/// and tuid on `<tu>` and `<tuv>`, `<prop>`s and `<note>`s, and the inline codes `<bpt>`,
/// `<ept>` (with content and empty), `<ph>`, `<it>`, `<ut>`, `<hi>` and `<sub>`. Imported and
/// exported, it comes back byte for byte past the header.
#[test]
fn tmx_with_codes_and_metadata_comes_back_byte_for_byte() {
    let dir = Dir::new();
    dir.copy_fixture("tmx/round-trip.tmx", "round-trip.tmx");
    let run = |args: &[&str]| {
        dir.paralign(args)
            .env("PARALIGN_NOW", "2024-03-14T10:00:00Z")
            .stdout()
    };
    let out = run(&["import-tmx", "round-trip.tmx", "--db", "m.sqlite"]);
    assert!(
        out.contains("3 units from 3 <tu>s, 4 segments new"),
        "{out}"
    );
    run(&[
        "export", "--format", "tmx", "--db", "m.sqlite", "-o", "out.tmx",
    ]);
    let original = dir.read("round-trip.tmx");
    let exported = dir.read("out.tmx");
    assert!(after_header(&original).starts_with("  <body>\n    <tu srclang=\"en\""));
    assert_eq!(after_header(&exported), after_header(&original));

    // The memory's texts stay plain: what lookup and matching read.
    let tsv = run(&["export", "--format", "tsv", "--db", "m.sqlite"]);
    assert_eq!(
        tsv.lines()
            .nth(1)
            .unwrap()
            .split('\t')
            .take(2)
            .collect::<Vec<_>>(),
        [
            "Click Save to keep your work.",
            "Klicken Sie auf Speichern, um Ihre Arbeit zu behalten."
        ]
    );
}
