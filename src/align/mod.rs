//! Pairing two paragraph sequences: anchors, the dynamic programme, and the flags.
//!
//! Labels that occur once in each document, and rare tokens (long numbers, links, names) that
//! do, give candidate anchors; those whose content agrees and that form a monotone chain split
//! the documents into segments that the dynamic programme (`dp.rs`) aligns. Paragraphs left
//! over that carry the same label are paired afterwards and flagged `reordered` (`repair.rs`
//! re-pairs the beads); `flags.rs` decides the flags and reasons of every pair. Pure and deterministic: no files, no terminal.

mod anchors;
mod content;
mod context;
mod dp;
mod flags;
mod glossary;
mod inline;
mod language;
mod links;
mod outdated;
mod part;
mod repair;
mod untranslated;
mod words;

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde::Serialize;

use crate::document::Document;
use crate::language::LangTag;
use crate::model::MemoryModel;
use crate::score::{compare, Features, PairModel, Signals};

use words::{add_link_keys, learn_words, lexicon, number_tokens};

pub use context::Thresholds;
pub use glossary::{term_key, Concept, Glossary, TermBase};
pub use outdated::mark_outdated;

/// What a reviewer must see about a pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Flag {
    /// A source paragraph with no translation.
    Missing,
    /// A target paragraph with no source.
    Extra,
    /// The target is the source text, or in the source's language, or in a third language.
    Untranslated,
    /// Paired, but numbers, names, links or length disagree, or the score is low.
    Diverging,
    /// Paired, but the labels disagree.
    Misnumbered,
    /// Paired out of order (by label or strong content), after the target moved it.
    Reordered,
    /// The translation was made from an earlier version of the source paragraph.
    Outdated,
}

impl Flag {
    /// Every flag, in report order.
    pub const ALL: [Flag; 7] = [
        Flag::Missing,
        Flag::Extra,
        Flag::Untranslated,
        Flag::Diverging,
        Flag::Misnumbered,
        Flag::Reordered,
        Flag::Outdated,
    ];

    /// The flag's name as in the JSON contract.
    pub fn as_str(self) -> &'static str {
        match self {
            Flag::Missing => "missing",
            Flag::Extra => "extra",
            Flag::Untranslated => "untranslated",
            Flag::Diverging => "diverging",
            Flag::Misnumbered => "misnumbered",
            Flag::Reordered => "reordered",
            Flag::Outdated => "outdated",
        }
    }

    /// Parse a flag name.
    pub fn parse(s: &str) -> Option<Flag> {
        Flag::ALL.into_iter().find(|f| f.as_str() == s.trim())
    }
}

/// Why a pair was flagged (what lowered its score).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Reason {
    /// A number on either side that the other lacks or writes differently.
    Numbers,
    /// The length ratio is far from the document pair's.
    Length,
    /// Names of the source are not found in the target.
    Names,
    /// Links or e-mail addresses differ.
    Links,
    /// The score is low.
    LowScore,
    /// The words say the target translates another paragraph of the document, or only a part
    /// of its source.
    Content,
    /// The target is the source text.
    SameText,
    /// The target is written in the source's language.
    SameLanguage,
    /// The target is written in a third language.
    WrongLanguage,
    /// The labels disagree.
    Label,
    /// The source paragraph changed after the translation was made.
    SourceChanged,
    /// Placeholders, format specifiers or keyboard shortcuts differ (`{name}`, `%d`, `Ctrl+S`).
    Placeholders,
    /// Inline code differs (`` `npm install` ``).
    Code,
    /// Markup tags differ (`<b>`, `<kbd>`).
    Tags,
    /// A glossary term of the source whose agreed translation the target lacks.
    Term,
}

