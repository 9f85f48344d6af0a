//! Leverage bands: how much of a new document the memory already translates, in the bands a
//! project manager prices by (100, 95-99, 85-94, 75-84, 50-74, no match) plus repetitions
//! inside the document. Pure: counts in, counts out.

use serde::Serialize;

/// A band of match percentages, or a repetition inside the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum Band {
    /// 100%: the same text is in the memory.
    #[serde(rename = "100")]
    Exact,
    /// A repetition: the same text came earlier in this document (and is no 100% match).
    #[serde(rename = "repetition")]
    Repetition,
    /// 95-99%.
    #[serde(rename = "95-99")]
    High,
    /// 85-94%.
    #[serde(rename = "85-94")]
    Good,
    /// 75-84%.
    #[serde(rename = "75-84")]
    Fair,
    /// 50-74%.
    #[serde(rename = "50-74")]
    Low,
    /// Below 50%, or nothing in the memory.
    #[serde(rename = "no-match")]
    NoMatch,
}

impl Band {
    /// Every band, in report order.
    pub const ALL: [Band; 7] = [
        Band::Exact,
        Band::Repetition,
        Band::High,
        Band::Good,
        Band::Fair,
        Band::Low,
        Band::NoMatch,
    ];

    /// The band of a match percentage (None: no candidate at all).
    pub fn of(percent: Option<u8>) -> Band {
        match percent {
            Some(100) => Band::Exact,
            Some(95..=99) => Band::High,
            Some(85..=94) => Band::Good,
            Some(75..=84) => Band::Fair,
            Some(50..=74) => Band::Low,
            _ => Band::NoMatch,
        }
    }

    /// The band's name in reports and in the JSON and CSV contracts.
    pub fn as_str(self) -> &'static str {
        match self {
            Band::Exact => "100",
            Band::Repetition => "repetition",
            Band::High => "95-99",
            Band::Good => "85-94",
            Band::Fair => "75-84",
            Band::Low => "50-74",
            Band::NoMatch => "no-match",
        }
    }

    fn index(self) -> usize {
        Band::ALL.iter().position(|&b| b == self).unwrap_or(0)
    }
}

/// Segments and words in one band.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Tally {
    /// Segments (paragraphs of the document).
    pub segments: usize,
    /// Words (and numbers) in them.
    pub words: usize,
}

/// One target language's analysis of a document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Analysis {
    /// The target language.
    pub lang: String,
    /// Tallies by band, in [`Band::ALL`] order.
    pub bands: Vec<(Band, Tally)>,
    /// Every band together.
    pub total: Tally,
}

impl Analysis {
    /// An empty analysis.
    pub fn new(lang: &str) -> Analysis {
        Analysis {
            lang: lang.to_string(),
            bands: Band::ALL.iter().map(|&b| (b, Tally::default())).collect(),
            total: Tally::default(),
        }
    }

    /// Count one segment.
    pub fn add(&mut self, band: Band, words: usize) {
        let t = &mut self.bands[band.index()].1;
        t.segments += 1;
        t.words += words;
        self.total.segments += 1;
        self.total.words += words;
    }

    /// The tally of a band.
    pub fn tally(&self, band: Band) -> Tally {
        self.bands[band.index()].1
    }
}

/// The band of each segment of a document, given its best match percentage and a key of its
/// normalised text: a segment whose text came earlier and that is no 100% match is a repetition.
pub fn assign<'a>(segments: impl IntoIterator<Item = (&'a str, Option<u8>)>) -> Vec<Band> {
    let mut seen = std::collections::HashSet::new();
    segments
        .into_iter()
        .map(|(key, pct)| {
            let first = seen.insert(key);
            match Band::of(pct) {
                Band::Exact => Band::Exact,
                _ if !first => Band::Repetition,
                b => b,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bands_and_repetitions() {
        assert_eq!(Band::of(Some(100)), Band::Exact);
        assert_eq!(Band::of(Some(99)), Band::High);
        assert_eq!(Band::of(Some(95)), Band::High);
        assert_eq!(Band::of(Some(94)), Band::Good);
        assert_eq!(Band::of(Some(75)), Band::Fair);
        assert_eq!(Band::of(Some(50)), Band::Low);
        assert_eq!(Band::of(Some(49)), Band::NoMatch);
        assert_eq!(Band::of(None), Band::NoMatch);
        let got = assign([
            ("a", Some(100)),
            ("b", Some(60)),
            ("a", Some(100)),
            ("b", Some(60)),
            ("c", None),
            ("c", None),
        ]);
        use Band::*;
        assert_eq!(got, [Exact, Low, Exact, Repetition, NoMatch, Repetition]);
        let mut a = Analysis::new("es");
        a.add(Exact, 10);
        a.add(Repetition, 3);
        a.add(Repetition, 4);
        assert_eq!(
            a.tally(Repetition),
            Tally {
                segments: 2,
                words: 7
            }
        );
        assert_eq!(a.total.words, 17);
    }
}
