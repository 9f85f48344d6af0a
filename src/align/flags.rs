//! From beads to flagged pairs: re-pairing reordered paragraphs, and the flags and reasons of
//! every pair. The thresholds that turn signals into flags are data in [`Thresholds`].

use crate::document::{BlockKind, Document, Paragraph};
use crate::language::{
    close_relatives, detect, detect_among, detectable, script_for, script_is_fixed, script_of,
    script_share, third_language_possible, weighted_letters, LangTag,
};
use crate::score::{compare, score, without_links, Features, PairModel, Signals};

use crate::model::{tokens, MixHasher, MixMap, Side};

use super::content::{cut_short, only_a_part, repeated, translates_another};
use super::dp::Bead;
use super::inline;
use super::repair::{self, RawPair};
use super::untranslated::{self, Verdict};
use super::{Flag, Note, Options, Pair, Reason};

/// Where signals turn into flags.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Thresholds {
    /// A pair scoring below this is `diverging` with reason `low-score`.
    pub low_score: f64,
    /// A length ratio this many spreads from the expected one, and
    pub length_z: f64,
    /// this many times longer or shorter than expected, is reason `length`.
    pub length_factor: f64,
    /// Fewer letters than this and a paragraph's language is not judged.
    pub min_letters: usize,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            low_score: 0.2,
            length_z: 3.0,
            length_factor: 1.8,
            min_letters: 30,
        }
    }
}

/// What judging a pair needs.
#[derive(Clone, Copy)]
pub(super) struct Context<'a> {
    pub(super) source: &'a Document,
    pub(super) target: &'a Document,
    pub(super) sf: &'a [Features],
    pub(super) tf: &'a [Features],
    pub(super) model: &'a PairModel,
    pub(super) opts: &'a Options,
    /// Per target paragraph, how at home its short words are in the rest of its document.
    pub(super) home: &'a [f64],
    /// Per target paragraph, whether its text (20 characters or more) stands elsewhere in the
    /// target too.
    pub(super) repeated: &'a [bool],
}

