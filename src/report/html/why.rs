//! The explanations under a flagged pair: why it is flagged, in words, with the numbers,
//! links and names that disagree marked. Escaped HTML.

use super::text::Kind;
use crate::align::{Flag, Pair, Reason};
use crate::check::TargetResult;
use crate::collect::Version;
use crate::report::{term_list, xml_escape as esc};
use crate::score::Signals;

/// The explanations under a flagged pair (escaped HTML).
pub(super) fn why(source: &Version, target: &TargetResult, p: &Pair) -> Vec<String> {
    let sl = esc(source.lang.as_str());
    let tl = esc(target.version.lang.as_str());
    let none = Signals::default();
    let sig = p.signals.as_ref().unwrap_or(&none);
    let mut lines = Vec::new();
    for &f in &p.flags {
        match f {
            Flag::Missing | Flag::Extra => {
                if f == Flag::Extra {
                    lines.push(format!("No counterpart in the {sl} source."));
                }
            }
            Flag::Untranslated => {
                for r in &p.reasons {
                    match r {
                        Reason::SameText => lines.push(format!("Same text as the {sl} source.")),
                        Reason::SameLanguage => lines.push(format!(
                            "Written in {}, the source's language.",
                            esc(source.lang.name())
                        )),
                        Reason::WrongLanguage => lines.push(format!(
                            "Not written in {}.",
                            esc(target.version.lang.name())
                        )),
                        // Reasons of other flags: explained under them.
                        Reason::Numbers
                        | Reason::Length
                        | Reason::Names
                        | Reason::Links
                        | Reason::LowScore
                        | Reason::Content
                        | Reason::Label
                        | Reason::SourceChanged
                        | Reason::Placeholders
                        | Reason::Code
                        | Reason::Tags
                        | Reason::Term => {}
                    }
                }
            }
            Flag::Diverging => {
                for r in &p.reasons {
                    diverging(&mut lines, *r, sig, &sl, &tl);
                }
            }
            Flag::Misnumbered => {
                let label = |d: &crate::document::Document, i: Option<&usize>| {
                    i.and_then(|&i| d.paragraphs[i].label.as_ref())
                        .map(|l| esc(&l.path))
                        .unwrap_or_else(|| "nothing".into())
                };
                lines.push(format!(
                    "Numbered {} here, {} in {sl}.",
                    label(&target.version.doc, p.target.first()),
                    label(&source.doc, p.source.first())
                ));
            }
            Flag::Reordered => lines.push(format!("Stands out of order in {tl}.")),
            Flag::Outdated => {
                lines.push("Translated from an earlier version of the source.".to_string())
            }
        }
    }
    lines
}

/// The tokens of a list, each marked as `kind`, comma-separated.
fn marks(kind: Kind, list: &[String]) -> String {
    list.iter()
        .map(|x| format!("<mark class=\"{}\">{}</mark>", kind.class(), esc(x)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `what: only in SL: a; only in TL: b`, each side when it has tokens.
fn both(what: &str, kind: Kind, a: &[String], b: &[String], sl: &str, tl: &str) -> String {
    let mut d = Vec::new();
    if !a.is_empty() {
        d.push(format!("only in {sl}: {}", marks(kind, a)));
    }
    if !b.is_empty() {
        d.push(format!("only in {tl}: {}", marks(kind, b)));
    }
    format!("{what}: {}", d.join("; "))
}

/// The lines that explain one reason of a diverging pair (`sl`, `tl`: the languages, escaped).
fn diverging(lines: &mut Vec<String>, r: Reason, sig: &Signals, sl: &str, tl: &str) {
    match r {
        Reason::Numbers => lines.push(both(
            "Numbers differ",
            Kind::Number,
            &sig.numbers_source_only,
            &sig.numbers_target_only,
            sl,
            tl,
        )),
        Reason::Links => lines.push(both(
            "Links differ",
            Kind::Link,
            &sig.links_source_only,
            &sig.links_target_only,
            sl,
            tl,
        )),
        Reason::Names => lines.push(format!(
            "Names not found in {tl}: {}",
            marks(Kind::Name, &sig.names_source_only)
        )),
        Reason::Length => lines.push(format!(
            "Length differs: {} letters against {} in {sl}.",
            sig.chars[1], sig.chars[0]
        )),
        Reason::Placeholders => {
            lines.push("Placeholders, format specifiers or shortcuts differ.".to_string())
        }
        Reason::Code => lines.push("Inline code differs.".to_string()),
        Reason::Tags => lines.push("Tags differ.".to_string()),
        Reason::Term => lines.push(format!(
            "Glossary terms not in the translation: {}",
            esc(&term_list(&sig.terms_not_in_target))
        )),
        Reason::LowScore | Reason::Content => {
            lines.push(if r == Reason::Content {
                "The words match another paragraph, or only part of the source.".to_string()
            } else {
                "Content does not match.".to_string()
            });
            if !sig.words_not_in_target.is_empty() {
                lines.push(format!(
                    "Not in the translation: {}",
                    esc(&sig.words_not_in_target.join(", "))
                ));
            }
        }
        // Reasons of other flags: explained under them.
        Reason::SameText
        | Reason::SameLanguage
        | Reason::WrongLanguage
        | Reason::Label
        | Reason::SourceChanged => {}
    }
}
