//! Numbers written other than in ASCII digits: the decimal digits of every script, numbers
//! spelled out as words (cardinals and ordinals, 1 to 200, in every language CLDR has rules
//! for), numeral letters (Hebrew, Greek with keraia, Armenian, Georgian, ...) and CJK numerals
//! of any size, and roman numerals both ways.
//!
//! The tables are generated (`table.rs`, by `scripts/numerals.py` from CLDR's rule-based number
//! format data); this file only reads them. Nothing here decides what a number means in a
//! paragraph: `label.rs` and the scorer do.

mod table;

use std::collections::HashMap;
use std::sync::OnceLock;

/// The value of a decimal digit in any script that has one (ASCII, Arabic-Indic, Devanagari,
/// full-width, ...: every Unicode character of category Nd).
pub(crate) fn digit_value(c: char) -> Option<u32> {
    let u = c as u32;
    if c.is_ascii_digit() {
        return Some(u - '0' as u32);
    }
    if u < 0x0660 {
        return None;
    }
    let zeros = &table::DIGIT_ZEROS;
    let k = zeros.partition_point(|&z| z <= u);
    let z = zeros[k.checked_sub(1)?];
    (u < z + 10).then(|| u - z)
}

/// A word or phrase folded for lookup: lower case, soft hyphens dropped, hyphens and runs of
/// space as one space.
fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\u{ad}' | '\u{200c}' | '\u{200d}' => {}
            '-' | '‐' | ' ' | '\u{200b}' => {
                if !out.is_empty() && !out.ends_with(' ') {
                    out.push(' ');
                }
            }
            c => out.extend(c.to_lowercase()),
        }
    }
    let t = out.trim_end().len();
    out.truncate(t);
    out
}

/// Marks written with numeral letters: the Hebrew geresh and gershayim, the Greek keraia, and
/// the ASCII quotes and accents typed for them.
fn is_numeral_mark(c: char) -> bool {
    matches!(
        c,
        '׳' | '״' | '\'' | '"' | '´' | '\u{301}' | '\u{2b9}' | '\u{374}' | '΄' | '’' | '′' | '″'
    )
}

struct Tables {
    /// Folded phrase to value; phrases that stand for different values in different
    /// languages are left out.
    words: HashMap<String, u32>,
    /// The most words a phrase has.
    max_words: usize,
    /// Numeral letters without their marks, to value.
    letters: HashMap<String, u32>,
}

fn tables() -> &'static Tables {
    static T: OnceLock<Tables> = OnceLock::new();
    T.get_or_init(|| {
        let mut words: HashMap<String, u32> = HashMap::new();
        let mut letters: HashMap<String, u32> = HashMap::new();
        let mut max_words = 1;
        for line in table::WORDS.lines() {
            let mut parts = line.splitn(3, '\t');
            let (Some(locale), Some(_), Some(list)) = (parts.next(), parts.next(), parts.next())
            else {
                continue;
            };
            for (k, w) in list.split('|').enumerate() {
                let value = k as u32 + 1;
                if locale == "letters" {
                    let bare: String = super::normalize(w)
                        .chars()
                        .filter(|&c| !is_numeral_mark(c) && c != ' ')
                        .collect();
                    letters.entry(bare).or_insert(value);
                    continue;
                }
                let key = if w.is_ascii() {
                    fold(w)
                } else {
                    fold(&super::normalize(w))
                };
                max_words = max_words.max(key.split(' ').count());
                match words.get(&key) {
                    Some(&v) if v != value && v != u32::MAX => {
                        words.insert(key, u32::MAX);
                    }
                    Some(_) => {}
                    None => {
                        words.insert(key, value);
                    }
                }
            }
        }
        words.retain(|_, v| *v != u32::MAX);
        Tables {
            words,
            max_words,
            letters,
        }
    })
}

/// A number spelled out in words at the start of `words` (already split on spaces; trailing
/// punctuation is ignored): its value and how many words it took. The longest match wins
/// (`twenty one` over `twenty`).
pub(crate) fn word_number(words: &[&str]) -> Option<(u32, usize)> {
    let first = words.first()?;
    if !first.chars().next().is_some_and(char::is_alphabetic) {
        return None;
    }
    let t = tables();
    let mut phrase = String::new();
    let mut best = None;
    for (n, w) in words.iter().take(t.max_words).enumerate() {
        let w = w.trim_end_matches(|c: char| c.is_ascii_punctuation() || c == '،');
        if w.is_empty() {
            break;
        }
        if n > 0 {
            phrase.push(' ');
        }
        phrase.push_str(&fold(w));
        if let Some(&v) = t.words.get(&phrase) {
            best = Some((v, n + 1));
        }
    }
    best
}

