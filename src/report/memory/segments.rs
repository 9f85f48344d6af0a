//! `segments`' list of the translation memory's segments, as text or JSON (the segments
//! contract, `version` 1): pure writers from the store's answer to bytes.

use std::io::{self, Write};

use serde::Serialize;

use crate::align::Flag;
use crate::report::{excerpt, terminal_safe};
use crate::store::{format_time, SegmentPage};

pub(crate) fn write_text(page: &SegmentPage, out: &mut dyn Write) -> io::Result<()> {
    for s in &page.segments {
        let mut head = format!(
            "#{} {}→{} {}",
            s.id, s.source_lang, s.target_lang, s.document
        );
        if let Some(l) = &s.label {
            head.push_str(&format!(" ¶{l}"));
        }
        match s.score {
            Some(x) => head.push_str(&format!(" score {x:.2}")),
            None => head.push_str(" score -"),
        }
        if !s.flags.is_empty() {
            let f: Vec<&str> = s.flags.iter().map(|f| f.as_str()).collect();
            head.push_str(&format!(" [{}]", f.join(", ")));
        }
        // Stored text may hold what drives a terminal: written as escapes.
        writeln!(out, "{}", terminal_safe(&head))?;
        writeln!(
            out,
            "  {}: {}",
            s.source_lang,
            terminal_safe(&excerpt(&s.source, 100))
        )?;
        writeln!(
            out,
            "  {}: {}",
            s.target_lang,
            terminal_safe(&excerpt(&s.target, 100))
        )?;
    }
    let n = page.segments.len();
    if n == page.total {
        writeln!(out, "{} {}", n, if n == 1 { "segment" } else { "segments" })
    } else {
        writeln!(
            out,
            "{n} of {} segments shown (--limit 0 shows all)",
            page.total
        )
    }
}

#[derive(Serialize)]
struct JsonSegments<'a> {
    version: u32,
    total: usize,
    segments: Vec<JsonSegment<'a>>,
}

#[derive(Serialize)]
struct JsonSegment<'a> {
    id: i64,
    source_lang: &'a str,
    target_lang: &'a str,
    document: &'a str,
    label: Option<&'a str>,
    source: &'a str,
    target: &'a str,
    score: Option<f64>,
    flags: &'a [Flag],
    source_hash: &'a str,
    outdated: bool,
    origin: &'a str,
    created: String,
    changed: String,
}

pub(crate) fn write_json(page: &SegmentPage, out: &mut dyn Write) -> io::Result<()> {
    let doc = JsonSegments {
        version: 1,
        total: page.total,
        segments: page
            .segments
            .iter()
            .map(|s| JsonSegment {
                id: s.id,
                source_lang: &s.source_lang,
                target_lang: &s.target_lang,
                document: &s.document,
                label: s.label.as_deref(),
                source: &s.source,
                target: &s.target,
                score: s.score.map(|x| (x * 1000.0).round() / 1000.0),
                flags: &s.flags,
                source_hash: &s.source_hash,
                outdated: s.outdated,
                origin: &s.origin,
                created: format_time(s.created),
                changed: format_time(s.changed),
            })
            .collect(),
    };
    serde_json::to_writer(&mut *out, &doc).map_err(io::Error::from)?;
    out.write_all(b"\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Segment;

    fn page() -> SegmentPage {
        SegmentPage {
            segments: vec![Segment {
                id: 3,
                source_lang: "en".into(),
                target_lang: "es".into(),
                document: "statement".into(),
                label: Some("2".into()),
                source: "2. Fares rose by 38%.".into(),
                target: "2. Las tarifas subieron un 38 %.".into(),
                score: Some(0.9123),
                flags: vec![Flag::Outdated],
                source_hash: "00000000000000ff".into(),
                outdated: true,
                origin: "import".into(),
                created: 0,
                changed: 60,
            }],
            total: 7,
        }
    }

    #[test]
    fn text_is_exact() {
        let mut v = Vec::new();
        write_text(&page(), &mut v).unwrap();
        assert_eq!(
            String::from_utf8(v).unwrap(),
            "#3 en→es statement ¶2 score 0.91 [outdated]\n  en: 2. Fares rose by 38%.\n  es: 2. Las tarifas subieron un 38 %.\n1 of 7 segments shown (--limit 0 shows all)\n"
        );
    }

    #[test]
    fn json_is_exact() {
        let mut v = Vec::new();
        write_json(&page(), &mut v).unwrap();
        assert_eq!(
            String::from_utf8(v).unwrap(),
            r#"{"version":1,"total":7,"segments":[{"id":3,"source_lang":"en","target_lang":"es","document":"statement","label":"2","source":"2. Fares rose by 38%.","target":"2. Las tarifas subieron un 38 %.","score":0.912,"flags":["outdated"],"source_hash":"00000000000000ff","outdated":true,"origin":"import","created":"1970-01-01T00:00:00Z","changed":"1970-01-01T00:01:00Z"}]}
"#
        );
    }
}
