//! Markdown lists as written: a Spanish list that leaves out one item keeps the numbers its
//! translator wrote, so the one item is missing, the item left in English is untranslated and
//! nothing else is flagged; the same document as plain text gives the same findings.

use paralign::align::{align, Flag, Options};
use paralign::document::{Document, Format};
use paralign::language::LangTag;

const EN: [&str; 10] = [
    "Download the installer for your system from the project's release page and keep it in a folder you can find again.",
    "Check the signature of the file you downloaded before you open it, so that you know nobody has changed it on the way.",
    "Close every other program that is running, because the installer needs to replace files that they may be holding open.",
    "Open the installer and read the licence carefully; you can only go on once you have accepted its terms.",
    "Choose the folder where the program will live, or keep the one the installer suggests if you are not sure.",
    "Decide which parts you want to install: the manual and the examples are useful but take more room on the disk.",
    "Wait while the files are copied; on an old computer this can take several minutes, so be patient and do not switch it off.",
    "When the installer asks whether the program should start with the computer, answer according to how often you use it.",
    "Restart the computer if you are asked to, and save your work in other windows before you do so.",
    "Open the program for the first time and enter the name and the address that will appear on your letters.",
];

const ES: [&str; 10] = [
    "Descargue el instalador para su sistema desde la página de versiones del proyecto y guárdelo en una carpeta que pueda encontrar de nuevo.",
    "Compruebe la firma del archivo descargado antes de abrirlo, para saber que nadie lo ha modificado por el camino.",
    "Cierre todos los demás programas que estén abiertos, porque el instalador necesita sustituir archivos que quizá tengan abiertos.",
    "Abra el instalador y lea la licencia con atención; solo podrá continuar cuando haya aceptado sus condiciones.",
    "Elija la carpeta en la que vivirá el programa, o conserve la que propone el instalador si no está seguro.",
    "Decida qué partes quiere instalar: el manual y los ejemplos son útiles, pero ocupan más espacio en el disco.",
    "Espere mientras se copian los archivos; en un ordenador antiguo puede tardar varios minutos, así que tenga paciencia y no lo apague.",
    "Cuando el instalador le pregunte si el programa debe arrancar con el ordenador, responda según la frecuencia con que lo use.",
    "Reinicie el ordenador si se le pide, y guarde antes su trabajo en las demás ventanas.",
    "Abra el programa por primera vez e introduzca el nombre y la dirección que aparecerán en sus cartas.",
];

/// The Spanish version: item 5 left out (its number skipped, as the translator wrote it), item
/// 8 left in English.
fn spanish() -> Vec<(u32, &'static str)> {
    (1..=10u32)
        .filter(|&n| n != 5)
        .map(|n| (n, if n == 8 { EN[7] } else { ES[n as usize - 1] }))
        .collect()
}

fn markdown(title: &str, items: &[(u32, &str)]) -> String {
    let mut out = format!("# {title}\n\n");
    for (n, text) in items {
        out.push_str(&format!("{n}. {text}\n"));
    }
    out
}

fn plain(title: &str, items: &[(u32, &str)]) -> String {
    let mut out = format!("{title}\n\n");
    for (n, text) in items {
        out.push_str(&format!("{n}. {text}\n\n"));
    }
    out
}

/// The flagged pairs as (source labels, target labels, flags).
fn findings(
    source: &str,
    target: &str,
    format: Format,
) -> Vec<(Vec<String>, Vec<String>, Vec<Flag>)> {
    let s = Document::parse("install.en", source, format);
    let t = Document::parse("install.es", target, format);
    let opts = Options {
        source_lang: LangTag::parse("en").ok(),
        target_lang: LangTag::parse("es").ok(),
        ..Options::default()
    };
    let label = |d: &Document, i: &usize| {
        d.paragraphs[*i]
            .label
            .as_ref()
            .map_or("title".to_string(), |l| l.path.clone())
    };
    align(&s, &t, &opts)
        .pairs
        .iter()
        .filter(|p| !p.flags.is_empty())
        .map(|p| {
            (
                p.source.iter().map(|i| label(&s, i)).collect(),
                p.target.iter().map(|j| label(&t, j)).collect(),
                p.flags.clone(),
            )
        })
        .collect()
}

fn expected() -> Vec<(Vec<String>, Vec<String>, Vec<Flag>)> {
    vec![
        (vec!["5".into()], vec![], vec![Flag::Missing]),
        (vec!["8".into()], vec!["8".into()], vec![Flag::Untranslated]),
    ]
}

fn source_items() -> Vec<(u32, &'static str)> {
    (1..=10u32).zip(EN).collect()
}

#[test]
fn a_markdown_list_keeps_the_numbers_written() {
    let got = findings(
        &markdown("Installation", &source_items()),
        &markdown("Instalación", &spanish()),
        Format::Markdown,
    );
    assert_eq!(got, expected());
}

#[test]
fn the_same_list_as_plain_text_gives_the_same_findings() {
    let got = findings(
        &plain("Installation", &source_items()),
        &plain("Instalación", &spanish()),
        Format::Text,
    );
    assert_eq!(got, expected());
}