/// A number written in numeral letters (`י״א`, `ιαʹ`, `ԺԱ`): its value. Hebrew letters alone
/// may be numbers only with their geresh or gershayim, or a single letter.
/// `marked` says a mark follows apart from the letters.
pub(crate) fn letter_number(token: &str, marked: bool) -> Option<u32> {
    let marked = marked || token.chars().any(is_numeral_mark);
    let bare: String = token.chars().filter(|&c| !is_numeral_mark(c)).collect();
    let n = bare.chars().count();
    if n == 0 || n > 4 {
        return None;
    }
    // Greek and Hebrew letters are numbers only when marked or standing alone; Armenian and
    // Georgian capitals read as numbers when they stand as a heading's number.
    let first = bare.chars().next()?;
    let greek_or_hebrew = matches!(first as u32, 0x0370..=0x03FF | 0x0590..=0x05FF);
    if greek_or_hebrew && !marked && n > 1 {
        return None;
    }
    if first.is_ascii() {
        return None;
    }
    tables().letters.get(&bare).copied()
}

/// Whether `c` writes a CJK numeral (`一`, `十`, `百`, `万`, financial `壹`, ...).
pub(crate) fn is_cjk_numeral(c: char) -> bool {
    cjk_digit(c).is_some() || cjk_unit(c).is_some()
}

fn cjk_digit(c: char) -> Option<u64> {
    Some(match c {
        '〇' | '零' => 0,
        '一' | '壹' | '弌' => 1,
        '二' | '贰' | '貳' | '两' | '兩' | '弍' => 2,
        '三' | '叁' | '參' | '弎' => 3,
        '四' | '肆' => 4,
        '五' | '伍' => 5,
        '六' | '陆' | '陸' => 6,
        '七' | '柒' => 7,
        '八' | '捌' => 8,
        '九' | '玖' => 9,
        _ => return None,
    })
}

fn cjk_unit(c: char) -> Option<u64> {
    Some(match c {
        '十' | '拾' => 10,
        '廿' => 20,
        '卅' => 30,
        '百' | '佰' => 100,
        '千' | '仟' => 1000,
        '万' | '萬' => 10_000,
        '亿' | '億' => 100_000_000,
        '兆' => 1_000_000_000_000,
        _ => return None,
    })
}

/// The value of CJK numerals of any size: `十一`, `二十一`, `一百零五`, `三千二百万`, `一〇五`
/// (digit by digit), financial `壹佰贰拾`.
pub(crate) fn cjk_value(s: &str) -> Option<u64> {
    if s.is_empty() {
        return None;
    }
    // Digit by digit (`二〇二四`, `一〇五`): no unit at all.
    if s.chars().count() > 1 && s.chars().all(|c| cjk_digit(c).is_some()) {
        return s
            .chars()
            .try_fold(0u64, |a, c| a.checked_mul(10)?.checked_add(cjk_digit(c)?));
    }
    // Sections below 10,000 summed into groups of 万 and 亿.
    let mut total: u64 = 0;
    let mut section: u64 = 0;
    let mut digit: Option<u64> = None;
    for c in s.chars() {
        if let Some(d) = cjk_digit(c) {
            if digit.is_some() && d != 0 {
                return None;
            }
            digit = (d != 0).then_some(d);
            continue;
        }
        let u = cjk_unit(c)?;
        match u {
            20 | 30 => {
                if digit.is_some() {
                    return None;
                }
                section += u;
            }
            10 | 100 | 1000 => section += digit.take().unwrap_or(1) * u,
            _ => {
                let part = section + digit.take().unwrap_or(0);
                let part = if part == 0 { 1 } else { part };
                total = total.checked_add(part.checked_mul(u)?)?;
                section = 0;
            }
        }
    }
    total.checked_add(section + digit.unwrap_or(0))
}

/// The spelling of `n` in a locale's rule set (`("fa", "cardinal", 21)` is `بیست و یک`), or
/// in numeral letters (`("letters", "hebrew", 11)`), as the generated table has it.
#[cfg(test)]
pub(crate) fn spell(locale: &str, set: &str, n: u32) -> Option<&'static str> {
    table::WORDS.lines().find_map(|line| {
        let mut parts = line.splitn(3, '\t');
        (parts.next() == Some(locale) && parts.next() == Some(set))
            .then(|| parts.next())
            .flatten()
            .and_then(|list| list.split('|').nth(n.checked_sub(1)? as usize))
    })
}

/// The rule sets a locale has in the table (`cardinal`, `ordinal-feminine`, ...), in order.
#[cfg(test)]
pub(crate) fn sets(locale: &str) -> Vec<&'static str> {
    table::WORDS
        .lines()
        .filter_map(|line| {
            let mut parts = line.splitn(3, '\t');
            (parts.next() == Some(locale))
                .then(|| parts.next())
                .flatten()
        })
        .collect()
}

