//! Any bytes through the XLIFF reader, under small limits. Must never panic; what it reads
//! holds no character XML 1.0 forbids.
#![no_main]

use libfuzzer_sys::fuzz_target;
use paralign::exchange::{read_xliff_with, Limits};

fuzz_target!(|data: &[u8]| {
    let limits = Limits {
        max_entity_expansion: 5,
        max_segment: 64 * 1024,
        max_file: 1 << 20,
        max_depth: 64,
    };
    if let Ok(file) = read_xliff_with(data, limits) {
        for u in &file.units {
            let ok = |s: &str| s.chars().all(|c| c == '\t' || c == '\n' || c == '\r' || c >= ' ');
            assert!(ok(&u.source));
            assert!(u.target.as_deref().is_none_or(ok));
        }
    }
});