impl Reason {
    /// The reason's code as in the JSON contract.
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::Numbers => "numbers",
            Reason::Length => "length",
            Reason::Names => "names",
            Reason::Links => "links",
            Reason::LowScore => "low-score",
            Reason::Content => "content",
            Reason::SameText => "same-text",
            Reason::SameLanguage => "same-language",
            Reason::WrongLanguage => "wrong-language",
            Reason::Label => "label",
            Reason::SourceChanged => "source-changed",
            Reason::Placeholders => "placeholders",
            Reason::Code => "code",
            Reason::Tags => "tags",
            Reason::Term => "term",
        }
    }
}

/// A remark on a pair that is no finding: it never fails a check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Note {
    /// The target is the source as written, and rightly so: code, a command line, a path,
    /// names or a short term, the same in every language.
    Identical,
}

/// One aligned unit: source and target paragraph indices (either side may be empty).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Pair {
    /// 0-based source paragraph indices.
    pub source: Vec<usize>,
    /// 0-based target paragraph indices.
    pub target: Vec<usize>,
    /// The likelihood that the two are translations, None when a side is empty.
    #[serde(serialize_with = "crate::score::round3_opt")]
    pub score: Option<f64>,
    /// Flags, in a fixed order.
    pub flags: Vec<Flag>,
    /// Reasons, in a fixed order.
    pub reasons: Vec<Reason>,
    /// The evidence behind the score.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signals: Option<Signals>,
    /// Remarks that are no findings (`identical`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<Note>,
}

/// Counts of a target's pairs by flag.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Pairs with both sides.
    pub pairs: usize,
    /// Source paragraphs with no translation.
    pub missing: usize,
    /// Target paragraphs with no source.
    pub extra: usize,
    /// Pairs flagged untranslated.
    pub untranslated: usize,
    /// Pairs flagged diverging.
    pub diverging: usize,
    /// Pairs flagged misnumbered.
    pub misnumbered: usize,
    /// Pairs flagged reordered.
    pub reordered: usize,
    /// Pairs flagged outdated (only with a memory).
    #[serde(skip_serializing_if = "is_zero")]
    pub outdated: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// The alignment of one target version with its source.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Alignment {
    /// The pairs in source order.
    pub pairs: Vec<Pair>,
    /// The model of the document pair (length ratio, lexical overlap) estimated from it.
    pub model: PairModel,
}

impl Alignment {
    /// Counts by flag.
    pub fn counts(&self) -> Counts {
        let mut c = Counts::default();
        for p in &self.pairs {
            if !p.source.is_empty() && !p.target.is_empty() {
                c.pairs += 1;
            }
            for f in &p.flags {
                match f {
                    Flag::Missing => c.missing += p.source.len(),
                    Flag::Extra => c.extra += p.target.len(),
                    Flag::Untranslated => c.untranslated += 1,
                    Flag::Diverging => c.diverging += 1,
                    Flag::Misnumbered => c.misnumbered += 1,
                    Flag::Reordered => c.reordered += 1,
                    Flag::Outdated => c.outdated += 1,
                }
            }
        }
        c
    }

    /// Share of source paragraphs paired with a target paragraph not flagged untranslated.
    pub fn coverage(&self, source_paragraphs: usize) -> f64 {
        if source_paragraphs == 0 {
            return 1.0;
        }
        let covered: usize = self
            .pairs
            .iter()
            .filter(|p| !p.target.is_empty() && !p.flags.contains(&Flag::Untranslated))
            .map(|p| p.source.len())
            .sum();
        covered as f64 / source_paragraphs as f64
    }
}

/// Settings of an alignment.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The source's language, when known.
    pub source_lang: Option<LangTag>,
    /// The target's language, when known.
    pub target_lang: Option<LangTag>,
    /// Where signals turn into flags.
    pub thresholds: Thresholds,
    /// Keep the signals behind each score in the pairs.
    pub signals: bool,
    /// The glossary of this language pair: a source term whose agreed translation the target
    /// lacks makes the pair `diverging` (reason `term`). Shared by the targets of a run.
    pub glossary: Option<std::sync::Arc<Glossary>>,
    /// The memory's word model of this language pair: a prior for the document pair's model,
    /// and the model alone when the documents are too short to learn one.
    pub memory: Option<std::sync::Arc<MemoryModel>>,
}