/// The value of a well-formed roman numeral (I to MMMCMXCIX), or None.
pub(crate) fn roman_value(s: &str) -> Option<u32> {
    let val = |c| match c {
        'I' => 1,
        'V' => 5,
        'X' => 10,
        'L' => 50,
        'C' => 100,
        'D' => 500,
        'M' => 1000,
        _ => 0,
    };
    let chars: Vec<u32> = s.chars().map(val).collect();
    if chars.is_empty() || chars.contains(&0) {
        return None;
    }
    let mut total = 0;
    for i in 0..chars.len() {
        if i + 1 < chars.len() && chars[i] < chars[i + 1] {
            total -= chars[i] as i64;
        } else {
            total += chars[i] as i64;
        }
    }
    let total = total as u32;
    // Round trip to reject malformed numerals such as "IIII" or "VX".
    (to_roman(total) == s).then_some(total)
}

pub(crate) fn to_roman(mut n: u32) -> String {
    const T: [(u32, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut out = String::new();
    for (v, r) in T {
        while n >= v {
            out.push_str(r);
            n -= v;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_names_its_source() {
        assert!(
            table::SOURCE.starts_with("cldr-rbnf 48.2.0"),
            "{}",
            table::SOURCE
        );
    }

    #[test]
    fn digits_of_every_script() {
        assert_eq!(digit_value('7'), Some(7));
        assert_eq!(digit_value('٣'), Some(3));
        assert_eq!(digit_value('۹'), Some(9));
        assert_eq!(digit_value('१'), Some(1));
        assert_eq!(digit_value('๕'), Some(5));
        assert_eq!(digit_value('５'), Some(5));
        assert_eq!(digit_value('𝟘'), Some(0), "mathematical digits");
        assert_eq!(digit_value('\u{1E950}'), Some(0), "Adlam");
        assert_eq!(digit_value('a'), None);
        assert_eq!(digit_value('一'), None);
        // Every digit the table names reads as its value.
        for z in table::DIGIT_ZEROS {
            for d in 0..10 {
                assert_eq!(digit_value(char::from_u32(z + d).unwrap()), Some(d));
            }
        }
    }

    #[test]
    fn spelled_numbers_read_back_in_every_locale() {
        // Every spelling of the table reads back as its number, except those that another
        // language spells for another number (then neither is read).
        let mut read = 0;
        for line in table::WORDS.lines().filter(|l| !l.starts_with("letters")) {
            let list = line.splitn(3, '\t').nth(2).unwrap();
            for (k, w) in list.split('|').enumerate() {
                let words: Vec<&str> = w.split([' ', '\u{a0}']).collect();
                if let Some((v, n)) = word_number(&words) {
                    if n == words.len() {
                        assert_eq!(v, k as u32 + 1, "{line:.20}: {w}");
                        read += 1;
                    }
                }
            }
        }
        assert!(read > 20_000, "{read}");
        let w = |s: &str| word_number(&s.split(' ').collect::<Vec<_>>());
        assert_eq!(w("بیست و یک"), Some((21, 3)));
        assert_eq!(w("twenty-first Article"), Some((21, 1)));
        assert_eq!(w("первая"), Some((1, 1)));
        assert_eq!(w("Erster Teil"), Some((1, 1)));
        assert_eq!(w("kumi na moja."), Some((11, 3)));
        assert_eq!(w("Article"), None);
    }

    #[test]
    fn numeral_letters() {
        assert_eq!(letter_number("י״א", false), Some(11));
        assert_eq!(letter_number("ט\"ו", false), Some(15));
        assert_eq!(letter_number("ב", false), Some(2));
        assert_eq!(letter_number("ιαʹ", false), Some(11));
        assert_eq!(letter_number("ια'", false), Some(11));
        assert_eq!(
            letter_number("ια", false),
            None,
            "a Greek word without keraia"
        );
        assert_eq!(letter_number("ԺԱ", false), Some(11));
        assert_eq!(letter_number("A", false), None);
        for n in 1..=200 {
            for set in ["hebrew", "greek-lower", "greek-upper", "armenian-upper"] {
                let s = spell("letters", set, n).unwrap();
                assert_eq!(letter_number(s, false), Some(n), "{set} {s}");
            }
        }
    }

    #[test]
    fn cjk_numerals_of_any_size() {
        // CLDR's spellings for Chinese (simplified and traditional) and Japanese.
        for locale in ["zh", "zh-Hant", "ja", "yue"] {
            for n in 1..=200 {
                let s = spell(locale, "cardinal", n).unwrap();
                assert_eq!(cjk_value(s), Some(n as u64), "{locale} {s}");
            }
        }
        assert_eq!(cjk_value("三千二百万"), Some(32_000_000));
        assert_eq!(cjk_value("一亿零五"), Some(100_000_005));
        assert_eq!(cjk_value("二〇二四"), Some(2024));
        assert_eq!(cjk_value("壹佰贰拾"), Some(120));
        assert_eq!(cjk_value("廿一"), Some(21));
        assert_eq!(cjk_value("十万"), Some(100_000));
        assert_eq!(cjk_value("一一"), Some(11));
        assert_eq!(cjk_value("条"), None);
    }
}
