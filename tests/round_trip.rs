//! Export → import → export keeps the units in their order: a source text with two
//! translations into one language exports the older first, even when the newer one's text was
//! stored earlier (the case that reordered units).

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
