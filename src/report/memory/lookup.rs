//! `lookup`'s answer: the closest earlier translations of a text with their match percentage,
//! the stored source beside the query with the differences marked, and where each came from;
//! text, or JSON lines (the lookup contract, `version` 1, with every input of the match
//! formula; `serve` answers with the same object). Pure writers from the answer to bytes.

use crate::text::round4;
use std::io::{self, Write};

use serde::Serialize;

use crate::report::{excerpt, term_list, terminal_safe};
use crate::reuse::{diff, DiffPart, Match, MatchScore, Prepared};
use crate::score::TermPair;
use crate::store::format_time;

/// What one query found: its best matches as a whole, and each sentence's when it has several.
pub(crate) struct Answer {
    pub query: Prepared,
    pub matches: Vec<Match>,
    pub sentences: Vec<(Prepared, Vec<Match>)>,
}

/// What a lookup found, for the writers.
pub(crate) struct Found<'a> {
    pub answer: &'a Answer,
    /// The query's line in a batch (None for the one TEXT).
    pub line: Option<usize>,
    pub id: Option<&'a serde_json::Value>,
    pub source_lang: Option<&'a str>,
    pub target_lang: &'a str,
    pub min_match: u8,
    /// The glossary terms found in the query, with their translations.
    pub terms: &'a [TermPair],
}

fn date(t: i64) -> String {
    format_time(t).chars().take(10).collect()
}

/// The stored source with differences marked: `[-stored only-]{+query only+}`.
fn marked(query: &Prepared, stored: &str) -> (String, Vec<DiffPart>) {
    let parts = diff(query, &Prepared::new(stored));
    (crate::reuse::diff_marked(&parts), parts)
}

/// One block per match: head, the stored source with differences marked, the translation.
fn write_matches(query: &Prepared, matches: &[Match], out: &mut dyn Write) -> io::Result<()> {
    for (k, m) in matches.iter().enumerate() {
        let c = &m.candidate;
        if k > 0 {
            writeln!(out)?;
        }
        let mut head = format!(
            "{}%  {}→{}  {}",
            m.score.percent, c.source_lang, c.target_lang, c.document
        );
        if let Some(l) = &c.label {
            head.push_str(&format!(" ¶{l}"));
        }
        head.push_str(&format!(
            " ({}, {}, segment #{})",
            c.level,
            date(c.changed),
            c.id
        ));
        // Stored text may hold what drives a terminal: written as escapes.
        writeln!(out, "{}", terminal_safe(&head))?;
        let (diffed, _) = marked(query, &c.source);
        if m.score.exact {
            writeln!(
                out,
                "  {}: {}",
                c.source_lang,
                terminal_safe(&crate::document::normalize(&c.source))
            )?;
        } else {
            writeln!(out, "  {}: {}", c.source_lang, terminal_safe(&diffed))?;
        }
        writeln!(
            out,
            "  {}: {}",
            c.target_lang,
            terminal_safe(&crate::document::normalize(&c.target))
        )?;
    }
    Ok(())
}

pub(crate) fn write_text(f: &Found, out: &mut dyn Write) -> io::Result<()> {
    let a = f.answer;
    let none = |out: &mut dyn Write| {
        writeln!(
            out,
            "no match of {}% or more into {} in the memory",
            f.min_match, f.target_lang
        )
    };
    let total = a.matches.len() + a.sentences.iter().map(|s| s.1.len()).sum::<usize>();
    let terms = |out: &mut dyn Write| {
        if f.terms.is_empty() {
            return Ok(());
        }
        writeln!(out, "glossary: {}", terminal_safe(&term_list(f.terms)))
    };
    if total == 0 {
        none(out)?;
        return terms(out);
    }
    if a.matches.is_empty() {
        none(out)?;
    } else {
        write_matches(&a.query, &a.matches, out)?;
    }
    let n = a.sentences.len();
    for (k, (q, ms)) in a.sentences.iter().enumerate() {
        writeln!(out)?;
        writeln!(
            out,
            "-- sentence {} of {n}: {}",
            k + 1,
            terminal_safe(&excerpt(q.norm(), 60))
        )?;
        if ms.is_empty() {
            none(out)?;
        } else {
            write_matches(q, ms, out)?;
        }
    }
    writeln!(out)?;
    writeln!(
        out,
        "{} {}; [-…-] is in the stored source only, {{+…+}} in yours only",
        total,
        if total == 1 { "match" } else { "matches" }
    )?;
    terms(out)
}

