//! The rows of the review page's grid: one per aligned unit, one cell per language, a badge per
//! finding, and the tokens (numbers, links, names) each pair highlights in both cells.

use std::fmt::Write as _;
use std::ops::Range;

use super::text::{paragraph, Kind, Token};
use super::why::why;
use super::Judgements;
use crate::align::{Flag, Reason};
use crate::check::{Acceptation, At, DocResult, Finding, TargetResult};
use crate::collect::Version;
use crate::document::Paragraph;
use crate::report::{message, xml_escape as esc};

/// What every row of one document's grid reads: the document, its versions and the judgements.
pub(super) struct Ctx<'a> {
    /// The document's index in the run.
    pub(super) di: usize,
    pub(super) doc: &'a DocResult,
    pub(super) source: &'a Version,
    pub(super) targets: &'a [TargetResult],
    pub(super) judgements: &'a Judgements,
    /// The direction the source's text is shown in, and each target's.
    pub(super) dirs: (&'static str, Vec<&'static str>),
}

/// A cell's flag as the page's filter reads it (`data-f`): the target's language and the flag,
/// written `lang:flag`; `filter.js` splits at the last colon.
struct FilterToken<'a> {
    lang: &'a str,
    flag: Flag,
}

impl std::fmt::Display for FilterToken<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.lang, self.flag.as_str())
    }
}

