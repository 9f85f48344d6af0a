//! Times: seconds since 1970-01-01 UTC in the memory, RFC 3339 (`2024-03-14T10:00:00Z`) for
//! people, pipes and exchange files, and the clock imports read (fixed in tests). A leaf
//! module: it uses nothing of the crate. No I/O here: the CLI reads the environment and hands
//! a [`Clock`] in.

use std::time::{SystemTime, UNIX_EPOCH};

/// Where an import takes the time it records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Clock {
    /// The system clock.
    #[default]
    System,
    /// A fixed time, in seconds since 1970-01-01 UTC (tests, reproducible runs).
    Fixed(i64),
}

impl Clock {
    /// The current time in seconds since 1970-01-01 UTC.
    pub fn now(self) -> i64 {
        match self {
            Clock::Fixed(t) => t,
            Clock::System => SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map(|d| d.as_secs() as i64)
                .unwrap_or(0),
        }
    }

    /// Parse a fixed time: RFC 3339 in UTC (`2024-03-14T10:00:00Z`) or seconds since 1970.
    pub fn parse(s: &str) -> Option<Clock> {
        let s = s.trim();
        if let Ok(n) = s.parse::<i64>() {
            return Some(Clock::Fixed(n));
        }
        parse_time(s).map(Clock::Fixed)
    }
}

/// Days since 1970-01-01 of a civil date (proleptic Gregorian).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date (proleptic Gregorian year, month, day) of a day count since 1970-01-01.
pub(crate) fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// Format seconds since 1970 as RFC 3339 in UTC: `2024-03-14T10:00:00Z`.
pub fn format_time(secs: i64) -> String {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem / 60 % 60,
        rem % 60
    )
}

/// Parse `YYYY-MM-DDTHH:MM:SSZ` (or a date alone, `YYYY-MM-DD`, at midnight UTC).
pub fn parse_time(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    let num = |r: std::ops::Range<usize>| -> Option<i64> {
        let t = s.get(r)?;
        if t.bytes().all(|c| c.is_ascii_digit()) {
            t.parse().ok()
        } else {
            None
        }
    };
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    let mut secs = days_from_civil(y, m, d) * 86_400;
    if b.len() == 10 {
        return Some(secs);
    }
    if b.len() != 20 || !matches!(b[10], b'T' | b't' | b' ') || b[13] != b':' || b[16] != b':' {
        return None;
    }
    if !matches!(b[19], b'Z' | b'z') {
        return None;
    }
    let (hh, mm, ss) = (num(11..13)?, num(14..16)?, num(17..19)?);
    if hh > 23 || mm > 59 || ss > 60 {
        return None;
    }
    secs += hh * 3600 + mm * 60 + ss;
    Some(secs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_and_parses_rfc3339() {
        assert_eq!(format_time(0), "1970-01-01T00:00:00Z");
        assert_eq!(format_time(1_710_410_400), "2024-03-14T10:00:00Z");
        assert_eq!(parse_time("2024-03-14T10:00:00Z"), Some(1_710_410_400));
        assert_eq!(parse_time("2024-02-29"), Some(1_709_164_800));
        assert_eq!(format_time(-1), "1969-12-31T23:59:59Z");
        for t in [0, 951_782_400, 1_709_164_800, 4_102_444_800, 1_234_567_890] {
            assert_eq!(parse_time(&format_time(t)), Some(t));
        }
        assert_eq!(parse_time("2024-13-01T00:00:00Z"), None);
        assert_eq!(parse_time("yesterday"), None);
        assert_eq!(parse_time("2024-03-14T10:00:00+01:00"), None);
    }

    #[test]
    fn clock_parses_seconds_and_dates() {
        assert_eq!(Clock::parse("42"), Some(Clock::Fixed(42)));
        assert_eq!(
            Clock::parse("2024-03-14T10:00:00Z"),
            Some(Clock::Fixed(1_710_410_400))
        );
        assert_eq!(Clock::parse("soon"), None);
        assert_eq!(Clock::Fixed(7).now(), 7);
    }
}
