//! Reading speed of the HTML and DOCX readers on generated documents (not a timed test).
//!
//! `cargo bench --bench formats` makes a 5,000-paragraph HTML page and a 5,000-paragraph DOCX
//! file (a heading every 50 paragraphs, numbered list items, table rows, runs split as Word
//! splits them) and reads each the way `paralign check` does (`Document::from_bytes`: the
//! format's reader, then normalisation and labels), five times; it prints the fastest and the
//! slowest read and fails when the slowest takes 0.5 s or more. `-- N` reads N paragraphs.

use std::io::{Cursor, Write};
use std::path::Path;
use std::time::Instant;

use paralign::document::Document;

// The allocator the `paralign` binary uses (src/main.rs).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The slowest read allowed.
const TARGET_S: f64 = 0.5;

const SENTENCE: &str = "The port and the railway junction of Valmora have come to a standstill, \
and around 1,250 dockers and 3,400 railway workers have laid down their tools";

fn html(n: usize) -> Vec<u8> {
    let mut s = String::from(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><title>Bench</title><style>p{}</style></head>\n<body>\n",
    );
    let mut k = 0;
    while k < n {
        if k % 50 == 0 {
            s.push_str(&format!("<h2>Part {}</h2>\n", k / 50 + 1));
            k += 1;
            continue;
        }
        if k % 10 == 1 {
            s.push_str("<ol>\n");
            for i in 1..=5 {
                s.push_str(&format!("<li>{SENTENCE} ({k}.{i}).</li>\n"));
            }
            s.push_str("</ol>\n");
            k += 5;
            continue;
        }
        s.push_str(&format!(
            "<p>{k}. {SENTENCE}, <em>said</em> the <a href=\"https://example.org/{k}\">union</a>.</p>\n"
        ));
        k += 1;
    }
    s.push_str("</body></html>\n");
    s.into_bytes()
}

fn docx(n: usize) -> Vec<u8> {
    const W: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main""#;
    let run =
        |t: &str| format!(r#"<w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">{t}</w:t></w:r>"#);
    let mut body = String::new();
    let mut k = 0;
    while k < n {
        let (words, rest) = SENTENCE.split_at(40);
        if k % 50 == 0 {
            body.push_str(&format!(
                r#"<w:p><w:pPr><w:pStyle w:val="Heading2"/></w:pPr>{}</w:p>"#,
                run(&format!("Part {}", k / 50 + 1))
            ));
        } else if k % 10 < 4 {
            body.push_str(&format!(
                r#"<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr>{}{}</w:p>"#,
                run(words),
                run(rest)
            ));
        } else if k % 10 == 9 {
            body.push_str(&format!(
                "<w:tbl><w:tr><w:tc><w:p>{}</w:p></w:tc><w:tc><w:p>{}</w:p></w:tc></w:tr></w:tbl>",
                run(words),
                run(rest)
            ));
        } else {
            body.push_str(&format!(
                "<w:p>{}<w:ins w:id=\"{k}\">{}</w:ins>{}</w:p>",
                run(&format!("{k}. ")),
                run(words),
                run(rest)
            ));
        }
        k += 1;
    }
    let document = format!("<w:document {W}><w:body>{body}</w:body></w:document>");
    let styles = format!(
        r#"<w:styles {W}><w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/></w:style></w:styles>"#
    );
    let numbering = format!(
        r#"<w:numbering {W}><w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl></w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num></w:numbering>"#
    );
    let mut z = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, text) in [
        ("word/document.xml", &document),
        ("word/styles.xml", &styles),
        ("word/numbering.xml", &numbering),
    ] {
        z.start_file(name, zip::write::SimpleFileOptions::default())
            .expect("zip entry");
        z.write_all(text.as_bytes()).expect("zip write");
    }
    z.finish().expect("zip").into_inner()
}

/// Read `bytes` as `name` five times: (paragraphs, fastest, slowest) in seconds.
fn time(name: &str, bytes: &[u8]) -> (usize, f64, f64) {
    let mut times = Vec::new();
    let mut paragraphs = 0;
    for _ in 0..5 {
        let t = Instant::now();
        let doc = Document::from_bytes(Path::new(name), bytes).expect("the generated file reads");
        times.push(t.elapsed().as_secs_f64());
        paragraphs = doc.paragraphs.len();
    }
    let fastest = times.iter().copied().fold(f64::MAX, f64::min);
    let slowest = times.iter().copied().fold(0.0, f64::max);
    (paragraphs, fastest, slowest)
}

fn main() {
    let n: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(5000);
    let mut failed = false;
    for (name, bytes) in [("bench.en.html", html(n)), ("bench.en.docx", docx(n))] {
        let (paragraphs, fastest, slowest) = time(name, &bytes);
        println!(
            "{name}: {} KiB, {paragraphs} paragraphs read in {fastest:.3} s (slowest of 5: {slowest:.3} s)",
            bytes.len() / 1024
        );
        failed |= slowest >= TARGET_S;
    }
    if failed {
        eprintln!("formats: a read took {TARGET_S} s or more");
        std::process::exit(1);
    }
}
