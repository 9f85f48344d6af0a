//! Numbers: found in any script's digits, normalised across writing conventions (`11,6` =
//! `11.6`, `1 000` = `1,000`; an ambiguous `1.000` stands for both readings), and matched
//! between the two sides of a pair. Pure: no files, no terminal.

use super::{hash, Features, Signals, WEIGHTS};

/// A number as written and the canonical values it may stand for (`1.000` may be one thousand
/// or one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Number {
    /// As written.
    pub text: String,
    /// Canonical values (`11.6`, `1000`), hashed.
    pub values: Vec<u64>,
    /// Significant digits (a weight: a four-digit year says more than `2`).
    pub digits: u8,
}

/// Numbers in text, in any script's digits, with their possible canonical values.
pub(super) fn numbers(text: &str) -> Vec<Number> {
    if !text.chars().any(|c| digit(c).is_some()) {
        return Vec::new();
    }
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if digit(chars[i]).is_none() {
            i += 1;
            continue;
        }
        // groups of digits and the separators between them
        let mut groups: Vec<String> = vec![String::new()];
        let mut seps: Vec<char> = Vec::new();
        let start = i;
        while i < chars.len() {
            let c = chars[i];
            if let Some(d) = digit(c) {
                if let Some(g) = groups.last_mut() {
                    g.push(char::from(b'0' + d as u8));
                }
                i += 1;
            } else if is_num_sep(c) && i + 1 < chars.len() && digit(chars[i + 1]).is_some() {
                // a space joins only a following group of exactly three digits
                let next: usize = chars[i + 1..]
                    .iter()
                    .take_while(|c| digit(**c).is_some())
                    .count();
                if (c == ' ' || c == '\u{a0}' || c == '\u{202f}')
                    && (next != 3 || groups.last().map_or(0, String::len) > 3)
                {
                    break;
                }
                seps.push(c);
                groups.push(String::new());
                i += 1;
            } else {
                break;
            }
        }
        // A month written as a number in Chinese, Japanese and Korean dates (3月, 3월) is a word
        // in most languages: it is not compared.
        if seps.is_empty() && groups[0].len() <= 2 && matches!(chars.get(i), Some('月' | '월')) {
            continue;
        }
        let written: String = chars[start..i].iter().collect();
        // a space-joined group that was not a thousands group splits numbers
        let values = interpretations(&groups, &seps);
        let digits = groups
            .iter()
            .map(|g| g.trim_start_matches('0').len())
            .sum::<usize>()
            .max(1);
        out.push(Number {
            text: written,
            values: values.iter().map(|v| hash(v.as_str())).collect(),
            digits: digits.min(12) as u8,
        });
    }
    out
}

fn digit(c: char) -> Option<u32> {
    crate::document::digit_value(c)
}

fn is_num_sep(c: char) -> bool {
    matches!(
        c,
        '.' | ',' | ' ' | '\u{a0}' | '\u{202f}' | '\'' | '’' | '٫' | '٬'
    )
}

/// The canonical values a number may stand for.
fn interpretations(groups: &[String], seps: &[char]) -> Vec<String> {
    let canon = |int: &str, frac: &str| {
        let int = int.trim_start_matches('0');
        let int = if int.is_empty() { "0" } else { int };
        let frac = frac.trim_end_matches('0');
        if frac.is_empty() {
            int.to_string()
        } else {
            format!("{int}.{frac}")
        }
    };
    if seps.is_empty() {
        return vec![canon(&groups[0], "")];
    }
    let mut out = Vec::new();
    let thousands_ok = groups[1..].iter().all(|g| g.len() == 3)
        && groups[0].len() <= 3
        && seps.iter().all(|s| *s == seps[0]);
    if thousands_ok {
        out.push(canon(&groups.concat(), ""));
    }
    let last = *seps.last().unwrap_or(&'.');
    if matches!(last, '.' | ',' | '٫') {
        let head = &groups[..groups.len() - 1];
        let head_seps = &seps[..seps.len() - 1];
        let head_ok = head.len() == 1
            || (head[1..].iter().all(|g| g.len() == 3)
                && head[0].len() <= 3
                && head_seps.iter().all(|s| *s == head_seps[0] && *s != last));
        if head_ok {
            out.push(canon(&head.concat(), &groups[groups.len() - 1]));
        }
    }
    if out.is_empty() {
        // Dates, versions and other dotted forms: compare the parts.
        out.push(
            groups
                .iter()
                .map(|g| canon(g, ""))
                .collect::<Vec<_>>()
                .join("."),
        );
    }
    out
}

/// Weight of a number: long numbers are rarer and say more.
pub(super) fn weight(n: &Number) -> f64 {
    WEIGHTS.number_found[usize::from(n.digits.clamp(1, 4)) - 1]
}

/// Whether two numbers may stand for the same value.
pub(super) fn same(a: &Number, b: &Number) -> bool {
    a.values.iter().any(|v| b.values.contains(v))
}

/// Which target numbers are matched: a bit mask for up to 128 of them (no allocation), a
/// vector beyond.
struct Used {
    many: bool,
    small: u128,
    big: Vec<bool>,
}

