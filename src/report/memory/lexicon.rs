//! `lexicon`'s view of the word model: what it learned from the memory's segments of one
//! language pair, word by word, with the glossary's terms beside it; as text or JSON (the
//! lexicon contract, `version` 1). Pure writers from what `cli` gathered to bytes.

use std::io::Write;

use serde::Serialize;

use crate::report::terminal_safe;

/// One word as shown: what was learned, and the glossary's terms for it.
#[derive(Serialize)]
pub(crate) struct Shown<'a> {
    pub word: &'a str,
    /// None when the memory taught nothing for the word.
    pub learned: Option<Learned<'a>>,
    pub glossary: Vec<String>,
    /// What the memory's word model (trained by imports) keeps for the word.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub memory: Vec<MemoryTranslation>,
}

/// A translation the memory's word model keeps (its target word as the segments write it).
#[derive(Serialize)]
pub(crate) struct MemoryTranslation {
    pub word: String,
    pub probability: f64,
}

#[derive(Serialize)]
pub(crate) struct Learned<'a> {
    /// The word as the model knows it (its most frequent form).
    pub form: &'a str,
    pub pairs: usize,
    pub translations: Vec<ShownTranslation<'a>>,
}

#[derive(Serialize)]
pub(crate) struct ShownTranslation<'a> {
    pub word: &'a str,
    pub probability: f64,
    pub together: usize,
}

/// The JSON document (version 1; fields are only ever added).
#[derive(Serialize)]
struct Json<'a> {
    version: u32,
    lexicon: &'a Head,
    words: &'a [Shown<'a>],
}

/// What the lexicon was learned from.
#[derive(Serialize)]
pub(crate) struct Head {
    pub source_lang: String,
    pub target_lang: String,
    /// Pairs learned from (at most `model::lexicon::MAX_PAIRS` of the segments).
    pub pairs: usize,
    /// Sound segments of the language pair in the memory.
    pub segments: usize,
    /// Whether an even sample of them was read (more than `model::lexicon::MAX_PAIRS`).
    pub sampled: bool,
    pub memory: String,
}

/// The JSON document, pretty-printed (the lexicon contract, `version` 1).
pub(crate) fn write_json(w: &mut dyn Write, head: &Head, shown: &[Shown]) -> std::io::Result<()> {
    let doc = Json {
        version: 1,
        lexicon: head,
        words: shown,
    };
    serde_json::to_writer_pretty(&mut *w, &doc)?;
    writeln!(w)
}

pub(crate) fn write_text(w: &mut dyn Write, head: &Head, shown: &[Shown]) -> std::io::Result<()> {
    let from = if head.sampled {
        format!(
            "{} of {} segments (an even sample)",
            head.pairs, head.segments
        )
    } else if head.pairs < head.segments {
        format!(
            "{} segments ({} without words)",
            head.pairs,
            head.segments - head.pairs
        )
    } else {
        format!("{} segments", head.pairs)
    };
    writeln!(
        w,
        "{} → {}: learned from {from} in {}",
        head.source_lang, head.target_lang, head.memory
    )?;
    if head.pairs == 0 {
        writeln!(
            w,
            "  (no sound segment of this language pair to learn from)"
        )?;
    }
    let width = shown
        .iter()
        .map(|s| crate::text::width(s.word))
        .max()
        .unwrap_or(0);
    for s in shown {
        let word = terminal_safe(s.word);
        let mut line = format!("  {}", crate::text::pad_right(&word, width));
        match &s.learned {
            Some(l) => {
                let unit = if l.pairs == 1 {
                    "segment: "
                } else {
                    "segments:"
                };
                line.push_str(&format!("  in {:>5} {unit}", l.pairs));
                for t in &l.translations {
                    line.push_str(&format!(
                        "  {} {:.2} ({})",
                        terminal_safe(t.word),
                        t.probability,
                        t.together
                    ));
                }
            }
            None => line.push_str("  nothing learned"),
        }
        writeln!(w, "{}", line.trim_end())?;
        if !s.memory.is_empty() {
            let shown: Vec<String> = s
                .memory
                .iter()
                .map(|m| format!("{} {:.2}", terminal_safe(&m.word), m.probability))
                .collect();
            writeln!(w, "  {}  memory: {}", " ".repeat(width), shown.join(", "))?;
        }
        for g in &s.glossary {
            writeln!(w, "  {}  glossary: {}", " ".repeat(width), terminal_safe(g))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_header_says_what_was_learned_from() {
        let head = |pairs, segments, sampled| Head {
            source_lang: "en".into(),
            target_lang: "es".into(),
            pairs,
            segments,
            sampled,
            memory: "m.sqlite".into(),
        };
        let text = |h: Head| {
            let mut out = Vec::new();
            write_text(&mut out, &h, &[]).unwrap();
            String::from_utf8(out).unwrap()
        };
        assert_eq!(
            text(head(50_000, 60_000, true)),
            "en → es: learned from 50000 of 60000 segments (an even sample) in m.sqlite\n"
        );
        assert_eq!(
            text(head(2433, 2644, false)),
            "en → es: learned from 2433 segments (211 without words) in m.sqlite\n"
        );
        assert_eq!(
            text(head(0, 0, false)),
            "en → es: learned from 0 segments in m.sqlite\n  (no sound segment of this language pair to learn from)\n"
        );
    }
}
