//! Any bytes through the DOCX and ODT readers (a zip package, then its XML). Must never panic:
//! bad input is an error; a document read has its paragraphs numbered 1, 2, 3...
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use paralign::document::Document;

fuzz_target!(|data: &[u8]| {
    for name in ["fuzz.en.docx", "fuzz.en.odt"] {
        if let Ok(doc) = Document::from_bytes(Path::new(name), data) {
            for (i, p) in doc.paragraphs.iter().enumerate() {
                assert_eq!(p.line, i + 1, "{name}");
            }
        }
    }
});
