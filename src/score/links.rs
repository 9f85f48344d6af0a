//! Links and e-mail addresses: found by scanning text in any script, normalised (scheme,
//! `www.`, case of the host, trailing slash), and compared between the two sides of a pair.
//! Pure: no files, no terminal.

use super::{Features, Signals, WEIGHTS};

/// Byte spans of the links and e-mail addresses in text, found by scanning (not by splitting
/// on spaces: in Chinese or Japanese a link stands against the punctuation around it).
pub fn find_links(text: &str) -> Vec<(usize, usize)> {
    if !(text.contains("://")
        || text.contains('@')
        || text.contains("www.")
        || text.contains("WWW."))
    {
        return Vec::new();
    }
    let bytes = text.as_bytes();
    let at = |i: usize, p: &[u8]| {
        bytes.len() >= i + p.len() && bytes[i..i + p.len()].eq_ignore_ascii_case(p)
    };
    let url_char = |b: u8| {
        b.is_ascii_graphic()
            && !matches!(
                b,
                b'<' | b'>' | b'"' | b'`' | b'{' | b'}' | b'|' | b'\\' | b'^'
            )
    };
    let mut spans: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let boundary = i == 0 || !bytes[i - 1].is_ascii_alphanumeric();
        let starts = boundary
            && (at(i, b"http://") || at(i, b"https://") || at(i, b"ftp://") || at(i, b"www."));
        if starts {
            let mut end = i;
            while end < bytes.len() && url_char(bytes[end]) {
                end += 1;
            }
            // Trailing punctuation belongs to the sentence; a closing parenthesis only when the
            // link did not open it.
            loop {
                let last = bytes[end - 1];
                let span = &bytes[i..end];
                let unbalanced = span.iter().filter(|&&b| b == b')').count()
                    > span.iter().filter(|&&b| b == b'(').count();
                if matches!(last, b'.' | b',' | b';' | b':' | b'!' | b'?' | b'\'' | b']')
                    || (last == b')' && unbalanced)
                {
                    end -= 1;
                } else {
                    break;
                }
            }
            if end > i + 4 {
                spans.push((i, end));
            }
            i = end.max(i + 1);
            continue;
        }
        if bytes[i] == b'@' && i > 0 {
            let local =
                |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'%' | b'+' | b'-');
            let mut start = i;
            while start > 0 && local(bytes[start - 1]) {
                start -= 1;
            }
            let mut end = i + 1;
            while end < bytes.len()
                && (bytes[end].is_ascii_alphanumeric() || matches!(bytes[end], b'.' | b'-'))
            {
                end += 1;
            }
            while end > i + 1 && bytes[end - 1] == b'.' {
                end -= 1;
            }
            let overlaps = spans.last().is_some_and(|&(_, e)| e > start);
            if start < i && bytes[i + 1..end].contains(&b'.') && !overlaps {
                spans.push((start, end));
            }
            i = end.max(i + 1);
            continue;
        }
        i += 1;
    }
    spans
}

/// Text with its links and e-mail addresses taken out (for language and script detection).
pub fn without_links(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (start, end) in find_links(text) {
        out.push_str(&text[at..start]);
        out.push(' ');
        at = end;
    }
    out.push_str(&text[at..]);
    out
}

/// A link or e-mail address, normalised (scheme, `www.` and trailing punctuation
/// removed, host lower-cased).
pub(super) fn link(t: &str) -> Option<String> {
    let lower = t.to_lowercase();
    let body = if let Some(i) = lower.find("://") {
        let scheme = &lower[..i];
        if !scheme.chars().all(|c| c.is_ascii_alphabetic()) || scheme.is_empty() {
            return None;
        }
        &t[i + 3..]
    } else if lower.starts_with("www.") {
        t
    } else if let Some(at) = t.find('@') {
        let (user, host) = (&t[..at], &t[at + 1..]);
        if user.is_empty() || !host.contains('.') || host.ends_with('.') {
            return None;
        }
        return Some(format!("mailto:{}", t.to_lowercase()));
    } else {
        return None;
    };
    let body = body
        .strip_prefix("www.")
        .or_else(|| body.strip_prefix("WWW."))
        .unwrap_or(body);
    let (host, path) = match body.find('/') {
        Some(i) => (&body[..i], &body[i..]),
        None => (body, ""),
    };
    if host.is_empty() {
        return None;
    }
    let path = path.trim_end_matches('/');
    Some(format!("{}{}", host.to_lowercase(), path))
}

/// The links' LLR of a pair: each link found on both sides adds, each on one side only takes
/// away. With `detail`, the unmatched links are written into `sig`.
pub(super) fn compare(
    source: &[&Features],
    target: &[&Features],
    sig: &mut Signals,
    detail: bool,
) -> f64 {
    let mut llr = 0.0;
    let target_links = || target.iter().flat_map(|f| f.links.iter());
    let source_links = || source.iter().flat_map(|f| f.links.iter());
    for l in source_links() {
        if target_links().any(|t| t == l) {
            sig.links_matched += 1;
            llr += WEIGHTS.link_found;
        } else {
            llr += WEIGHTS.link_unmatched;
            if detail {
                sig.links_source_only.push(l.clone());
            }
        }
    }
    for l in target_links() {
        if !source_links().any(|s| s == l) {
            llr += WEIGHTS.link_unmatched;
            if detail {
                sig.links_target_only.push(l.clone());
            }
        }
    }
    llr
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_are_found_against_cjk_punctuation() {
        let f = Features::of_text(
            "声明、2024年3月14日、www.example.org（https://news.example.net/a?id=4417）。",
        );
        assert_eq!(f.links, vec!["example.org", "news.example.net/a?id=4417"]);
        let f = Features::of_text("(see https://en.wikipedia.org/wiki/Fable_(disambiguation)).");
        assert_eq!(
            f.links,
            vec!["en.wikipedia.org/wiki/Fable_(disambiguation)"]
        );
    }

    #[test]
    fn links_are_normalised() {
        let f = Features::of_text(
            "see (https://www.Example.org/a/) and www.example.org, mail ME@x.org.",
        );
        assert_eq!(
            f.links,
            vec!["example.org/a", "example.org", "mailto:me@x.org"]
        );
    }
}
