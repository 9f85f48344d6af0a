//! Any bytes through the HTML reader (decoding, then html5ever's tokenizer into blocks). Must
//! never panic; every paragraph's line lies within the input.
#![no_main]

use libfuzzer_sys::fuzz_target;
use paralign::document::{decode, Document, Format};

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = decode(data) {
        let doc = Document::parse("fuzz.en.html", &text, Format::Html);
        let lines = text.lines().count().max(1);
        for p in &doc.paragraphs {
            assert!(p.line >= 1 && p.line <= lines, "line {} of {lines}", p.line);
        }
    }
});