impl Ctx<'_> {
    pub(super) fn lang(&self, t: usize) -> &str {
        self.targets[t].version.lang.as_str()
    }

    /// A row's opening tag: `flags` are the (target, flag) pairs of its cells, written for the
    /// page's filter as `lang:flag` tokens.
    pub(super) fn row_open(&self, flags: &[(usize, Flag)], only: Option<&str>) -> String {
        let mut s = String::from("<div class=\"row");
        if flags.is_empty() {
            s.push_str(" ok\"");
        } else {
            let worst = Flag::ALL
                .into_iter()
                .find(|f| flags.iter().any(|(_, g)| g == f))
                .unwrap_or(Flag::Diverging);
            let _ = write!(s, " bad w-{}\"", worst.as_str());
        }
        let tokens: Vec<String> = flags
            .iter()
            .map(|&(t, flag)| {
                FilterToken {
                    lang: self.lang(t),
                    flag,
                }
                .to_string()
            })
            .collect();
        let _ = write!(s, " role=\"row\" data-f=\"{}\"", esc(&tokens.join(" ")));
        if let Some(l) = only {
            let _ = write!(s, " data-only=\"{}\"", esc(l));
        }
        s.push_str(">\n");
        s
    }

    pub(super) fn unit_row(&self, range: Range<usize>, cells: &[Vec<usize>]) -> String {
        let mut flags: Vec<(usize, Flag)> = Vec::new();
        for (t, pairs) in cells.iter().enumerate() {
            for &pi in pairs {
                for &f in &self.targets[t].alignment.pairs[pi].flags {
                    if !flags.contains(&(t, f)) {
                        flags.push((t, f));
                    }
                }
            }
        }
        let mut s = self.row_open(&flags, None);
        // The source cell, with what each diverging target lacks highlighted.
        let sl = &self.source.lang;
        let _ = write!(
            s,
            "<div class=\"cell s\" role=\"cell\" dir=\"{}\">",
            self.dirs.0
        );
        for i in range.clone() {
            let mut toks: Vec<Token> = Vec::new();
            for (t, pairs) in cells.iter().enumerate() {
                for &pi in pairs {
                    let p = &self.targets[t].alignment.pairs[pi];
                    if !p.source.contains(&i) || !p.flags.contains(&Flag::Diverging) {
                        continue;
                    }
                    if let Some(sig) = &p.signals {
                        let lang = self.lang(t);
                        // Names only where they made the pair diverge: capitals that are
                        // not names (months, titles) would otherwise be marked too.
                        let none = Vec::new();
                        let names = if p.reasons.contains(&Reason::Names) {
                            &sig.names_source_only
                        } else {
                            &none
                        };
                        let lists = [
                            (Kind::Number, &sig.numbers_source_only),
                            (Kind::Link, &sig.links_source_only),
                            (Kind::Name, names),
                        ];
                        for (kind, list) in lists {
                            for text in list {
                                add_token(&mut toks, kind, text, lang);
                            }
                        }
                    }
                }
            }
            for t in &mut toks {
                t.title = format!("not in {}", t.langs.join(", "));
            }
            paragraph(
                &mut s,
                &self.source.doc.paragraphs[i],
                self.source.doc.format,
                sl,
                &toks,
            );
        }
        s.push_str("</div>\n");
        for (t, pairs) in cells.iter().enumerate() {
            self.target_cell(&mut s, t, pairs);
        }
        s.push_str("</div>\n");
        s
    }

    pub(super) fn extra_row(&self, target: usize, pair: usize) -> String {
        let mut s = self.row_open(&[(target, Flag::Extra)], Some(self.lang(target)));
        s.push_str(
            "<div class=\"cell s none\" role=\"cell\"><span class=\"dash\" \
             title=\"no source paragraph\">—</span></div>\n",
        );
        for t in 0..self.targets.len() {
            if t == target {
                self.target_cell(&mut s, t, &[pair]);
            } else {
                let _ = writeln!(
                    s,
                    "<div class=\"cell t none\" role=\"cell\" data-l=\"{}\"></div>",
                    esc(self.lang(t))
                );
            }
        }
        s.push_str("</div>\n");
        s
    }

    pub(super) fn target_cell(&self, s: &mut String, t: usize, pairs: &[usize]) {
        let target = &self.targets[t];
        let lang = &target.version.lang;
        let all = &target.alignment.pairs;
        let missing = !pairs.is_empty() && pairs.iter().all(|&p| all[p].target.is_empty());
        let worst = Flag::ALL
            .into_iter()
            .find(|f| pairs.iter().any(|&p| all[p].flags.contains(f)));
        let _ = write!(
            s,
            "<div class=\"cell t{}{}\" role=\"cell\" data-l=\"{}\" dir=\"{}\">",
            worst
                .map(|f| format!(" x-{}", f.as_str()))
                .unwrap_or_default(),
            if missing { " missing" } else { "" },
            esc(lang.as_str()),
            self.dirs.1[t]
        );
        if pairs.is_empty() {
            s.push_str("<span class=\"dash\">—</span>");
        }
        for &pi in pairs {
            self.pair(s, t, pi);
        }
        s.push_str("</div>\n");
    }

    pub(super) fn pair(&self, s: &mut String, t: usize, pi: usize) {
        let target = &self.targets[t];
        let p = &target.alignment.pairs[pi];
        let sl = &self.source.lang;
        let tl = &target.version.lang;
        s.push_str("<div class=\"pair\"><div class=\"meta\" dir=\"ltr\">");
        for &f in &p.flags {
            self.badge(s, t, pi, f);
        }
        if let Some(sc) = p.score {
            let band = if sc >= 0.8 {
                "hi"
            } else if sc >= 0.4 {
                "mid"
            } else {
                "lo"
            };
            let _ = write!(
                s,
                "<span class=\"score s-{band}\" title=\"how likely the two are translations\">\
                 score {sc:.2}<span class=\"bar\" aria-hidden=\"true\"><i style=\"width:{:.0}%\">\
                 </i></span></span>",
                sc * 100.0
            );
        }
        s.push_str("</div>");
        if p.target.is_empty() {
            let what = p
                .source
                .iter()
                .map(|&i| name(&self.source.doc.paragraphs[i], self.source.doc.format))
                .collect::<Vec<_>>()
                .join(", ");
            let _ = write!(
                s,
                "<p class=\"empty\" dir=\"ltr\">No {} text for {}.</p>",
                esc(tl.as_str()),
                esc(&what)
            );
        }
        let mut toks: Vec<Token> = Vec::new();
        if p.flags.contains(&Flag::Diverging) {
            if let Some(sig) = &p.signals {
                for text in &sig.numbers_target_only {
                    add_token(&mut toks, Kind::Number, text, sl.as_str());
                }
                for text in &sig.links_target_only {
                    add_token(&mut toks, Kind::Link, text, sl.as_str());
                }
            }
        }
        for t in &mut toks {
            t.title = format!("not in the {} source", t.langs.join(", "));
        }
        for &j in &p.target {
            let doc = &target.version.doc;
            paragraph(s, &doc.paragraphs[j], doc.format, tl, &toks);
        }
        for line in why(self.source, target, p) {
            let _ = write!(s, "<p class=\"why\" dir=\"ltr\">{line}</p>");
        }
        s.push_str("</div>");
    }

    pub(super) fn badge(&self, s: &mut String, t: usize, pi: usize, f: Flag) {
        let target = &self.targets[t];
        let p = &target.alignment.pairs[pi];
        let finding = Finding {
            at: At {
                doc: self.di,
                target: t,
                pair: pi,
            },
            doc: self.doc,
            source: self.source,
            target,
            pair: p,
            flag: f,
        };
        let title = message(&finding);
        let (acc, fails) = self
            .judgements
            .get(&(t, pi, f))
            .copied()
            .unwrap_or((Acceptation::No, false));
        let reasons: Vec<&str> = p
            .reasons
            .iter()
            .filter(|r| reason_of(**r) == Some(f))
            .map(|r| r.as_str())
            .collect();
        let _ = write!(
            s,
            "<span class=\"badge b-{}{}{}\" title=\"{}\">{}",
            f.as_str(),
            if fails { " fail" } else { "" },
            if acc == Acceptation::Yes {
                " accepted"
            } else {
                ""
            },
            esc(&title),
            f.as_str()
        );
        // The reasons that say which kind of problem it is; a label or a changed source says
        // nothing the flag does not.
        if !reasons.is_empty() && matches!(f, Flag::Diverging | Flag::Untranslated) {
            let _ = write!(s, ": {}", reasons.join(", "));
        }
        match (acc, fails) {
            (Acceptation::Yes, _) => s.push_str(" · accepted"),
            (Acceptation::Lapsed, true) => s.push_str(" · fails (acceptance lapsed)"),
            (_, true) => s.push_str(" · fails"),
            _ => {}
        }
        s.push_str("</span>");
    }
}

