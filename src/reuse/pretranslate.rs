//! Pretranslation: a draft of a document in its own format with the memory's translations put
//! in place of the source paragraphs.
//!
//! Exact matches go in as they are. Fuzzy matches go in followed by the review marker
//! `[fuzzy NN%]` (OmegaT's habit of prefixing an inserted fuzzy match with `[fuzzy]`): the
//! marker carries a number the source paragraph does not have, so `paralign check` of the
//! draft against its source reports the paragraph as `diverging` (reason `numbers`) until a
//! translator revises it and takes the marker out. Paragraphs without a match are left in the
//! source language (`check` reports them as `untranslated`). Pure: text in, text out.

use serde::Serialize;

use crate::document::{BlockKind, Document, Format};
use crate::score::Features;

/// What goes in place of one source paragraph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fill {
    /// The memory has this exact source text: its translation.
    Exact(String),
    /// A fuzzy match at this percentage: its translation, to be revised.
    Fuzzy {
        /// The stored translation.
        target: String,
        /// Its match percentage.
        percent: u8,
    },
    /// Nothing good enough: the source paragraph stays.
    Keep,
}

/// What the draft holds, paragraph by paragraph.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Filled {
    /// Filled with an exact match.
    Exact,
    /// Filled with a fuzzy match and marked for review.
    Fuzzy,
    /// Left in the source language.
    Untouched,
    /// Not for translation (a code block or a separator): copied.
    Copied,
}

/// The review marker of a fuzzy fill: `[fuzzy NN%]`, with a number that the source paragraph
/// does not hold (so that `check` sees a number the source lacks).
pub fn marker(percent: u8, source: &str) -> String {
    let have = Features::of_text(source);
    let clashes = |m: &str| {
        let f = Features::of_text(m);
        f.numbers.iter().any(|n| {
            have.numbers
                .iter()
                .any(|s| s.values.iter().any(|v| n.values.contains(v)))
        })
    };
    let plain = format!("[fuzzy {percent}%]");
    if !clashes(&plain) {
        return plain;
    }
    (1u32..)
        .map(|k| format!("[fuzzy {percent}% #{k}]"))
        .find(|m| {
            let f = Features::of_text(m);
            // the percentage clashes already; the serial must not
            f.numbers.len() > 1 && {
                let serial = &f.numbers[f.numbers.len() - 1];
                !have
                    .numbers
                    .iter()
                    .any(|s| s.values.iter().any(|v| serial.values.contains(v)))
            }
        })
        .unwrap_or(plain)
}

/// Markdown block markup that stays in front of a translated block: heading marks, quote marks,
/// list bullets and ordered-list numbers. Returns the markup and whether it is an ordered-list
/// number.
fn markdown_prefix(line: &str) -> (&str, bool) {
    let b = line.as_bytes();
    let mut i = 0;
    while i < b.len() && b[i] == b' ' {
        i += 1;
    }
    let mut ordered = false;
    loop {
        let start = i;
        if i < b.len() && b[i] == b'#' {
            while i < b.len() && b[i] == b'#' {
                i += 1;
            }
        } else if i < b.len() && matches!(b[i], b'>' | b'-' | b'*' | b'+') {
            i += 1;
        } else if i < b.len() && b[i].is_ascii_digit() {
            let mut j = i;
            while j < b.len() && b[j].is_ascii_digit() {
                j += 1;
            }
            if j < b.len() && matches!(b[j], b'.' | b')') {
                i = j + 1;
                ordered = true;
            } else {
                break;
            }
        } else {
            break;
        }
        if i < b.len() && b[i] == b' ' {
            while i < b.len() && b[i] == b' ' {
                i += 1;
            }
        } else if i < b.len() {
            // not markup after all (`#hashtag`, `3.5`)
            i = start;
            ordered = ordered && start > 0;
            break;
        }
    }
    (&line[..i], ordered)
}

/// Drop the leading `N. ` that the Markdown reader puts before an ordered list item's text.
fn strip_item_number(text: &str) -> &str {
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    if digits > 0 && text[digits..].starts_with(". ") {
        text[digits + 2..].trim_start()
    } else {
        text
    }
}