/// Align a target document with its source.
pub fn align(source: &Document, target: &Document, opts: &Options) -> Alignment {
    let (sf, tf) = both(
        || Features::of_all(&source.paragraphs),
        || Features::of_all(&target.paragraphs),
    );
    align_owned_features(source, target, sf, tf, opts)
}

/// [`align_features`] with features the caller gives up: none is copied (the last target
/// of a source takes the source's features).
pub fn align_owned_features(
    source: &Document,
    target: &Document,
    sf: Vec<Features>,
    tf: Vec<Features>,
    opts: &Options,
) -> Alignment {
    align_cow(source, target, Cow::Owned(sf), Cow::Owned(tf), opts)
}

/// Run two jobs at once (the source's side and the target's), the second on another thread.
fn both<A: Send, B: Send>(a: impl FnOnce() -> A + Send, b: impl FnOnce() -> B + Send) -> (A, B) {
    std::thread::scope(|s| {
        let other = s.spawn(b);
        let a = a();
        let b = other
            .join()
            .unwrap_or_else(|e| std::panic::resume_unwind(e));
        (a, b)
    })
}

/// Align with features already extracted (callers that align one source with many targets
/// extract the source's once).
pub fn align_features(
    source: &Document,
    target: &Document,
    sf: &[Features],
    tf: &[Features],
    opts: &Options,
) -> Alignment {
    align_cow(source, target, Cow::Borrowed(sf), Cow::Borrowed(tf), opts)
}

/// [`align_features`] with features it may own (and then extend without copying them).
fn align_cow(
    source: &Document,
    target: &Document,
    sf: Cow<[Features]>,
    tf: Cow<[Features]>,
    opts: &Options,
) -> Alignment {
    let sl: Vec<Option<&str>> = source
        .paragraphs
        .iter()
        .map(|p| p.label.as_ref().map(|l| l.path.as_str()))
        .collect();
    let tl: Vec<Option<&str>> = target
        .paragraphs
        .iter()
        .map(|p| p.label.as_ref().map(|l| l.path.as_str()))
        .collect();
    let total_s: u64 = sf.iter().map(|f| f.chars as u64).sum();
    let total_t: u64 = tf.iter().map(|f| f.chars as u64).sum();
    let mut sides = dp::Sides {
        source: &sf,
        target: &tf,
        source_labels: &sl,
        target_labels: &tl,
        model: PairModel::from_totals(total_s, total_t, (sf.len(), tf.len())),
    };
    let windows = anchors::windows(&sides, anchors::anchors(&sides));
    let anchors = windows.anchors;
    let lengths: Vec<(u32, u32)> = anchors
        .iter()
        .map(|&(i, j)| (sf[i].chars, tf[j].chars))
        .collect();
    let refined_early = if let Some(m) = PairModel::from_pairs(&lengths) {
        sides.model = m;
        true
    } else {
        false
    };
    let mut beads = run_with(&sides, &anchors, &windows.aligned);
    if !refined_early {
        let lengths: Vec<(u32, u32)> = beads
            .iter()
            .filter(|b| b.s == 1 && b.t == 1)
            .map(|b| (sf[b.i].chars, tf[b.j].chars))
            .collect();
        if let Some(m) = PairModel::from_pairs(&lengths) {
            let moved = (m.mu - sides.model.mu).abs() > 0.05
                || (m.sigma / sides.model.sigma - 1.0).abs() > 0.3;
            sides.model = m;
            if moved {
                beads = run(&sides, &anchors);
            }
        }
    }
    // The lexical overlap of this document pair, from the alignment just made: aligned pairs
    // against the same paragraphs paired with ones far away. It judges the pairs' content.
    let mut model = sides.model.clone();
    model.lexicon = lexicon(&sf, &tf, &beads);
    // Where spellings share nothing, words linked by the first alignment stand in for them.
    let (mut sf, mut tf) = (sf, tf);
    if model.lexicon.is_none() && add_link_keys(&mut sf, &mut tf, &beads) {
        model.lexicon = lexicon(&sf, &tf, &beads);
    }
    // The word model, learned from the pairs just made (cross-fitted: see `model`).
    learn_words(&mut model, &mut sf, &mut tf, &beads, opts.memory.as_deref());
    // A second pass, near the first, that weighs the words the pairs share.
    if model.lexicon.is_some() || model.coverage.is_some() {
        let sides = dp::Sides {
            source: &sf,
            target: &tf,
            source_labels: &sl,
            target_labels: &tl,
            model: model.clone(),
        };
        beads = refine(&sides, &anchors, &beads);
    }
    let pairs = flags::pairs(source, target, &sf, &tf, &model, &beads, opts);
    Alignment { pairs, model }
}

