//! Which language a target paragraph's text is in, against its source: the source text
//! itself, prose in the source's language, or a third language (the reasons `same-text`,
//! `same-language` and `wrong-language`). `untranslated.rs` sets code, names and quoted titles
//! aside first and calls this on what is left.

use crate::language::{
    close_relatives, detect, detect_among, detectable, script_for, script_is_fixed, script_of,
    script_share, third_language_possible, weighted_letters, LangTag,
};
use crate::model::MixSet;
use crate::score::without_links;

use super::context::Thresholds;
use super::Reason;

/// A paragraph with at least this share of its words in its language's script is not left
/// in another language (see [`language_issue`]).
const OWN_SCRIPT_SHARE: f64 = 1.0 / 3.0;

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
        && source_words_share(src, tgt) >= MIN_SOURCE_WORDS_SHARE
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

/// Below this share of its lower-case words found in the source, a target that detection
/// calls the source's language is not that text left untranslated: short texts full of terms
/// fool a trigram detector (`manajer paket grafis (front-end APT GTK)`, Indonesian, reads as
/// English with confidence 0.83; a German sentence whose nouns are names as 0.64), while
/// prose left in the source language, even with its references localised, is the source's
/// words.
const MIN_SOURCE_WORDS_SHARE: f64 = 0.5;

/// The share of a target's lower-case words (two letters or more; capitalised words are
/// mostly names and terms, kept in any language) that stand in the source, case aside. 1 when
/// the target has no such word, or is in a script written without spaces (no evidence).
fn source_words_share(src: &str, tgt: &str) -> f64 {
    fn words(s: &str) -> impl Iterator<Item = &str> {
        s.split(|c: char| !c.is_alphanumeric())
            .filter(|w| w.chars().filter(|c| c.is_alphabetic()).count() >= 2)
    }
    if tgt.chars().any(unspaced) {
        return 1.0;
    }
    // One lower-cased copy of the source, its words borrowed from it (this runs on every pair
    // detection calls the source's language).
    let lower = src.to_lowercase();
    let source: MixSet<&str> = words(&lower).collect();
    let (mut found, mut all) = (0usize, 0usize);
    for w in words(tgt).filter(|w| w.chars().next().is_some_and(|c| !c.is_uppercase())) {
        all += 1;
        // Lower case already (its first letter is), but for capitals inside (`iPhone`).
        found += usize::from(if w.chars().any(char::is_uppercase) {
            source.contains(w.to_lowercase().as_str())
        } else {
            source.contains(w)
        });
    }
    if all == 0 {
        1.0
    } else {
        found as f64 / all as f64
    }
}

/// A letter of a script written without spaces between words (Thai, Lao, kana, Han, Hangul
/// syllables as counted here): a "word" between spaces is a whole clause there.
pub(super) fn unspaced(c: char) -> bool {
    matches!(c as u32, 0x0E00..=0x0EFF | 0x3040..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF)
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

    #[test]
    fn the_share_of_source_words_counts_lower_case_words() {
        assert_eq!(source_words_share("the grey cat", "The grey dog"), 0.5);
        assert_eq!(source_words_share("the cat", "Unix GTK"), 1.0);
    }
}