/// Build the draft: `source` is the decoded text the document was read from (`\n` line ends),
/// `fills` one entry per paragraph. Returns the draft text and what each paragraph became.
pub fn draft(source: &str, doc: &Document, fills: &[Fill]) -> (String, Vec<Filled>) {
    let lines: Vec<&str> = source.split('\n').collect();
    // Each paragraph's lines: from its first line to the first blank line, or to the line
    // before the next paragraph.
    let mut spans: Vec<(usize, usize)> = Vec::with_capacity(doc.paragraphs.len());
    for (k, p) in doc.paragraphs.iter().enumerate() {
        let start = p.line.saturating_sub(1).min(lines.len());
        let limit = doc
            .paragraphs
            .get(k + 1)
            .map_or(lines.len(), |n| n.line.saturating_sub(1))
            .max(start + 1)
            .min(lines.len());
        let mut end = start + 1;
        while end < limit && !lines[end].trim().is_empty() {
            end += 1;
        }
        spans.push((start, end.min(lines.len())));
    }
    let mut out: Vec<String> = Vec::with_capacity(lines.len());
    let mut what = Vec::with_capacity(doc.paragraphs.len());
    let mut next_line = 0;
    for (k, p) in doc.paragraphs.iter().enumerate() {
        let (start, end) = spans[k];
        if start < next_line {
            what.push(Filled::Copied);
            continue;
        }
        out.extend(lines[next_line..start].iter().map(|l| l.to_string()));
        let fill = fills.get(k).unwrap_or(&Fill::Keep);
        let text = match (p.kind, fill) {
            (BlockKind::Code | BlockKind::Separator, _) => {
                what.push(Filled::Copied);
                None
            }
            (_, Fill::Keep) => {
                what.push(Filled::Untouched);
                None
            }
            (_, Fill::Exact(t)) => {
                what.push(Filled::Exact);
                Some(t.clone())
            }
            (_, Fill::Fuzzy { target, percent }) => {
                what.push(Filled::Fuzzy);
                Some(format!("{target} {}", marker(*percent, &p.text)))
            }
        };
        match text {
            None => out.extend(lines[start..end].iter().map(|l| l.to_string())),
            Some(t) => match doc.format {
                // The CLI refuses drafts of HTML, Word, OpenDocument and XLIFF files.
                Format::Text | Format::Html | Format::Docx | Format::Odt | Format::Xliff => {
                    out.extend(t.split('\n').map(str::to_string))
                }
                Format::Markdown => {
                    let (prefix, ordered) = markdown_prefix(lines[start]);
                    let body = if ordered || p.kind == BlockKind::Item {
                        strip_item_number(&t)
                    } else {
                        &t
                    };
                    let body = body.split('\n').collect::<Vec<_>>().join(" ");
                    out.push(format!("{prefix}{body}"));
                }
            },
        }
        next_line = end;
    }
    out.extend(
        lines[next_line.min(lines.len())..]
            .iter()
            .map(|l| l.to_string()),
    );
    (out.join("\n"), what)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marker_avoids_the_source_numbers() {
        assert_eq!(marker(87, "Fares rose by 38%."), "[fuzzy 87%]");
        assert_eq!(marker(87, "87 workers were detained."), "[fuzzy 87% #1]");
        assert_eq!(marker(87, "87 workers, 1 gate."), "[fuzzy 87% #2]");
    }

    #[test]
    fn text_draft_fills_and_keeps() {
        let src = "Title\n\n\n1.   First line\nstill first\n\n* * *\n\n2.   Second\n";
        let doc = Document::parse("x.en.txt", src, Format::Text);
        let fills = vec![
            Fill::Exact("Título".into()),
            Fill::Fuzzy {
                target: "1.   Primera".into(),
                percent: 90,
            },
            Fill::Exact("never".into()),
            Fill::Keep,
        ];
        let (out, what) = draft(src, &doc, &fills);
        assert_eq!(
            out,
            "Título\n\n\n1.   Primera [fuzzy 90%]\n\n* * *\n\n2.   Second\n"
        );
        assert_eq!(
            what,
            [
                Filled::Exact,
                Filled::Fuzzy,
                Filled::Copied,
                Filled::Untouched
            ]
        );
    }

    #[test]
    fn markdown_draft_keeps_markup() {
        let src = "# Rules\n\n## Article 1\n\n1. Plots are *small*.\n2. Fees apply.\n\nA paragraph\non two lines.\n";
        let doc = Document::parse("law.en.md", src, Format::Markdown);
        assert_eq!(doc.paragraphs.len(), 5);
        let fills = vec![
            Fill::Exact("Règles".into()),
            Fill::Keep,
            Fill::Exact("1. Les parcelles sont petites.".into()),
            Fill::Keep,
            Fill::Exact("Un paragraphe.".into()),
        ];
        let (out, _) = draft(src, &doc, &fills);
        assert_eq!(
            out,
            "# Règles\n\n## Article 1\n\n1. Les parcelles sont petites.\n2. Fees apply.\n\nUn paragraphe.\n"
        );
    }
}