/// Pair two documents whose pairing is known (the units of an XLIFF file): `links` gives,
/// in source order, each source paragraph with its target paragraph or none (a unit with no
/// translation). No paragraph is moved; each pair is judged as [`align_features`] judges its
/// pairs, with the document pair's model learned from these pairs.
pub fn align_linked(
    source: &Document,
    target: &Document,
    links: &[(usize, Option<usize>)],
    opts: &Options,
) -> Alignment {
    let sf: Cow<[Features]> = Cow::Owned(Features::of_all(&source.paragraphs));
    let tf: Cow<[Features]> = Cow::Owned(Features::of_all(&target.paragraphs));
    let mut next_j = 0;
    let beads: Vec<dp::Bead> = links
        .iter()
        .map(|&(i, j)| {
            let b = dp::Bead {
                i,
                j: j.unwrap_or(next_j),
                s: 1,
                t: usize::from(j.is_some()),
            };
            next_j = b.j + b.t;
            b
        })
        .collect();
    let total_s: u64 = sf.iter().map(|f| f.chars as u64).sum();
    let total_t: u64 = tf.iter().map(|f| f.chars as u64).sum();
    let mut model = PairModel::from_totals(total_s, total_t, (sf.len(), tf.len()));
    let lengths: Vec<(u32, u32)> = beads
        .iter()
        .filter(|b| b.t == 1)
        .map(|b| (sf[b.i].chars, tf[b.j].chars))
        .collect();
    if let Some(m) = PairModel::from_pairs(&lengths) {
        model = m;
    }
    model.lexicon = lexicon(&sf, &tf, &beads);
    let (mut sf, mut tf) = (sf, tf);
    if model.lexicon.is_none() && add_link_keys(&mut sf, &mut tf, &beads) {
        model.lexicon = lexicon(&sf, &tf, &beads);
    }
    learn_words(&mut model, &mut sf, &mut tf, &beads, opts.memory.as_deref());
    let raw: Vec<repair::RawPair> = links
        .iter()
        .map(|&(i, j)| repair::RawPair::new(vec![i], j.into_iter().collect()))
        .collect();
    let pairs = flags::judge(source, target, &sf, &tf, &model, &raw, opts);
    Alignment { pairs, model }
}

/// The evidence for any one-to-one pairs `(source index, target index)` of two documents under
/// the model an alignment of them learned: how the score tells translations from other pairs.
pub fn pair_signals(
    source: &Document,
    target: &Document,
    model: &PairModel,
    pairs: &[(usize, usize)],
) -> Vec<Signals> {
    let mut sf = Features::of_all(&source.paragraphs);
    let mut tf = Features::of_all(&target.paragraphs);
    if let Some(words) = &model.words {
        number_tokens(words, &mut sf, &mut tf);
    }
    pairs
        .iter()
        .map(|&(i, j)| compare(model, &[&sf[i]], &[&tf[j]], true))
        .collect()
}