/// The flag a reason explains.
pub(super) fn reason_of(r: Reason) -> Option<Flag> {
    match r {
        Reason::Numbers
        | Reason::Length
        | Reason::Names
        | Reason::Links
        | Reason::LowScore
        | Reason::Content
        | Reason::Placeholders
        | Reason::Code
        | Reason::Tags
        | Reason::Term => Some(Flag::Diverging),
        Reason::SameText | Reason::SameLanguage | Reason::WrongLanguage => Some(Flag::Untranslated),
        Reason::Label => Some(Flag::Misnumbered),
        Reason::SourceChanged => Some(Flag::Outdated),
    }
}

pub(super) fn add_token(toks: &mut Vec<Token>, kind: Kind, text: &str, lang: &str) {
    match toks.iter_mut().find(|t| t.kind == kind && t.text == text) {
        Some(t) => {
            if !t.langs.iter().any(|l| l == lang) {
                t.langs.push(lang.to_string());
            }
        }
        None => toks.push(Token {
            kind,
            text: text.to_string(),
            langs: vec![lang.to_string()],
            title: String::new(),
        }),
    }
}

/// How a paragraph is named in the page.
pub(super) fn name(p: &Paragraph, format: crate::document::Format) -> String {
    let place = format.place();
    match &p.label {
        Some(l) => format!("¶ {} ({place} {})", l.path, p.line),
        None => format.paragraph_at(p.line),
    }
}
