//! `pretranslate`'s report on standard output (the draft itself goes to a file): how many
//! paragraphs were filled exactly, filled fuzzy and marked for review, or left in the source,
//! as text or JSON (the pretranslation contract, `version` 1). Pure writers from the summary
//! to bytes.

use std::io::{self, Write};

use serde::Serialize;

use crate::report::excerpt;
use crate::reuse::Filled;

/// What happened to one paragraph.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Entry {
    pub index: usize,
    pub line: usize,
    pub label: Option<String>,
    pub filled: Filled,
    /// The match percentage used (the lowest of its sentences when filled by sentences).
    pub percent: Option<u8>,
    /// Whether it was filled sentence by sentence.
    pub by_sentence: bool,
    pub text: String,
}

/// What a pretranslation did, for the writers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Summary {
    pub file: String,
    pub output: String,
    pub source_lang: String,
    pub target_lang: String,
    pub min_match: u8,
    pub entries: Vec<Entry>,
}

fn count(s: &Summary, f: Filled) -> usize {
    s.entries.iter().filter(|e| e.filled == f).count()
}

pub(crate) fn write_text(s: &Summary, out: &mut dyn Write) -> io::Result<()> {
    writeln!(
        out,
        "{} ({}) → {} ({}): {} exact, {} fuzzy (≥ {}%, marked [fuzzy NN%] for review), {} left in the source",
        s.file,
        s.source_lang,
        s.output,
        s.target_lang,
        count(s, Filled::Exact),
        count(s, Filled::Fuzzy),
        s.min_match,
        count(s, Filled::Untouched)
    )?;
    for e in &s.entries {
        let what = match (e.filled, e.percent) {
            (Filled::Fuzzy, Some(p)) => format!("fuzzy {p}%"),
            (Filled::Untouched, _) => "untouched".to_string(),
            _ => continue,
        };
        let by = if e.by_sentence { ", by sentence" } else { "" };
        writeln!(
            out,
            "  line {} ¶{}: {what}{by}: {}",
            e.line,
            e.label.as_deref().unwrap_or("-"),
            excerpt(&crate::document::normalize(&e.text), 60)
        )?;
    }
    Ok(())
}

#[derive(Serialize)]
struct JsonSummary<'a> {
    version: u32,
    #[serde(flatten)]
    summary: &'a Summary,
    exact: usize,
    fuzzy: usize,
    untouched: usize,
}

pub(crate) fn write_json(s: &Summary, out: &mut dyn Write) -> io::Result<()> {
    let doc = JsonSummary {
        version: 1,
        summary: s,
        exact: count(s, Filled::Exact),
        fuzzy: count(s, Filled::Fuzzy),
        untouched: count(s, Filled::Untouched),
    };
    serde_json::to_writer(&mut *out, &doc).map_err(io::Error::from)?;
    out.write_all(b"\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_lists_fuzzy_and_untouched() {
        let s = Summary {
            file: "new.en.txt".into(),
            output: "new.es.txt".into(),
            source_lang: "en".into(),
            target_lang: "es".into(),
            min_match: 75,
            entries: vec![
                Entry {
                    index: 0,
                    line: 1,
                    label: None,
                    filled: Filled::Exact,
                    percent: Some(100),
                    by_sentence: false,
                    text: "Title".into(),
                },
                Entry {
                    index: 1,
                    line: 3,
                    label: Some("1".into()),
                    filled: Filled::Fuzzy,
                    percent: Some(98),
                    by_sentence: true,
                    text: "1.   The strike".into(),
                },
                Entry {
                    index: 2,
                    line: 5,
                    label: Some("2".into()),
                    filled: Filled::Untouched,
                    percent: None,
                    by_sentence: false,
                    text: "2.   New text".into(),
                },
            ],
        };
        let mut v = Vec::new();
        write_text(&s, &mut v).unwrap();
        assert_eq!(
            String::from_utf8(v).unwrap(),
            "new.en.txt (en) → new.es.txt (es): 1 exact, 1 fuzzy (≥ 75%, marked [fuzzy NN%] for review), 1 left in the source\n  line 3 ¶1: fuzzy 98%, by sentence: 1. The strike\n  line 5 ¶2: untouched: 2. New text\n"
        );
    }
}