/// The second pass, with the lexicon in `sides.model`: every stretch between anchors
/// realigned near the path the first pass found in it (see [`dp::realign_segment`]).
fn refine(sides: &dp::Sides, anchors: &[(usize, usize)], beads: &[dp::Bead]) -> Vec<dp::Bead> {
    let bounds = bounds(sides, anchors);
    // The first pass's beads of each segment.
    let mut paths = Vec::with_capacity(bounds.len());
    let mut k = 0;
    for w in bounds.windows(2) {
        let (s1, t1) = w[1];
        let start = k;
        while k < beads.len() && beads[k].i + beads[k].s <= s1 && beads[k].j + beads[k].t <= t1 {
            k += 1;
        }
        paths.push(&beads[start..k]);
    }
    per_segment(&bounds, |x, (start, end)| {
        anchors::realign_between_sure(sides, start, end, paths[x])
    })
}

/// The corners of the segments that the anchors cut both documents into: the start, each
/// anchor, the end.
fn bounds(sides: &dp::Sides, anchors: &[(usize, usize)]) -> Vec<(usize, usize)> {
    let mut bounds: Vec<(usize, usize)> = vec![(0, 0)];
    bounds.extend(anchors.iter().copied().filter(|&(i, j)| i > 0 || j > 0));
    bounds.push((sides.source.len(), sides.target.len()));
    bounds
}

/// Align every segment between anchors.
fn run(sides: &dp::Sides, anchors: &[(usize, usize)]) -> Vec<dp::Bead> {
    run_with(sides, anchors, &BTreeMap::new())
}

/// [`run`], taking the beads of the segments the windows aligned already (keyed by their first
/// corner, with their last) as they are.
fn run_with(
    sides: &dp::Sides,
    anchors: &[(usize, usize)],
    aligned: &anchors::Aligned,
) -> Vec<dp::Bead> {
    per_segment(&bounds(sides, anchors), |_, (start, end)| {
        match aligned.get(&start) {
            Some((last, beads)) if *last == end => beads.clone(),
            _ => dp::align_segment(sides, start.0, end.0, start.1, end.1),
        }
    })
}

/// Below this many paragraphs in all, segments are aligned on one thread.
const PARALLEL_FROM: usize = 4096;

/// The beads of every segment between consecutive `bounds`, in order: `align(x, (start, end))`
/// aligns segment `x`. Segments are independent, so long documents share them out over the
/// cores in contiguous runs of about equal size (in paragraphs); the result is the same.
fn per_segment<F>(bounds: &[(usize, usize)], align: F) -> Vec<dp::Bead>
where
    F: Fn(usize, ((usize, usize), (usize, usize))) -> Vec<dp::Bead> + Sync,
{
    let segments: Vec<_> = bounds.windows(2).map(|w| (w[0], w[1])).collect();
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(8);
    let (s_end, t_end) = bounds.last().copied().unwrap_or((0, 0));
    let total = s_end + t_end;
    let serial = |range: std::ops::Range<usize>| -> Vec<dp::Bead> {
        range.flat_map(|x| align(x, segments[x])).collect()
    };
    if threads < 2 || total < PARALLEL_FROM || segments.len() < 2 {
        return serial(0..segments.len());
    }
    // Cut the segments into runs of about total / threads paragraphs each.
    let mut cuts = vec![0];
    for (x, &(_, (s1, t1))) in segments.iter().enumerate() {
        if (s1 + t1) * threads >= total * cuts.len() && x + 1 < segments.len() {
            cuts.push(x + 1);
        }
    }
    cuts.push(segments.len());
    std::thread::scope(|scope| {
        let handles: Vec<_> = cuts
            .windows(2)
            .map(|c| {
                let serial = &serial;
                let range = c[0]..c[1];
                scope.spawn(move || serial(range))
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    })
}
