//! Any bytes through the TMX reader, under small limits so that a run stays fast. Must never
//! panic; what it reads must hold no character XML 1.0 forbids, and every language must be a
//! tag the CLI takes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use paralign::exchange::{read_tmx, Limits, ReadOptions};
use paralign::language::LangTag;

fuzz_target!(|data: &[u8]| {
    let opts = ReadOptions {
        source_lang: None,
        limits: Limits {
            max_entity_expansion: 5,
            max_segment: 64 * 1024,
            max_file: 1 << 20,
            max_depth: 64,
        },
    };
    let Ok(reader) = read_tmx(data, opts) else {
        return;
    };
    for unit in reader {
        let Ok(u) = unit else { break };
        assert!(LangTag::parse(&u.source_lang).is_ok(), "{}", u.source_lang);
        assert!(u.source.len() <= 64 * 1024);
        for t in &u.targets {
            assert!(LangTag::parse(&t.lang).is_ok(), "{}", t.lang);
            assert!(t.text.chars().all(|c| c == '\t' || c == '\n' || c == '\r' || c >= ' '));
            assert!(t.score.is_none_or(|s| (0.0..=1.0).contains(&s)));
        }
    }
});