impl Used {
    fn new(count: usize) -> Used {
        let many = count > 128;
        Used {
            many,
            small: 0,
            big: if many { vec![false; count] } else { Vec::new() },
        }
    }

    fn get(&self, j: usize) -> bool {
        if self.many {
            self.big[j]
        } else {
            self.small >> j & 1 == 1
        }
    }

    fn set(&mut self, j: usize) {
        if self.many {
            self.big[j] = true;
        } else {
            self.small |= 1 << j;
        }
    }
}

/// The unmatched numbers of one side: how many, how many of one digit (which may be written
/// as words on the other side), and the weight of the others.
#[derive(Default)]
struct Unmatched {
    count: usize,
    small: usize,
    big: f64,
}

impl Unmatched {
    fn add(&mut self, n: &Number) {
        self.count += 1;
        if n.digits <= 1 {
            self.small += 1;
        } else {
            self.big += weight(n);
        }
    }
}

/// The numbers' LLR of a pair: greedy matching on shared values (no allocation unless
/// `detail`, which writes the matched and unmatched numbers into `sig`). A small number on one
/// side with nothing unmatched on the other may be written as a word there and costs little.
pub(super) fn compare(
    source: &[&Features],
    target: &[&Features],
    sig: &mut Signals,
    detail: bool,
) -> f64 {
    let mut llr = 0.0;
    let tn_count: usize = target.iter().map(|f| f.numbers.len()).sum();
    let mut used = Used::new(tn_count);
    let mut s_un = Unmatched::default();
    for n in source.iter().flat_map(|f| f.numbers.iter()) {
        let hit = target
            .iter()
            .flat_map(|f| f.numbers.iter())
            .enumerate()
            .find(|&(j, m)| !used.get(j) && same(n, m));
        if let Some((j, _)) = hit {
            used.set(j);
            llr += weight(n);
            if detail {
                sig.numbers_matched.push(n.text.clone());
            }
        } else {
            s_un.add(n);
        }
    }
    let mut t_un = Unmatched::default();
    for (j, n) in target.iter().flat_map(|f| f.numbers.iter()).enumerate() {
        if !used.get(j) {
            t_un.add(n);
        }
    }
    let (spelled, unmatched) = (WEIGHTS.number_spelled, WEIGHTS.number_unmatched);
    let spelled_ok = [t_un.count == 0, s_un.count == 0];
    let small_cost = |spelled_ok: bool| if spelled_ok { spelled } else { unmatched };
    llr -= small_cost(spelled_ok[0]) * s_un.small as f64 + unmatched * s_un.big;
    llr -= small_cost(spelled_ok[1]) * t_un.small as f64 + unmatched * t_un.big;
    if detail {
        list_unmatched(source, target, &used, spelled_ok, sig);
    }
    llr
}

/// Write into `sig` each side's numbers the other lacks, in order, leaving out the small ones
/// a side may have written as words (`spelled_ok`, source then target).
fn list_unmatched(
    source: &[&Features],
    target: &[&Features],
    used: &Used,
    spelled_ok: [bool; 2],
    sig: &mut Signals,
) {
    // Source numbers not among the matched ones (by text, in order).
    let mut pending: Vec<&str> = sig.numbers_matched.iter().map(String::as_str).collect();
    for n in source.iter().flat_map(|f| f.numbers.iter()) {
        if let Some(k) = pending.iter().position(|m| *m == n.text) {
            pending.remove(k);
        } else if !(spelled_ok[0] && n.digits <= 1) {
            sig.numbers_source_only.push(n.text.clone());
        }
    }
    for (j, n) in target.iter().flat_map(|f| f.numbers.iter()).enumerate() {
        let spelled = spelled_ok[1] && n.digits <= 1;
        if !used.get(j) && !spelled {
            sig.numbers_target_only.push(n.text.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(text: &str) -> Vec<Vec<u64>> {
        numbers(text).into_iter().map(|n| n.values).collect()
    }

    #[test]
    fn numbers_meet_across_conventions() {
        let h = |s: &str| hash(s);
        assert_eq!(
            values("11,6 and 11.6"),
            vec![vec![h("11.6")], vec![h("11.6")]]
        );
        assert_eq!(values("40%"), vec![vec![h("40")]]);
        assert_eq!(values("1 000 people"), vec![vec![h("1000")]]);
        assert_eq!(values("1,000"), vec![vec![h("1000"), h("1")]]);
        assert_eq!(values("1.250"), vec![vec![h("1250"), h("1.25")]]);
        assert_eq!(values("1.234.567,5"), vec![vec![h("1234567.5")]]);
        assert_eq!(
            values("in 2002 55 people"),
            vec![vec![h("2002")], vec![h("55")]]
        );
        assert_eq!(values("٢٠٢٤"), vec![vec![h("2024")]]);
        assert_eq!(values("05.01.2022"), vec![vec![h("5.1.2022")]]);
        assert_eq!(
            values("2024年3月14日"),
            vec![vec![h("2024")], vec![h("14")]]
        );
    }
}