#[derive(Serialize)]
struct JsonLookup<'a> {
    version: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<&'a serde_json::Value>,
    query: &'a str,
    source_lang: Option<&'a str>,
    target_lang: &'a str,
    min_match: u8,
    matches: Vec<JsonMatch<'a>>,
    sentences: Vec<JsonSentence<'a>>,
    /// Glossary terms found in the query (left out when there are none).
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    terms: &'a [TermPair],
}

/// One sentence of a query of several, with its own matches.
#[derive(Serialize)]
struct JsonSentence<'a> {
    query: &'a str,
    matches: Vec<JsonMatch<'a>>,
}

#[derive(Serialize)]
struct JsonMatch<'a> {
    percent: u8,
    segment: i64,
    level: &'a str,
    source_lang: &'a str,
    target_lang: &'a str,
    document: &'a str,
    label: Option<&'a str>,
    date: String,
    source: &'a str,
    target: &'a str,
    marked: String,
    diff: Vec<DiffPart>,
    formula: JsonFormula,
}

/// The inputs of the match formula (README, "Reuse").
#[derive(Serialize)]
struct JsonFormula {
    exact: bool,
    query_tokens: usize,
    stored_tokens: usize,
    token_edits: usize,
    token_similarity: f64,
    query_chars: usize,
    stored_chars: usize,
    char_edits: usize,
    char_similarity: f64,
    number_edits: usize,
    placeable_edits: usize,
    punctuation_edits: usize,
    accent_differs: bool,
    case_differs: bool,
    penalty: u8,
}

fn formula(s: &MatchScore) -> JsonFormula {
    JsonFormula {
        exact: s.exact,
        query_tokens: s.query_tokens,
        stored_tokens: s.stored_tokens,
        token_edits: s.token_edits,
        token_similarity: round4(s.token_similarity),
        query_chars: s.query_chars,
        stored_chars: s.stored_chars,
        char_edits: s.char_edits,
        char_similarity: round4(s.char_similarity),
        number_edits: s.number_edits,
        placeable_edits: s.placeable_edits,
        punctuation_edits: s.punctuation_edits,
        accent_differs: s.accent_differs,
        case_differs: s.case_differs,
        penalty: s.penalty,
    }
}

fn json_matches<'a>(query: &Prepared, matches: &'a [Match]) -> Vec<JsonMatch<'a>> {
    matches
        .iter()
        .map(|m| {
            let c = &m.candidate;
            let (marked, diff) = marked(query, &c.source);
            JsonMatch {
                percent: m.score.percent,
                segment: c.id,
                level: &c.level,
                source_lang: &c.source_lang,
                target_lang: &c.target_lang,
                document: &c.document,
                label: c.label.as_deref(),
                date: format_time(c.changed),
                source: &c.source,
                target: &c.target,
                marked,
                diff,
                formula: formula(&m.score),
            }
        })
        .collect()
}

/// One JSON object on one line (a batch writes one line per query: JSON lines).
pub(crate) fn write_json(f: &Found, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer(&mut *out, &json_doc(f)).map_err(io::Error::from)?;
    out.write_all(b"\n")
}

/// The lookup contract's object for one query, as JSON text (for `serve`).
pub(crate) fn json_text(f: &Found) -> String {
    serde_json::to_string(&json_doc(f)).unwrap_or_else(|_| "null".into())
}

