//! Inline codes a translation must carry over: each case of issue 14 raises `diverging` with
//! its reason, in Markdown and in plain text, and a faithful translation raises nothing.
//! Markdown front matter is not read as paragraphs.

mod util;

use util::Dir;

const EN: &str = "---
title: Installing the tool
weight: 3
---

# Installing the tool

The installer copies the program and its settings to your computer in about two minutes.

Read the [installation guide](https://example.org/guide) before you start the installer.

Run `npm install --save` in the folder of your project to add the package.

The welcome screen greets {product} users with their name and the date of the last login.

The log says that %d files were copied and how long the copy took on this machine.

Press Ctrl+S to save the settings, or close the window to leave them as they were.

Press <kbd>Enter</kbd> to confirm the choice and go on to the next step of the setup.
";

/// The faithful Spanish version: every code carried over.
const ES: &str = "---
title: Instalar la herramienta
weight: 3
---

# Instalar la herramienta

El instalador copia el programa y su configuración en su ordenador en unos dos minutos.

Lea la [guía de instalación](https://example.org/guide) antes de iniciar el instalador.

Ejecute `npm install --save` en la carpeta de su proyecto para añadir el paquete.

La pantalla de bienvenida saluda a los usuarios de {product} con su nombre y la fecha del último acceso.

El registro indica que se copiaron %d archivos y cuánto tardó la copia en esta máquina.

Pulse Ctrl+S para guardar la configuración, o cierre la ventana para dejarla como estaba.

Pulse <kbd>Intro</kbd> para confirmar la elección y pasar al siguiente paso de la instalación.
";

/// The (paragraph index, flags, reasons) of every flagged pair.
fn flagged(dir: &Dir, ext: &str) -> Vec<(usize, Vec<String>, Vec<String>)> {
    let out = dir
        .paralign([
            "check",
            &format!("guide.en.{ext}"),
            "--format",
            "json",
            "--fail-on",
            "none",
        ])
        .expect_code(0);
    let json = out.json();
    let strings = |v: &serde_json::Value| -> Vec<String> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap().to_string())
            .collect()
    };
    let mut got = Vec::new();
    for t in json["documents"][0]["targets"].as_array().unwrap() {
        for p in t["pairs"].as_array().unwrap() {
            if !p["flags"].as_array().unwrap().is_empty() {
                let i = p["source"][0].as_u64().unwrap() as usize;
                got.push((i, strings(&p["flags"]), strings(&p["reasons"])));
            }
        }
    }
    got
}

fn diverging(i: usize, reason: &str) -> (usize, Vec<String>, Vec<String>) {
    (i, vec!["diverging".into()], vec![reason.into()])
}

#[test]
fn each_changed_code_in_markdown_is_diverging_with_its_reason() {
    let dir = Dir::new();
    dir.create("guide.en.md", EN);
    dir.create("guide.es.md", ES);
    assert_eq!(flagged(&dir, "md"), vec![], "the faithful version");
    let out = dir.paralign(["check", "guide.en.md"]).expect_code(0);
    assert!(
        out.stdout.contains("(8 paragraphs)"),
        "front matter read: {}",
        out.stdout
    );
    let cases = [
        ("(https://example.org/guide)", "(/guia)", 2, "links"),
        (
            "`npm install --save`",
            "`npm instalar --guardar`",
            3,
            "code",
        ),
        ("de {product}", "de {producto}", 4, "placeholders"),
        ("copiaron %d", "copiaron %s", 5, "placeholders"),
        ("Ctrl+S", "Ctrl+G", 6, "placeholders"),
        ("<kbd>Intro</kbd>", "Intro", 7, "tags"),
    ];
    for (from, to, i, reason) in cases {
        assert!(ES.contains(from), "{from}");
        dir.create("guide.es.md", ES.replace(from, to));
        assert_eq!(
            flagged(&dir, "md"),
            vec![diverging(i, reason)],
            "{from} -> {to}"
        );
    }
}

#[test]
fn plain_text_compares_the_same_codes() {
    let dir = Dir::new();
    let body = |s: &str| s.split("---\n").nth(2).unwrap().to_string();
    dir.create("guide.en.txt", body(EN));
    dir.create("guide.es.txt", body(ES));
    assert_eq!(flagged(&dir, "txt"), vec![]);
    for (from, to, i, reason) in [
        ("de {product}", "de {producto}", 4, "placeholders"),
        (
            "`npm install --save`",
            "`npm instalar --guardar`",
            3,
            "code",
        ),
        ("<kbd>Intro</kbd>", "Intro", 7, "tags"),
    ] {
        dir.create("guide.es.txt", body(ES).replace(from, to));
        assert_eq!(
            flagged(&dir, "txt"),
            vec![diverging(i, reason)],
            "{from} -> {to}"
        );
    }
}
