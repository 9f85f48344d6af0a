//! Any bytes through the glossary reader (TBX, TSV, CSV), under small limits. Must never panic;
//! every concept it reads has terms, each with a language tag the CLI takes and a text that is
//! not empty and holds no line break (white space is folded).
#![no_main]

use libfuzzer_sys::fuzz_target;
use paralign::exchange::{read_glossary, GlossaryOptions, Limits};
use paralign::language::LangTag;

fuzz_target!(|data: &[u8]| {
    let opts = GlossaryOptions {
        limits: Limits {
            max_entity_expansion: 5,
            max_segment: 64 * 1024,
            max_file: 1 << 20,
            max_depth: 64,
        },
        ..GlossaryOptions::default()
    };
    if let Ok(concepts) = read_glossary(data, &opts) {
        for c in &concepts {
            assert!(!c.terms.is_empty());
            for t in &c.terms {
                assert!(LangTag::parse(&t.lang).is_ok());
                assert!(!t.text.is_empty());
                assert!(!t.text.contains(['\n', '\r']));
            }
        }
    }
});