fn json_doc<'a>(f: &'a Found) -> JsonLookup<'a> {
    let a = f.answer;
    JsonLookup {
        version: 1,
        line: f.line,
        id: f.id,
        query: a.query.norm(),
        source_lang: f.source_lang,
        target_lang: f.target_lang,
        min_match: f.min_match,
        matches: json_matches(&a.query, &a.matches),
        sentences: a
            .sentences
            .iter()
            .map(|(q, ms)| JsonSentence {
                query: q.norm(),
                matches: json_matches(q, ms),
            })
            .collect(),
        terms: f.terms,
    }
}

/// Every answer of a run as text; a batch (--file, --jsonl) heads each with its line.
pub(crate) fn write_text_all(found: &[Found], batch: bool, w: &mut dyn Write) -> io::Result<()> {
    for (k, f) in found.iter().enumerate() {
        if batch {
            if k > 0 {
                writeln!(w)?;
            }
            writeln!(
                w,
                "== line {}: {}",
                f.line.unwrap_or(0),
                terminal_safe(&excerpt(f.answer.query.norm(), 60))
            )?;
        }
        write_text(f, w)?;
    }
    Ok(())
}

/// Every answer of a run as JSON lines, one object per query.
pub(crate) fn write_json_lines(found: &[Found], w: &mut dyn Write) -> io::Result<()> {
    for f in found {
        write_json(f, w)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reuse::{match_score, Candidate};

    fn found_one(out: &mut Vec<u8>, json: bool) {
        let q = Prepared::new("The strike began on 12 March.");
        let m = Match {
            candidate: Candidate {
                id: 7,
                level: "sentence".into(),
                source_lang: "en".into(),
                target_lang: "es".into(),
                source: "The strike began on 11 March.".into(),
                target: "La huelga empezó el 11 de marzo.".into(),
                document: "statement".into(),
                label: Some("1".into()),
                changed: 86_400,
                flags: 0,
            },
            score: match_score(
                "The strike began on 12 March.",
                "The strike began on 11 March.",
            ),
        };
        let a = Answer {
            query: q,
            matches: vec![m],
            sentences: Vec::new(),
        };
        let f = Found {
            answer: &a,
            line: None,
            id: None,
            source_lang: Some("en"),
            target_lang: "es",
            min_match: 50,
            terms: &[],
        };
        if json {
            write_json(&f, out).unwrap();
        } else {
            write_text(&f, out).unwrap();
        }
    }

    #[test]
    fn text_is_exact() {
        let mut v = Vec::new();
        found_one(&mut v, false);
        assert_eq!(
            String::from_utf8(v).unwrap(),
            "98%  en→es  statement ¶1 (sentence, 1970-01-02, segment #7)\n  en: The strike began on [-11-]{+12+} March.\n  es: La huelga empezó el 11 de marzo.\n\n1 match; [-…-] is in the stored source only, {+…+} in yours only\n"
        );
    }

    #[test]
    fn json_is_exact() {
        let mut v = Vec::new();
        found_one(&mut v, true);
        assert_eq!(
            String::from_utf8(v).unwrap(),
            r#"{"version":1,"query":"The strike began on 12 March.","source_lang":"en","target_lang":"es","min_match":50,"matches":[{"percent":98,"segment":7,"level":"sentence","source_lang":"en","target_lang":"es","document":"statement","label":"1","date":"1970-01-02T00:00:00Z","source":"The strike began on 11 March.","target":"La huelga empezó el 11 de marzo.","marked":"The strike began on [-11-]{+12+} March.","diff":[{"op":"same","text":"The strike began on "},{"op":"stored","text":"11"},{"op":"query","text":"12"},{"op":"same","text":" March."}],"formula":{"exact":false,"query_tokens":5,"stored_tokens":5,"token_edits":0,"token_similarity":1.0,"query_chars":25,"stored_chars":25,"char_edits":0,"char_similarity":1.0,"number_edits":1,"placeable_edits":0,"punctuation_edits":0,"accent_differs":false,"case_differs":false,"penalty":2}}],"sentences":[]}
"#
        );
    }
}
