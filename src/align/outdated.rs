//! The `outdated` flag: a pair whose target text was translated from another source text than
//! the one it is paired with now. Which source text that was is the memory's record (the
//! store reads it and hashes the texts); the decision, and the flag and reason it adds, are
//! made here. Pure: no files, no SQL.

use super::{Flag, Pair, Reason};

/// Decide whether `pair` is outdated, given the hash of its source text now (`source`) and the
/// hash of the source text its target text was translated from (`basis`, None when unknown).
/// An untranslated pair is never outdated. When it is, the pair gets flag `outdated` and reason
/// `source-changed` (each once, in their fixed order) and the old source's hash is returned.
pub fn mark_outdated(pair: &mut Pair, source: i64, basis: Option<i64>) -> Option<i64> {
    if pair.flags.contains(&Flag::Untranslated) {
        return None;
    }
    let old = basis.filter(|&old| old != source)?;
    if !pair.flags.contains(&Flag::Outdated) {
        pair.flags.push(Flag::Outdated);
        pair.flags.sort();
    }
    if !pair.reasons.contains(&Reason::SourceChanged) {
        pair.reasons.push(Reason::SourceChanged);
        pair.reasons.sort();
    }
    Some(old)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pair(flags: Vec<Flag>) -> Pair {
        Pair {
            source: vec![0],
            target: vec![0],
            score: Some(0.9),
            flags,
            reasons: Vec::new(),
            signals: None,
            notes: Vec::new(),
        }
    }

    #[test]
    fn a_target_translated_from_another_source_is_outdated() {
        let mut p = pair(vec![Flag::Diverging]);
        assert_eq!(mark_outdated(&mut p, 1, Some(2)), Some(2));
        assert_eq!(p.flags, [Flag::Diverging, Flag::Outdated]);
        assert_eq!(p.reasons, [Reason::SourceChanged]);
        // Marking twice adds nothing.
        assert_eq!(mark_outdated(&mut p, 1, Some(2)), Some(2));
        assert_eq!(p.flags, [Flag::Diverging, Flag::Outdated]);
        assert_eq!(p.reasons, [Reason::SourceChanged]);
    }

    #[test]
    fn the_same_source_an_unknown_one_or_no_translation_is_not() {
        let mut p = pair(Vec::new());
        assert_eq!(mark_outdated(&mut p, 1, Some(1)), None);
        assert_eq!(mark_outdated(&mut p, 1, None), None);
        assert!(p.flags.is_empty() && p.reasons.is_empty());
        let mut p = pair(vec![Flag::Untranslated]);
        assert_eq!(mark_outdated(&mut p, 1, Some(2)), None);
        assert_eq!(p.flags, [Flag::Untranslated]);
        assert!(p.reasons.is_empty());
    }
}
