//! A paragraph as the page shows it: label, line, and the text as written (escaped), with the
//! tokens found in its normalised form highlighted where they are written.

use std::fmt::Write as _;
use std::ops::Range;

use unicode_normalization::UnicodeNormalization;

use crate::document::{digit_value, Paragraph};
use crate::language::LangTag;
use crate::report::xml_escape as esc;

/// What a highlight marks.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Number,
    Link,
    Name,
}

impl Kind {
    pub(super) fn class(self) -> &'static str {
        match self {
            Kind::Number => "hn",
            Kind::Link => "hl",
            Kind::Name => "hm",
        }
    }
}

/// A token to highlight in a paragraph and the title that says why.
pub(super) struct Token {
    pub(super) kind: Kind,
    pub(super) text: String,
    /// The languages that lack it, in the order met (each once).
    pub(super) langs: Vec<String>,
    /// What the mark's title says (from `langs`, once they are all met).
    pub(super) title: String,
}

/// One paragraph: its label and line, then its text as written (in its language, so that
/// screen readers, fonts and line breaking follow it) with the tokens highlighted.
pub(super) fn paragraph(
    s: &mut String,
    p: &Paragraph,
    format: crate::document::Format,
    lang: &LangTag,
    toks: &[Token],
) {
    s.push_str("<div class=\"p\"><div class=\"pm\" dir=\"ltr\">");
    if let Some(l) = &p.label {
        let _ = write!(s, "<span class=\"lb\">¶ {}</span>", esc(&l.path));
    }
    let _ = write!(
        s,
        "<span class=\"ln\">{} {}</span></div>",
        format.place(),
        p.line
    );
    let _ = write!(s, "<p class=\"tx\" lang=\"{}\">", esc(lang.as_str()));
    s.push_str(&highlight(p, toks));
    s.push_str("</p></div>");
}

/// A paragraph's written text mapped to its normalised form, so that tokens found in the
/// normalised text (where the signals come from) are highlighted in the text as written.
pub(super) struct Mapped {
    pub(super) norm: String,
    /// For each byte of `norm`, the range of the written character it comes from.
    pub(super) from: Vec<(usize, usize)>,
}

impl Mapped {
    pub(super) fn of(text: &str) -> Mapped {
        let mut norm = String::with_capacity(text.len());
        let mut from = Vec::with_capacity(text.len());
        let mut space: Option<(usize, usize)> = None;
        for (i, c) in text.char_indices() {
            let r = (i, i + c.len_utf8());
            if c.is_whitespace() || c == '\u{200B}' || c == '\u{FEFF}' {
                if !norm.is_empty() && space.is_none() {
                    space = Some(r);
                }
                continue;
            }
            if let Some(sp) = space.take() {
                norm.push(' ');
                from.push(sp);
            }
            for n in std::iter::once(c).nfkc() {
                let at = norm.len();
                norm.push(n);
                from.extend(std::iter::repeat_n(r, norm.len() - at));
            }
        }
        Mapped { norm, from }
    }

    /// The written range of a normalised range.
    pub(super) fn written(&self, r: Range<usize>) -> (usize, usize) {
        (self.from[r.start].0, self.from[r.end - 1].1)
    }
}

pub(super) fn is_sep(c: char) -> bool {
    matches!(c, '.' | ',' | '\'' | '’' | '٫' | '٬')
}

/// Where a token stands in normalised text, at the token's boundaries.
pub(super) fn find(norm: &str, body: usize, tok: &Token) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    if tok.text.is_empty() {
        return out;
    }
    let (hay, needle) = match tok.kind {
        Kind::Link => (
            norm.to_ascii_lowercase(),
            tok.text
                .strip_prefix("mailto:")
                .unwrap_or(&tok.text)
                .to_ascii_lowercase(),
        ),
        _ => (norm.to_string(), tok.text.clone()),
    };
    let digit = |c: Option<char>| c.is_some_and(|c| digit_value(c).is_some());
    let mut from = body;
    while let Some(k) = hay.get(from..).and_then(|h| h.find(&needle)) {
        let (a, b) = (from + k, from + k + needle.len());
        from = b;
        let mut before = norm[..a].chars().rev();
        let mut after = norm[b..].chars();
        let (b1, b2, a1, a2) = (before.next(), before.next(), after.next(), after.next());
        let ok = match tok.kind {
            Kind::Number => {
                // Not inside a longer number: no digit, nor separator and digit, either side.
                let joined = |c: Option<char>, d: Option<char>| {
                    digit(c) || (c.is_some_and(is_sep) && digit(d))
                };
                !joined(b1, b2) && !joined(a1, a2)
            }
            Kind::Name => {
                !b1.is_some_and(char::is_alphanumeric) && !a1.is_some_and(char::is_alphanumeric)
            }
            Kind::Link => true,
        };
        if !ok {
            continue;
        }
        let r = if tok.kind == Kind::Link {
            // The whole link as written: its scheme and `www.` before, a slash after.
            let start = norm[..a]
                .rfind(|c: char| c == ' ' || "([<\"'«“".contains(c))
                .map_or(0, |i| {
                    i + norm[i..].chars().next().map_or(1, char::len_utf8)
                });
            let end = b + norm[b..].len() - norm[b..].trim_start_matches('/').len();
            start.max(body)..end
        } else {
            a..b
        };
        out.push(r);
    }
    out
}

/// The written text of a paragraph, escaped, with the label dimmed and the tokens marked.
pub(super) fn highlight(p: &Paragraph, toks: &[Token]) -> String {
    let text = p.text.as_str();
    let m = Mapped::of(text);
    // The body starts where the normalised text says, when the two normalisations agree.
    let body = (m.norm == p.norm && p.body_start > 0 && p.body_start <= m.from.len()).then(|| {
        if p.body_start == m.from.len() {
            text.len()
        } else {
            m.from[p.body_start].0
        }
    });
    let search_from = if body.is_some() { p.body_start } else { 0 };
    let mut marks: Vec<(usize, usize, &Token)> = Vec::new();
    for t in toks {
        for r in find(&m.norm, search_from, t) {
            let (a, b) = m.written(r);
            marks.push((a, b, t));
        }
    }
    marks.sort_by_key(|&(a, b, _)| (a, std::cmp::Reverse(b)));
    let mut out = String::with_capacity(text.len() + 64);
    let mut at = 0;
    if let Some(b) = body {
        let _ = write!(out, "<span class=\"raw\">{}</span>", esc(&text[..b]));
        at = b;
    }
    for (a, b, t) in marks {
        if a < at {
            continue;
        }
        out.push_str(&esc(&text[at..a]));
        let _ = write!(
            out,
            "<mark class=\"{}\" title=\"{}\">{}</mark>",
            t.kind.class(),
            esc(&t.title),
            esc(&text[a..b])
        );
        at = b;
    }
    out.push_str(&esc(&text[at..]));
    out
}
