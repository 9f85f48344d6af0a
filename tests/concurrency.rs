//! One memory shared by four processes at once: imports write while lookups, analyses and
//! exports read (and bring the lookup index up to date). Every operation must succeed (a
//! reader never fails because another process writes) and the file must stay sound.

mod util;

use std::path::Path;

use util::Dir;

/// Operations per worker (four workers: 200 in all).
const ROUNDS: usize = 50;

fn tmx(round: usize) -> String {
    let mut body = String::new();
    for k in 0..5 {
        body.push_str(&format!(
            "<tu><tuv xml:lang=\"en\"><seg>Round {round} brings fare change number {k} to the city lines.</seg></tuv>\
             <tuv xml:lang=\"es\"><seg>La ronda {round} trae el cambio de tarifa número {k} a las líneas.</seg></tuv></tu>\n"
        ));
    }
    format!(
        "<?xml version=\"1.0\"?>\n<tmx version=\"1.4\"><header creationtool=\"t\" creationtoolversion=\"1\" segtype=\"paragraph\" o-tmf=\"t\" adminlang=\"en\" srclang=\"en\" datatype=\"plaintext\"/>\n<body>\n{body}</body></tmx>\n"
    )
}

fn run(dir: &Path, args: &[String]) -> Result<(), String> {
    let out = util::paralign(args).current_dir(dir).run();
    if out.code == 0 {
        Ok(())
    } else {
        Err(format!(
            "`{}` exited {}: {}",
            out.command, out.code, out.stderr
        ))
    }
}

#[test]
fn four_processes_share_one_memory_without_a_failure() {
    let dir = Dir::new();
    dir.copy_fixture("statement/statement.en.txt", "docs/statement.en.txt");
    dir.copy_fixture("statement/statement.es.txt", "docs/statement.es.txt");
    for round in 0..ROUNDS {
        dir.create(&format!("tmx/{round}.tmx"), tmx(round));
    }
    let db = dir.join("m.sqlite").display().to_string();
    run(
        dir.path(),
        &["import".into(), "docs".into(), "--db".into(), db.clone()],
    )
    .unwrap();
    let doc = dir.join("docs/statement.en.txt").display().to_string();
    let workers: Vec<Box<dyn Fn(usize) -> Vec<String> + Send + Sync>> = vec![
        Box::new(|r| vec!["import-tmx".into(), format!("tmx/{r}.tmx")]),
        Box::new(|r| {
            vec![
                "lookup".into(),
                format!("Round {r} brings fare change number 3 to the city lines."),
                "--to".into(),
                "es".into(),
            ]
        }),
        Box::new(|_| vec!["analyze".into(), doc.clone(), "--to".into(), "es".into()]),
        Box::new(|r| {
            if r % 2 == 0 {
                vec![
                    "export".into(),
                    "--format".into(),
                    "xliff".into(),
                    "--lang".into(),
                    "es".into(),
                ]
            } else {
                vec!["export".into(), "--format".into(), "tmx".into()]
            }
        }),
    ];
    let failures: Vec<String> = std::thread::scope(|s| {
        let handles: Vec<_> = workers
            .iter()
            .map(|w| {
                let db = db.clone();
                let dir = dir.path();
                s.spawn(move || {
                    let mut failed = Vec::new();
                    for r in 0..ROUNDS {
                        let mut args = w(r);
                        args.extend(["--db".to_string(), db.clone()]);
                        if let Err(e) = run(dir, &args) {
                            failed.push(e);
                        }
                    }
                    failed
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    });
    assert!(
        failures.is_empty(),
        "{} of {} failed:\n{}",
        failures.len(),
        4 * ROUNDS,
        failures.join("\n")
    );
    let store = paralign::store::Store::open_read_only(&dir.join("m.sqlite")).unwrap();
    store.integrity_check().unwrap();
    // Every round's units arrived: 5 segments each, on top of the documents' own.
    let (_, _, segments, _, _) = store.sizes().unwrap();
    let before = {
        let other = Dir::new();
        other.copy_fixture("statement/statement.en.txt", "docs/statement.en.txt");
        other.copy_fixture("statement/statement.es.txt", "docs/statement.es.txt");
        run(
            other.path(),
            &[
                "import".into(),
                "docs".into(),
                "--db".into(),
                "m.sqlite".into(),
            ],
        )
        .unwrap();
        paralign::store::Store::open_read_only(&other.join("m.sqlite"))
            .unwrap()
            .sizes()
            .unwrap()
            .2
    };
    assert_eq!(segments, before + 5 * ROUNDS);
}
