//! How the exchange formats write values: TMX dates (`YYYYMMDDThhmmssZ`, read back with RFC
//! 3339 too), scores with three decimals, flags by their names. The calendar is `crate::time`'s.

use crate::align::Flag;

/// A time in the TMX format, `YYYYMMDDThhmmssZ`.
pub fn tmx_date(secs: i64) -> String {
    // The store's civil date, written without the formatting machinery: an export writes
    // millions of these.
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = crate::time::civil_from_days(days);
    if !(0..=9999).contains(&y) {
        let t = crate::time::format_time(secs);
        return t.chars().filter(|c| *c != '-' && *c != ':').collect();
    }
    let mut b = *b"00000000T000000Z";
    let mut put = |at: usize, width: usize, mut v: i64| {
        for k in (0..width).rev() {
            b[at + k] = b'0' + (v % 10) as u8;
            v /= 10;
        }
    };
    put(0, 4, y);
    put(4, 2, m);
    put(6, 2, d);
    put(9, 2, rem / 3600);
    put(11, 2, rem / 60 % 60);
    put(13, 2, rem % 60);
    String::from_utf8_lossy(&b).into_owned()
}

/// Parse a TMX date (`YYYYMMDDThhmmssZ`); also takes RFC 3339 (`2024-03-14T10:00:00Z`).
pub fn parse_tmx_date(s: &str) -> Option<i64> {
    let s = s.trim();
    let b = s.as_bytes();
    if b.len() == 16 && b[8] == b'T' && matches!(b[15], b'Z' | b'z') {
        let t = format!(
            "{}-{}-{}T{}:{}:{}Z",
            &s[0..4],
            &s[4..6],
            &s[6..8],
            &s[9..11],
            &s[11..13],
            &s[13..15]
        );
        return crate::time::parse_time(&t);
    }
    crate::time::parse_time(s)
}

/// Format a score as the JSON contract does (3 decimals, no trailing zeros).
pub fn format_score(x: f64) -> String {
    let s = format!("{:.3}", (x * 1000.0).round() / 1000.0);
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s.is_empty() || s == "-" {
        "0".to_string()
    } else {
        s.to_string()
    }
}

/// The flags as a comma-separated list.
pub fn format_flags(flags: &[Flag]) -> String {
    flags
        .iter()
        .map(|f| f.as_str())
        .collect::<Vec<_>>()
        .join(",")
}

/// Parse a comma-separated list of flags; unknown names are dropped.
pub fn parse_flags(s: &str) -> Vec<Flag> {
    let mut v: Vec<Flag> = s.split(',').filter_map(Flag::parse).collect();
    v.sort();
    v.dedup();
    v
}