/// How at home each paragraph's short words (four letters or fewer: mostly function words) are
/// in the rest of its document: the share of them found in two other paragraphs or more. A
/// paragraph in another language than its document's scores low. 0 (always look further) where
/// a document is too short to tell or its script writes no spaces.
fn at_home(doc: &Document) -> Vec<f64> {
    use std::hash::{Hash, Hasher};
    if doc.paragraphs.len() < 8 {
        return vec![0.0; doc.paragraphs.len()];
    }
    // Each paragraph's short words, lower-cased and hashed (no allocation per word).
    let short = |p: &Paragraph| -> Vec<u64> {
        let mut out = Vec::new();
        for w in p.body().split(|c: char| !c.is_alphabetic()) {
            let n = w.chars().count();
            if (1..=4).contains(&n) {
                let mut h = MixHasher::default();
                for c in w.chars().flat_map(char::to_lowercase) {
                    c.hash(&mut h);
                }
                out.push(h.finish());
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    };
    let words: Vec<Vec<u64>> = doc.paragraphs.iter().map(short).collect();
    let mut df: MixMap<u64, usize> = MixMap::default();
    for ws in &words {
        for w in ws {
            *df.entry(*w).or_default() += 1;
        }
    }
    words
        .iter()
        .map(|ws| {
            if ws.len() < 4 {
                return 0.0;
            }
            let home = ws
                .iter()
                .filter(|w| df.get(w).copied().unwrap_or(0) >= 3)
                .count();
            home as f64 / ws.len() as f64
        })
        .collect()
}

/// Turn beads into flagged pairs.
pub(super) fn pairs(
    source: &Document,
    target: &Document,
    sf: &[Features],
    tf: &[Features],
    model: &PairModel,
    beads: &[Bead],
    opts: &Options,
) -> Vec<Pair> {
    let raw = repair::repair(source, target, sf, tf, model, beads);
    judge(source, target, sf, tf, model, &raw, opts)
}

/// Flag pairs as they are, none moved.
pub(super) fn judge(
    source: &Document,
    target: &Document,
    sf: &[Features],
    tf: &[Features],
    model: &PairModel,
    raw: &[RawPair],
    opts: &Options,
) -> Vec<Pair> {
    let home = at_home(target);
    let repeated = repeated(target, tf);
    let cx = Context {
        source,
        target,
        sf,
        tf,
        model,
        opts,
        home: &home,
        repeated: &repeated,
    };
    // Judging a pair (language detection above all) is the costly part: on every core.
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(8);
    let chunk = raw.len().div_ceil(threads).max(256);
    std::thread::scope(|scope| {
        let handles: Vec<_> = raw
            .chunks(chunk)
            .map(|part| {
                let cx = &cx;
                scope.spawn(move || {
                    part.iter()
                        .map(|r| flag(cx, r.source.clone(), r.target.clone(), r.reordered))
                        .collect::<Vec<Pair>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    })
}

/// Judge one pair: its flags, its reasons and its score.
fn flag(cx: &Context, s: Vec<usize>, t: Vec<usize>, reordered: bool) -> Pair {
    if t.is_empty() {
        return unpaired(s, t, Flag::Missing);
    }
    if s.is_empty() {
        return unpaired(s, t, Flag::Extra);
    }
    let Context {
        source,
        target,
        sf,
        tf,
        model,
        opts,
        ..
    } = *cx;
    let mut flags = Vec::new();
    let mut reasons = Vec::new();
    let src: Vec<&Features> = s.iter().map(|&i| &sf[i]).collect();
    let tgt: Vec<&Features> = t.iter().map(|&j| &tf[j]).collect();
    let mut sig = compare(model, &src, &tgt, true);
    let sc = score(&sig);

    let texts = [
        joined(&source.paragraphs, &s),
        joined(&target.paragraphs, &t),
    ];
    let prose = t.iter().any(|&j| {
        !matches!(
            target.paragraphs[j].kind,
            BlockKind::Code | BlockKind::Separator
        )
    });
    let verdict = translated(cx, &t, &texts, prose);
    let mut notes = Vec::new();
    if verdict == Verdict::Identical {
        notes.push(Note::Identical);
    }
    if let Verdict::Untranslated(r) = verdict {
        flags.push(Flag::Untranslated);
        reasons.push(r);
    } else {
        let diverging = diverging(cx, (&s, &t), &texts, prose, &mut sig, sc);
        if !diverging.is_empty() {
            flags.push(Flag::Diverging);
            reasons.extend(diverging);
        }
    }
    let sl = source.paragraphs[s[0]].label.as_ref();
    let tl = target.paragraphs[t[0]].label.as_ref();
    if let (Some(a), Some(b)) = (sl, tl) {
        if a.path != b.path {
            flags.push(Flag::Misnumbered);
            reasons.push(Reason::Label);
        }
    }
    if reordered {
        flags.push(Flag::Reordered);
    }
    flags.sort();
    reasons.sort();
    reasons.dedup();
    Pair {
        source: s,
        target: t,
        score: Some(sc),
        flags,
        reasons,
        signals: opts.signals.then_some(sig),
        notes,
    }
}

/// A pair with one side empty: `missing` or `extra`, nothing else to judge.
fn unpaired(s: Vec<usize>, t: Vec<usize>, flag: Flag) -> Pair {
    Pair {
        source: s,
        target: t,
        score: None,
        flags: vec![flag],
        reasons: Vec::new(),
        signals: None,
        notes: Vec::new(),
    }
}

/// Whether target paragraphs `t` are translated (`texts`: both sides' bodies joined): judged
/// only where they hold prose, as code and separators are compared as they are.
fn translated(cx: &Context, t: &[usize], texts: &[String; 2], prose: bool) -> Verdict {
    if !prose {
        return Verdict::Translated;
    }
    let home = t.iter().map(|&j| cx.home[j]).fold(1.0, f64::min);
    untranslated::judge(
        &texts[0],
        &texts[1],
        cx.opts.source_lang.as_ref(),
        cx.opts.target_lang.as_ref(),
        &cx.opts.thresholds,
        home,
    )
}

/// The reasons a translated pair diverges (`texts`: both sides' bodies joined): its signals,
/// its content (for a one-to-one pair), and in prose its inline codes and glossary terms.
/// Fills the glossary terms and the unmatched words of `sig` where they are reasons.
fn diverging(
    cx: &Context,
    (s, t): (&[usize], &[usize]),
    texts: &[String; 2],
    prose: bool,
    sig: &mut Signals,
    sc: f64,
) -> Vec<Reason> {
    let (source, target, opts) = (cx.source, cx.target, cx.opts);
    let [src_text, tgt_text] = texts;
    let mut diverging = divergence(sig, sc, cx.model, &opts.thresholds);
    if diverging.is_empty()
        && s.len() == 1
        && t.len() == 1
        && (translates_another(cx, s[0], t[0], sc)
            || only_a_part(cx, sig)
            || cut_short(cx, s[0], t[0], sig))
    {
        diverging.push(Reason::Content);
    }
    if prose {
        let targets = |doc: &Document, idx: &[usize]| -> Vec<String> {
            idx.iter()
                .flat_map(|&i| doc.paragraphs[i].targets.iter().cloned())
                .collect()
        };
        diverging.extend(inline::differences(
            src_text,
            &targets(source, s),
            tgt_text,
            &targets(target, t),
        ));
        if let Some(g) = &opts.glossary {
            let missing = g.missing(src_text, tgt_text);
            if !missing.is_empty() {
                diverging.push(Reason::Term);
                sig.terms_not_in_target = missing;
            }
        }
    }
    if diverging.contains(&Reason::LowScore) || diverging.contains(&Reason::Content) {
        unmatched_words(cx, s, t, sig);
    }
    diverging
}

fn joined(paragraphs: &[Paragraph], idx: &[usize]) -> String {
    idx.iter()
        .map(|&i| paragraphs[i].body())
        .collect::<Vec<_>>()
        .join(" ")
}

/// A paragraph with at least this share of its words in its language's script is not left
/// in another language (see [`language_issue`]).
const OWN_SCRIPT_SHARE: f64 = 1.0 / 3.0;

/// Fill `sig` with the content words of each side whose translations the other side lacks
/// (what a reviewer reads first in a pair that diverges on its content).
fn unmatched_words(cx: &Context, s: &[usize], t: &[usize], sig: &mut Signals) {
    let Some(words) = &cx.model.words else {
        return;
    };
    let fold = cx.sf[s[0]].fold;
    let src: Vec<&[u32]> = s.iter().map(|&i| &cx.sf[i].lex[..]).collect();
    let tgt: Vec<&[u32]> = t.iter().map(|&j| &cx.tf[j].lex[..]).collect();
    let list = |side: Side, doc: &Document, idx: &[usize], from: &[&[u32]], to: &[&[u32]]| {
        let ids: Vec<u32> = from.iter().flat_map(|g| g.iter().copied()).collect();
        let missing = words.unmatched(fold, side, &ids, to);
        let mut out: Vec<String> = Vec::new();
        for &k in idx {
            for (token, w) in tokens::words(doc.paragraphs[k].body()) {
                if words
                    .id(side, token)
                    .is_some_and(|id| missing.contains(&id))
                    && !out.iter().any(|o| o.to_lowercase() == w.to_lowercase())
                {
                    out.push(w.to_string());
                }
            }
        }
        out.truncate(UNMATCHED_SHOWN);
        out
    };
    sig.words_not_in_target = list(Side::Source, cx.source, s, &src, &tgt);
    sig.words_not_in_source = list(Side::Target, cx.target, t, &tgt, &src);
}

/// At most this many unmatched words are listed for each side of a pair.
const UNMATCHED_SHOWN: usize = 8;

/// Names missing make a pair diverge only below this score (see [`divergence`]).
const NAMES_MAX_SCORE: f64 = 0.6;

/// The reasons a paired translation diverges from its source.
fn divergence(sig: &Signals, sc: f64, model: &PairModel, th: &Thresholds) -> Vec<Reason> {
    let mut r = Vec::new();
    if !sig.numbers_source_only.is_empty() || !sig.numbers_target_only.is_empty() {
        r.push(Reason::Numbers);
    }
    if !sig.links_source_only.is_empty() || !sig.links_target_only.is_empty() {
        r.push(Reason::Links);
    }
    let [a, b] = sig.chars;
    let ratio = ((b as f64 + 10.0) / (a as f64 + 10.0)).ln() - model.mu;
    if sig.length_z.abs() >= th.length_z && ratio.abs() >= th.length_factor.ln() && a.max(b) >= 40 {
        r.push(Reason::Length);
    }
    // Names are translated often enough (organisations, bodies, months: `Member States`,
    // `United Nations` become `κράτη μέλη`, `Ηνωμένων Εθνών`) that only a paragraph sharing
    // none of several names counts, and only when the rest of the evidence is lukewarm: in a
    // pair that scores well otherwise, missing names are translated names.
    if sig.names_source_only.len() >= 3 && sig.names_matched.is_empty() && sc < NAMES_MAX_SCORE {
        r.push(Reason::Names);
    }
    // Label-only paragraphs (`Article 5` / `第五条`) have no text to judge: their labels are.
    if sc < th.low_score && a.max(b) > 0 {
        r.push(Reason::LowScore);
    }
    r
}

/// Whether the target is left untranslated: the source text itself, the source's language, or
/// a third language.
pub(crate) fn language_issue(
    src: &str,
    tgt: &str,
    sl: Option<&LangTag>,
    tl: Option<&LangTag>,
    th: &Thresholds,
    home: f64,
) -> Option<Reason> {
    if let (Some(a), Some(b)) = (sl, tl) {
        if a.same_language(b) {
            return None;
        }
    }
    let letters = tgt.chars().filter(|c| c.is_alphabetic()).count();
    let words = tgt
        .split(' ')
        .filter(|w| w.chars().filter(|c| c.is_alphabetic()).count() >= 2)
        .count();
    if letters >= 15 && words >= 3 && src.to_lowercase() == tgt.to_lowercase() {
        return Some(Reason::SameText);
    }
    let tl = tl?;
    // Links and addresses are in no language.
    let tgt = &without_links(tgt);
    // A Chinese or Japanese character, or a Korean syllable, says what several letters do.
    let letters = weighted_letters(tgt);
    if letters < th.min_letters {
        return None;
    }
    let script = script_of(tgt)?;
    if script != script_for(tl) && script_is_fixed(tl) {
        // Mostly other letters, but a good part of the words in the language's own script:
        // a translation that keeps names, terms or code as written (`...で利用可能な
        // Contributor Covenant`), not one left in the source.
        if script_share(tgt, script_for(tl)) >= OWN_SCRIPT_SHARE {
            return None;
        }
        return match sl {
            Some(sl) if script == script_for(sl) => Some(Reason::SameLanguage),
            _ => Some(Reason::WrongLanguage),
        };
    }
    if !detectable(tl) {
        return None;
    }
    if let Some(sl) = sl {
        if detectable(sl)
            && script_for(sl) == script
            && in_source_language(src, tgt, sl, tl, letters)
        {
            return Some(Reason::SameLanguage);
        }
    }
    // A third language is looked for (by full detection, the costly part) only where the
    // paragraph's short words are strangers in its document, or the document is too short to
    // tell.
    if !third_language_possible(tl, script) || home >= 0.6 {
        return None;
    }
    third_language(tgt, sl, tl, letters, th)
}

/// Whether `tgt` (`letters` letters, written in the script of both languages) is written in
/// the source's language `sl` rather than its own `tl`.
fn in_source_language(src: &str, tgt: &str, sl: &LangTag, tl: &LangTag, letters: usize) -> bool {
    // Between close languages, short texts and middling confidence prove nothing.
    let (need, letters_needed) = if close_relatives(sl, tl) {
        (0.9, 80)
    } else {
        (0.5, 0)
    };
    // The cheap tests first: a target most of whose words are not the source's is not the
    // source left as it was, whatever detection would say (and detection is the costly part
    // of judging a pair).
    letters >= letters_needed
        && untranslated::source_words_share(src, tgt) >= untranslated::MIN_SOURCE_WORDS_SHARE
        && matches!(detect_among(tgt, &[tl, sl]), Some((1, conf)) if conf >= need)
}

/// The reason `wrong-language` where `tgt` (`letters` letters) reads, with confidence, as a
/// third language: neither its own `tl` (nor a close relative) nor the source's `sl`.
fn third_language(
    tgt: &str,
    sl: Option<&LangTag>,
    tl: &LangTag,
    letters: usize,
    th: &Thresholds,
) -> Option<Reason> {
    let guess = detect(tgt)?;
    if guess.confidence < 0.8
        || letters < 2 * th.min_letters
        || close_relatives(&guess.lang, tl)
        || sl.is_some_and(|s| guess.lang.same_language(s))
    {
        return None;
    }
    match detect_among(tgt, &[tl, &guess.lang]) {
        Some((1, conf)) if conf >= 0.9 => Some(Reason::WrongLanguage),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn issue(src: &str, tgt: &str, target_lang: &str) -> Option<Reason> {
        let en = LangTag::parse("en").unwrap();
        let tl = LangTag::parse(target_lang).unwrap();
        language_issue(src, tgt, Some(&en), Some(&tl), &Thresholds::default(), 1.0)
    }

    #[test]
    fn a_translation_keeping_names_in_latin_letters_is_translated() {
        let src = "This Code of Conduct is adapted from the Contributor Covenant, version 2.1, \
                   available at https://www.contributor-covenant.org/version/2/1/code_of_conduct.html.";
        // More Latin letters than Japanese ones, but most words Japanese.
        let ja =
            "この行動規範は、https://www.contributor-covenant.org/version/2/1/code_of_conduct.html\
                  で利用可能なContributor Covenant version 2.1から適合されています。";
        assert_eq!(issue(src, ja, "ja"), None);
        let zh = "社区处理方针灵感来源于 Mozilla's code of conduct enforcement ladder。";
        assert_eq!(
            issue("Community Impact Guidelines were inspired by Mozilla's code of conduct enforcement ladder.", zh, "zh-Hans"),
            None
        );
        // Left in English, with a few Japanese words: not translated.
        let left = "Community Impact Guidelines were inspired by Mozilla's code of conduct \
                    enforcement ladder (モジラ).";
        assert_eq!(issue(src, left, "ja"), Some(Reason::SameLanguage));
        assert_eq!(issue(src, src, "ja"), Some(Reason::SameText));
    }
}
