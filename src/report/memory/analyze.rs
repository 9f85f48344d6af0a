//! `analyze`'s report: per target language, the segments (paragraphs) and words of a new
//! document in each match band, as a text table, CSV or JSON (the analysis contract, `version`
//! 1, with each paragraph's best match). Pure writers from the analysis to bytes.

use std::io::{self, Write};

use serde::Serialize;

use crate::reuse::{Analysis, Band};

/// One paragraph's best match in one language.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Best {
    pub lang: String,
    pub percent: Option<u8>,
    pub band: Band,
    pub segment: Option<i64>,
}

/// One paragraph of the analysed document.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Row {
    pub index: usize,
    pub line: usize,
    pub label: Option<String>,
    pub words: usize,
    pub best: Vec<Best>,
}

/// The whole analysis.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Report {
    pub file: String,
    pub source_lang: String,
    pub languages: Vec<Analysis>,
    pub rows: Vec<Row>,
}

fn label(b: Band) -> &'static str {
    match b {
        Band::Exact => "100%",
        Band::Repetition => "repetitions",
        Band::High => "95-99%",
        Band::Good => "85-94%",
        Band::Fair => "75-84%",
        Band::Low => "50-74%",
        Band::NoMatch => "no match",
    }
}

fn percent(part: usize, whole: usize) -> String {
    if whole == 0 {
        return "0.0%".into();
    }
    format!("{:.1}%", 100.0 * part as f64 / whole as f64)
}

pub(crate) fn write_text(r: &Report, out: &mut dyn Write) -> io::Result<()> {
    for (k, a) in r.languages.iter().enumerate() {
        if k > 0 {
            writeln!(out)?;
        }
        writeln!(out, "{} ({}) → {}", r.file, r.source_lang, a.lang)?;
        writeln!(
            out,
            "{:<12} {:>8} {:>8} {:>7}",
            "band", "segments", "words", "words%"
        )?;
        for (b, t) in &a.bands {
            writeln!(
                out,
                "{:<12} {:>8} {:>8} {:>7}",
                label(*b),
                t.segments,
                t.words,
                percent(t.words, a.total.words)
            )?;
        }
        writeln!(
            out,
            "{:<12} {:>8} {:>8} {:>7}",
            "total", a.total.segments, a.total.words, "100.0%"
        )?;
    }
    Ok(())
}

#[derive(Serialize)]
struct JsonAnalysis<'a> {
    version: u32,
    file: &'a str,
    source_lang: &'a str,
    languages: Vec<JsonLang<'a>>,
    paragraphs: &'a [Row],
}

#[derive(Serialize)]
struct JsonLang<'a> {
    lang: &'a str,
    bands: Vec<JsonBand>,
    total: crate::reuse::Tally,
}

#[derive(Serialize)]
struct JsonBand {
    band: Band,
    segments: usize,
    words: usize,
}

pub(crate) fn write_json(r: &Report, out: &mut dyn Write) -> io::Result<()> {
    let doc = JsonAnalysis {
        version: 1,
        file: &r.file,
        source_lang: &r.source_lang,
        languages: r
            .languages
            .iter()
            .map(|a| JsonLang {
                lang: &a.lang,
                bands: a
                    .bands
                    .iter()
                    .map(|(b, t)| JsonBand {
                        band: *b,
                        segments: t.segments,
                        words: t.words,
                    })
                    .collect(),
                total: a.total,
            })
            .collect(),
        paragraphs: &r.rows,
    };
    serde_json::to_writer(&mut *out, &doc).map_err(io::Error::from)?;
    out.write_all(b"\n")
}

pub(crate) fn write_csv(r: &Report, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "lang,band,segments,words")?;
    for a in &r.languages {
        for (b, t) in &a.bands {
            writeln!(out, "{},{},{},{}", a.lang, b.as_str(), t.segments, t.words)?;
        }
        writeln!(
            out,
            "{},total,{},{}",
            a.lang, a.total.segments, a.total.words
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report() -> Report {
        let mut a = Analysis::new("es");
        a.add(Band::Exact, 30);
        a.add(Band::High, 10);
        a.add(Band::Repetition, 10);
        Report {
            file: "new.en.txt".into(),
            source_lang: "en".into(),
            languages: vec![a],
            rows: vec![Row {
                index: 0,
                line: 1,
                label: None,
                words: 30,
                best: vec![Best {
                    lang: "es".into(),
                    percent: Some(100),
                    band: Band::Exact,
                    segment: Some(4),
                }],
            }],
        }
    }

    #[test]
    fn text_is_exact() {
        let mut v = Vec::new();
        write_text(&report(), &mut v).unwrap();
        assert_eq!(
            String::from_utf8(v).unwrap(),
            "new.en.txt (en) → es
band         segments    words  words%
100%                1       30   60.0%
repetitions         1       10   20.0%
95-99%              1       10   20.0%
85-94%              0        0    0.0%
75-84%              0        0    0.0%
50-74%              0        0    0.0%
no match            0        0    0.0%
total               3       50  100.0%
"
        );
    }

    #[test]
    fn csv_and_json_are_exact() {
        let mut v = Vec::new();
        write_csv(&report(), &mut v).unwrap();
        assert_eq!(
            String::from_utf8(v).unwrap(),
            "lang,band,segments,words\nes,100,1,30\nes,repetition,1,10\nes,95-99,1,10\nes,85-94,0,0\nes,75-84,0,0\nes,50-74,0,0\nes,no-match,0,0\nes,total,3,50\n"
        );
        let mut v = Vec::new();
        write_json(&report(), &mut v).unwrap();
        assert_eq!(
            String::from_utf8(v).unwrap(),
            r#"{"version":1,"file":"new.en.txt","source_lang":"en","languages":[{"lang":"es","bands":[{"band":"100","segments":1,"words":30},{"band":"repetition","segments":1,"words":10},{"band":"95-99","segments":1,"words":10},{"band":"85-94","segments":0,"words":0},{"band":"75-84","segments":0,"words":0},{"band":"50-74","segments":0,"words":0},{"band":"no-match","segments":0,"words":0}],"total":{"segments":3,"words":50}}],"paragraphs":[{"index":0,"line":1,"label":null,"words":30,"best":[{"lang":"es","percent":100,"band":"100","segment":4}]}]}
"#
        );
    }
}
