//! The review page: one self-contained HTML file that a translator opens in a browser. One row
//! per aligned unit and one column per language (source first); every finding is a text badge
//! and a colour where it belongs, the numbers, links and names that disagree are highlighted in
//! both cells, and a summary with coverage and counts per flag opens each document.
//!
//! The page needs no server and no network: its style and its filter script (`html/`) are
//! inlined. Without JavaScript it shows everything; with it, filters (only problems, one flag,
//! one language, a search box, also read from the URL fragment: `#problems&flag=diverging`)
//! hide rows. Rows are laid out with `content-visibility: auto`, so that a page of tens of
//! thousands of paragraphs stays usable. Every piece of document text goes through [`esc`]
//! before it is written; nothing from the documents reaches the script. Output is a pure
//! function of the run: no clock, paths as the user gave them.

use crate::text::plural;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::{self, Write};
use std::ops::Range;

use unicode_normalization::UnicodeNormalization;

use super::{all_errors, judged, message, term_list, xml_escape as esc, Run};
use crate::align::{Flag, Pair, Reason};
use crate::check::{Acceptation, At, DocResult, Finding, TargetResult};
use crate::collect::Version;
use crate::document::{digit_value, Paragraph};
use crate::language::LangTag;
use crate::score::Signals;

const STYLE: &str = include_str!("html/style.css");
const SCRIPT: &str = include_str!("html/filter.js");

/// How each finding of one document was judged, by its target's and pair's indices and flag.
type Judgements = HashMap<(usize, usize, Flag), (Acceptation, bool)>;

pub(super) fn write(run: &Run, out: &mut dyn Write) -> io::Result<()> {
    let judged = judged(run);
    // The documents with a source, with their indices in the run.
    let indexed: Vec<(usize, &DocResult, &Version)> = run
        .docs
        .iter()
        .enumerate()
        .filter_map(|(i, d)| d.source.as_ref().map(|s| (i, d, s)))
        .collect();
    let docs: Vec<(&DocResult, &Version)> = indexed.iter().map(|&(_, d, s)| (d, s)).collect();
    let columns = docs.iter().map(|(d, _)| d.targets.len() + 1).max();
    let title = match docs.as_slice() {
        [(d, _)] => format!("Review of {}", d.id),
        _ => format!("Review of {} documents", docs.len()),
    };
    // A4 portrait holds three columns; more are printed across.
    let page = if columns.unwrap_or(0) > 3 {
        "A4 landscape"
    } else {
        "A4 portrait"
    };
    write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{} · paralign</title>\n<style>\n{STYLE}@page {{ size: {page}; margin: 12mm; }}\n\
         </style>\n<style id=\"f-cols\"></style>\n</head>\n<body>\n<header class=\"top\">\n\
         <h1>{}</h1>\n",
        esc(&title),
        esc(&title)
    )?;
    verdict(out, run, &docs, &judged)?;
    let errors = all_errors(run);
    if !errors.is_empty() {
        writeln!(out, "<ul class=\"errors\">")?;
        for e in errors {
            writeln!(out, "<li>error: {}</li>", esc(&e.to_string()))?;
        }
        writeln!(out, "</ul>")?;
    }
    filters(out, &docs)?;
    writeln!(out, "</header>\n<main>")?;
    for (k, &(di, doc, source)) in indexed.iter().enumerate() {
        let judgements: Judgements = judged
            .iter()
            .filter(|(f, ..)| f.at.doc == di)
            .map(|(f, acc, fails)| ((f.at.target, f.at.pair, f.flag), (*acc, *fails)))
            .collect();
        section(out, k, di, doc, source, &judgements)?;
    }
    write!(
        out,
        "</main>\n<script>\n{SCRIPT}</script>\n</body>\n</html>\n"
    )
}

/// The line that says how the run went.
fn verdict(
    out: &mut dyn Write,
    run: &Run,
    docs: &[(&DocResult, &Version)],
    judged: &[(Finding, Acceptation, bool)],
) -> io::Result<()> {
    let targets: usize = docs.iter().map(|(d, _)| d.targets.len()).sum();
    let accepted = judged.iter().filter(|f| f.1 == Acceptation::Yes).count();
    let mut line = format!(
        "{targets} {} of {} {}: {} {}",
        plural(targets, "translation", "translations"),
        docs.len(),
        plural(docs.len(), "document", "documents"),
        judged.len(),
        plural(judged.len(), "finding", "findings"),
    );
    if accepted > 0 {
        let _ = write!(line, ", {accepted} accepted");
    }
    let Some(v) = run.verdict else {
        return writeln!(out, "<p class=\"verdict\">{}</p>", esc(&line));
    };
    let sum = super::summary(run);
    let (class, state) = if v.fails() || sum.input_errors {
        ("fail", sum.verdict())
    } else {
        ("pass", "passed".to_string())
    };
    writeln!(
        out,
        "<p class=\"verdict {class}\">{}; <strong>{}</strong></p>",
        esc(&line),
        esc(&state)
    )?;
    for m in &v.missing {
        writeln!(
            out,
            "<p class=\"verdict {}\">missing: {}</p>",
            if m.fails { "fail" } else { "warn" },
            esc(&super::missing_message(m))
        )?;
    }
    for c in &v.coverage {
        writeln!(
            out,
            "<p class=\"verdict fail\">{} [{}]: coverage {:.1}% is under the minimum {:.1}%</p>",
            esc(&c.document),
            esc(&c.lang),
            c.coverage * 100.0,
            c.minimum * 100.0
        )?;
    }
    Ok(())
}

/// The filter controls: hidden until the script shows them, so that a page without JavaScript
/// offers nothing that does not work.
fn filters(out: &mut dyn Write, docs: &[(&DocResult, &Version)]) -> io::Result<()> {
    let mut langs: Vec<&LangTag> = Vec::new();
    for (d, _) in docs {
        for t in &d.targets {
            if !langs.contains(&&t.version.lang) {
                langs.push(&t.version.lang);
            }
        }
    }
    let mut s = String::from(
        "<form id=\"filters\" class=\"filters\" role=\"search\" hidden>\n\
         <label><input type=\"checkbox\" id=\"f-problems\"> Only problems</label>\n\
         <label>Flag <select id=\"f-flag\"><option value=\"\">any</option>",
    );
    for f in Flag::ALL {
        let _ = write!(s, "<option value=\"{0}\">{0}</option>", f.as_str());
    }
    s.push_str(
        "</select></label>\n<label>Language <select id=\"f-lang\"><option value=\"\">all</option>",
    );
    for l in langs {
        let _ = write!(
            s,
            "<option value=\"{0}\">{0} {1}</option>",
            esc(l.as_str()),
            esc(l.name())
        );
    }
    s.push_str(
        "</select></label>\n<label>Search <input type=\"search\" id=\"f-q\" \
         placeholder=\"text, label or number\"></label>\n\
         <output id=\"f-count\" aria-live=\"polite\"></output>\n</form>\n\
         <noscript><p class=\"note\">Filters need JavaScript; every row is shown.</p></noscript>\n",
    );
    out.write_all(s.as_bytes())
}

/// Whether a language is written right to left: its script subtag, else its usual script.
pub(crate) fn is_rtl(tag: &LangTag) -> bool {
    let script = tag
        .as_str()
        .split('-')
        .nth(1)
        .filter(|p| p.len() == 4 && p.bytes().all(|b| b.is_ascii_alphabetic()));
    if let Some(s) = script {
        return matches!(
            s,
            "Arab" | "Hebr" | "Thaa" | "Syrc" | "Nkoo" | "Adlm" | "Rohg" | "Samr" | "Mand"
        );
    }
    matches!(
        tag.language(),
        "ar" | "arb"
            | "he"
            | "iw"
            | "fa"
            | "pes"
            | "prs"
            | "ur"
            | "yi"
            | "ydd"
            | "ps"
            | "pbu"
            | "sd"
            | "ug"
            | "dv"
            | "ckb"
            | "syr"
    )
}

/// The direction a version's text is shown in: its script's (an Arabic page declared `ltr`
/// still reads right to left), else the one its page declares (`dir`), else its language's.
fn version_dir(v: &Version) -> &'static str {
    v.doc
        .script_direction()
        .or(v.doc.dir.map(|(d, _)| d))
        .map_or_else(|| dir(&v.lang), |d| d.as_str())
}

fn dir(tag: &LangTag) -> &'static str {
    if is_rtl(tag) {
        "rtl"
    } else {
        "ltr"
    }
}

/// The flags shown in a document's summary: every one but `outdated`, which only a memory sets.
fn summary_flags(doc: &DocResult) -> Vec<Flag> {
    let outdated = doc
        .targets
        .iter()
        .any(|t| t.alignment.counts().outdated > 0);
    Flag::ALL
        .into_iter()
        .filter(|f| *f != Flag::Outdated || outdated)
        .collect()
}

fn count(c: &crate::align::Counts, f: Flag) -> usize {
    match f {
        Flag::Missing => c.missing,
        Flag::Extra => c.extra,
        Flag::Untranslated => c.untranslated,
        Flag::Diverging => c.diverging,
        Flag::Misnumbered => c.misnumbered,
        Flag::Reordered => c.reordered,
        Flag::Outdated => c.outdated,
    }
}

fn section(
    out: &mut dyn Write,
    k: usize,
    di: usize,
    doc: &DocResult,
    source: &Version,
    judgements: &Judgements,
) -> io::Result<()> {
    let n = source.doc.paragraphs.len();
    let mut s = format!(
        "<section class=\"doc\" aria-labelledby=\"d{k}\">\n<h2 id=\"d{k}\">{}</h2>\n\
         <p class=\"src\">Source: <b>{}</b> {} · {} · {n} {}</p>\n",
        esc(&doc.id),
        esc(source.lang.as_str()),
        esc(source.lang.name()),
        esc(&source.doc.path),
        plural(n, "paragraph", "paragraphs"),
    );
    // Notes: the set's own, then gaps and duplicates in each version's numbering.
    let mut notes: Vec<String> = doc.notes.iter().map(|n| esc(n)).collect();
    for v in std::iter::once(source).chain(doc.targets.iter().map(|t| &t.version)) {
        for issue in &v.doc.numbering {
            let line = v.doc.paragraphs[issue.index].line;
            let what = match &issue.kind {
                crate::document::NumberingIssueKind::Gap { expected } => {
                    format!("numbered {} where {expected} was due", issue.label)
                }
                crate::document::NumberingIssueKind::Duplicate { first } => format!(
                    "number {} is used twice (also at {} {})",
                    issue.label,
                    v.doc.format.place(),
                    v.doc.paragraphs[*first].line
                ),
            };
            notes.push(format!(
                "<b>{}</b> {}:{line}: {}",
                esc(v.lang.as_str()),
                esc(&v.doc.path),
                esc(&what)
            ));
        }
    }
    if !notes.is_empty() {
        s.push_str("<ul class=\"notes\">\n");
        for n in notes {
            let _ = writeln!(s, "<li>note: {n}</li>");
        }
        s.push_str("</ul>\n");
    }
    summary(&mut s, doc, source);
    out.write_all(s.as_bytes())?;
    grid(out, di, doc, source, judgements)?;
    writeln!(out, "</section>")
}

/// Coverage per language and counts per flag, each with a small bar.
fn summary(s: &mut String, doc: &DocResult, source: &Version) {
    if doc.targets.is_empty() {
        return;
    }
    let n = source.doc.paragraphs.len();
    let flags = summary_flags(doc);
    s.push_str(
        "<table class=\"summary\">\n<caption>Coverage and findings per language</caption>\n\
         <thead><tr><th scope=\"col\">Language</th><th scope=\"col\">Paragraphs</th>\
         <th scope=\"col\">Coverage</th>",
    );
    for f in &flags {
        let _ = write!(s, "<th scope=\"col\">{}</th>", f.as_str());
    }
    s.push_str("</tr></thead>\n<tbody>\n");
    for t in &doc.targets {
        let cov = t.coverage(source);
        let covered = (cov * n as f64).round() as usize;
        let c = t.alignment.counts();
        let pct = cov * 100.0;
        let _ = write!(
            s,
            "<tr data-l=\"{0}\"><th scope=\"row\"><b>{0}</b> {1}</th><td class=\"num\">{2}</td>\
             <td class=\"cov\"><span class=\"bar\" aria-hidden=\"true\"><i style=\"width:{pct:.1}%\">\
             </i></span> {pct:.1}% <small>({covered}/{n})</small></td>",
            esc(t.version.lang.as_str()),
            esc(t.version.lang.name()),
            t.version.doc.paragraphs.len(),
        );
        for &f in &flags {
            let v = count(&c, f);
            // The bar is the share of source paragraphs, with a sliver for any finding at all.
            let w = if v == 0 {
                0.0
            } else {
                (v as f64 / n.max(1) as f64 * 100.0).clamp(4.0, 100.0)
            };
            let _ = write!(
                s,
                "<td class=\"num{}\">{v}<span class=\"hbar\" aria-hidden=\"true\">\
                 <i class=\"f-{}\" style=\"width:{w:.0}%\"></i></span></td>",
                if v == 0 { " zero" } else { "" },
                f.as_str()
            );
        }
        s.push_str("</tr>\n");
    }
    s.push_str("</tbody>\n</table>\n");
}

/// One row of the grid: a unit of source paragraphs, or a target paragraph with no source.
enum Row {
    Unit(Range<usize>),
    Extra { target: usize, pair: usize },
}

/// The rows of a document: source paragraphs joined into one unit wherever any target pairs
/// them together, and each target's extra paragraphs after the unit they follow.
fn rows(doc: &DocResult, n: usize) -> (Vec<Row>, Vec<Vec<Vec<usize>>>) {
    // join[i]: source paragraphs i and i+1 belong to one unit.
    let mut depth = vec![0i64; n + 1];
    for t in &doc.targets {
        for p in &t.alignment.pairs {
            let (Some(&lo), Some(&hi)) = (p.source.iter().min(), p.source.iter().max()) else {
                continue;
            };
            if hi > lo && hi < n {
                depth[lo] += 1;
                depth[hi] -= 1;
            }
        }
    }
    let mut unit_of = vec![0usize; n];
    let mut units: Vec<Range<usize>> = Vec::new();
    let mut open = 0i64;
    for i in 0..n {
        match units.last_mut() {
            Some(u) if open > 0 => u.end = i + 1,
            _ => units.push(i..i + 1),
        }
        unit_of[i] = units.len() - 1;
        open += depth[i];
    }
    // cells[u][t]: the pairs of target t shown in unit u; extras[u + 1]: extras after unit u.
    let mut cells = vec![vec![Vec::new(); doc.targets.len()]; units.len()];
    let mut extras: Vec<Vec<(usize, usize)>> = vec![Vec::new(); units.len() + 1];
    for (ti, t) in doc.targets.iter().enumerate() {
        let mut last: Option<usize> = None;
        for (pi, p) in t.alignment.pairs.iter().enumerate() {
            match p.source.iter().min() {
                Some(&i) if i < n => {
                    let u = unit_of[i];
                    cells[u][ti].push(pi);
                    last = Some(last.map_or(u, |l| l.max(u)));
                }
                _ => extras[last.map_or(0, |u| u + 1)].push((ti, pi)),
            }
        }
    }
    let mut out = Vec::with_capacity(units.len());
    for (k, slot) in extras.into_iter().enumerate() {
        if k > 0 {
            out.push(Row::Unit(units[k - 1].clone()));
        }
        out.extend(
            slot.into_iter()
                .map(|(target, pair)| Row::Extra { target, pair }),
        );
    }
    (out, cells)
}

fn grid(
    out: &mut dyn Write,
    di: usize,
    doc: &DocResult,
    source: &Version,
    judgements: &Judgements,
) -> io::Result<()> {
    let n = source.doc.paragraphs.len();
    let cols = doc.targets.len() + 1;
    let mut s = format!(
        "<div class=\"grid\" role=\"table\" aria-label=\"{}, paragraph by paragraph\" \
         style=\"--n:{cols}\">\n<div class=\"row head\" role=\"row\">\
         <div class=\"cell\" role=\"columnheader\"><b>{}</b> {} <small>source · {}</small></div>",
        esc(&doc.id),
        esc(source.lang.as_str()),
        esc(source.lang.name()),
        esc(&source.doc.path),
    );
    for t in &doc.targets {
        let _ = write!(
            s,
            "<div class=\"cell t\" role=\"columnheader\" data-l=\"{0}\"><b>{0}</b> {1} \
             <small>{2} · {3:.1}%</small></div>",
            esc(t.version.lang.as_str()),
            esc(t.version.lang.name()),
            esc(&t.version.doc.path),
            t.coverage(source) * 100.0
        );
    }
    s.push_str("</div>\n");
    out.write_all(s.as_bytes())?;
    let ctx = Ctx {
        di,
        doc,
        source,
        targets: &doc.targets,
        judgements,
        dirs: (
            version_dir(source),
            doc.targets
                .iter()
                .map(|t| version_dir(&t.version))
                .collect(),
        ),
    };
    let (rows, cells) = rows(doc, n);
    let mut unit = 0;
    for r in rows {
        let s = match r {
            Row::Unit(range) => {
                let s = ctx.unit_row(range, &cells[unit]);
                unit += 1;
                s
            }
            Row::Extra { target, pair } => ctx.extra_row(target, pair),
        };
        out.write_all(s.as_bytes())?;
    }
    writeln!(out, "</div>")
}

struct Ctx<'a> {
    /// The document's index in the run.
    di: usize,
    doc: &'a DocResult,
    source: &'a Version,
    targets: &'a [TargetResult],
    judgements: &'a Judgements,
    /// The direction the source's text is shown in, and each target's.
    dirs: (&'static str, Vec<&'static str>),
}

/// What a highlight marks.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Number,
    Link,
    Name,
}

impl Kind {
    fn class(self) -> &'static str {
        match self {
            Kind::Number => "hn",
            Kind::Link => "hl",
            Kind::Name => "hm",
        }
    }
}

/// A token to highlight in a paragraph and the title that says why.
struct Token {
    kind: Kind,
    text: String,
    title: String,
}

impl Ctx<'_> {
    fn lang(&self, t: usize) -> &str {
        self.targets[t].version.lang.as_str()
    }

    /// A row's opening tag: `flags` are the (target, flag) pairs of its cells, written for the
    /// page's filter as `lang:flag` tokens.
    fn row_open(&self, flags: &[(usize, Flag)], only: Option<&str>) -> String {
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
            .map(|&(t, f)| format!("{}:{}", self.lang(t), f.as_str()))
            .collect();
        let _ = write!(s, " role=\"row\" data-f=\"{}\"", esc(&tokens.join(" ")));
        if let Some(l) = only {
            let _ = write!(s, " data-only=\"{}\"", esc(l));
        }
        s.push_str(">\n");
        s
    }

    fn unit_row(&self, range: Range<usize>, cells: &[Vec<usize>]) -> String {
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
                t.title = format!("not in {}", t.title);
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

    fn extra_row(&self, target: usize, pair: usize) -> String {
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

    fn target_cell(&self, s: &mut String, t: usize, pairs: &[usize]) {
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

    fn pair(&self, s: &mut String, t: usize, pi: usize) {
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
            t.title = format!("not in the {} source", t.title);
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

    fn badge(&self, s: &mut String, t: usize, pi: usize, f: Flag) {
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
fn reason_of(r: Reason) -> Option<Flag> {
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

fn add_token(toks: &mut Vec<Token>, kind: Kind, text: &str, lang: &str) {
    match toks.iter_mut().find(|t| t.kind == kind && t.text == text) {
        Some(t) => {
            if !t.title.split(", ").any(|l| l == lang) {
                t.title.push_str(", ");
                t.title.push_str(lang);
            }
        }
        None => toks.push(Token {
            kind,
            text: text.to_string(),
            title: lang.to_string(),
        }),
    }
}

/// How a paragraph is named in the page.
fn name(p: &Paragraph, format: crate::document::Format) -> String {
    let place = format.place();
    match &p.label {
        Some(l) => format!("¶ {} ({place} {})", l.path, p.line),
        None => format.paragraph_at(p.line),
    }
}

/// The explanations under a flagged pair (escaped HTML).
fn why(source: &Version, target: &TargetResult, p: &Pair) -> Vec<String> {
    let sl = esc(source.lang.as_str());
    let tl = esc(target.version.lang.as_str());
    let marks = |kind: Kind, list: &[String]| {
        list.iter()
            .map(|x| format!("<mark class=\"{}\">{}</mark>", kind.class(), esc(x)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let both = |what: &str, kind: Kind, a: &[String], b: &[String]| {
        let mut d = Vec::new();
        if !a.is_empty() {
            d.push(format!("only in {sl}: {}", marks(kind, a)));
        }
        if !b.is_empty() {
            d.push(format!("only in {tl}: {}", marks(kind, b)));
        }
        format!("{what}: {}", d.join("; "))
    };
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
                        _ => {}
                    }
                }
            }
            Flag::Diverging => {
                for r in &p.reasons {
                    match r {
                        Reason::Numbers => lines.push(both(
                            "Numbers differ",
                            Kind::Number,
                            &sig.numbers_source_only,
                            &sig.numbers_target_only,
                        )),
                        Reason::Links => lines.push(both(
                            "Links differ",
                            Kind::Link,
                            &sig.links_source_only,
                            &sig.links_target_only,
                        )),
                        Reason::Names => lines.push(format!(
                            "Names not found in {tl}: {}",
                            marks(Kind::Name, &sig.names_source_only)
                        )),
                        Reason::Length => lines.push(format!(
                            "Length differs: {} letters against {} in {sl}.",
                            sig.chars[1], sig.chars[0]
                        )),
                        Reason::Placeholders => lines.push(
                            "Placeholders, format specifiers or shortcuts differ.".to_string(),
                        ),
                        Reason::Code => lines.push("Inline code differs.".to_string()),
                        Reason::Tags => lines.push("Tags differ.".to_string()),
                        Reason::Term => lines.push(format!(
                            "Glossary terms not in the translation: {}",
                            esc(&term_list(&sig.terms_not_in_target))
                        )),
                        Reason::LowScore | Reason::Content => {
                            lines.push(if r == &Reason::Content {
                                "The words match another paragraph, or only part of the source."
                                    .to_string()
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
                        _ => {}
                    }
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

/// One paragraph: its label and line, then its text as written (in its language, so that
/// screen readers, fonts and line breaking follow it) with the tokens highlighted.
fn paragraph(
    s: &mut String,
    p: &Paragraph,
    format: crate::document::Format,
    lang: &LangTag,
    toks: &[Token],
) {
    s.push_str("<div class=\"p\"><div class=\"pm\" dir=\"ltr\">");
    if let Some(l) = &p.label {
        let _ = write!(s, "<span class=\"lb\">¶ {}</span>", esc(&l.path));
    }
    let _ = write!(
        s,
        "<span class=\"ln\">{} {}</span></div>",
        format.place(),
        p.line
    );
    let _ = write!(s, "<p class=\"tx\" lang=\"{}\">", esc(lang.as_str()));
    s.push_str(&highlight(p, toks));
    s.push_str("</p></div>");
}

/// A paragraph's written text mapped to its normalised form, so that tokens found in the
/// normalised text (where the signals come from) are highlighted in the text as written.
struct Mapped {
    norm: String,
    /// For each byte of `norm`, the range of the written character it comes from.
    from: Vec<(usize, usize)>,
}

impl Mapped {
    fn of(text: &str) -> Mapped {
        let mut norm = String::with_capacity(text.len());
        let mut from = Vec::with_capacity(text.len());
        let mut space: Option<(usize, usize)> = None;
        for (i, c) in text.char_indices() {
            let r = (i, i + c.len_utf8());
            if c.is_whitespace() || c == '\u{200B}' || c == '\u{FEFF}' {
                if !norm.is_empty() && space.is_none() {
                    space = Some(r);
                }
                continue;
            }
            if let Some(sp) = space.take() {
                norm.push(' ');
                from.push(sp);
            }
            for n in std::iter::once(c).nfkc() {
                let at = norm.len();
                norm.push(n);
                from.extend(std::iter::repeat_n(r, norm.len() - at));
            }
        }
        Mapped { norm, from }
    }

    /// The written range of a normalised range.
    fn written(&self, r: Range<usize>) -> (usize, usize) {
        (self.from[r.start].0, self.from[r.end - 1].1)
    }
}

fn is_sep(c: char) -> bool {
    matches!(c, '.' | ',' | '\'' | '’' | '٫' | '٬')
}

/// Where a token stands in normalised text, at the token's boundaries.
fn find(norm: &str, body: usize, tok: &Token) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    if tok.text.is_empty() {
        return out;
    }
    let (hay, needle) = match tok.kind {
        Kind::Link => (
            norm.to_ascii_lowercase(),
            tok.text
                .strip_prefix("mailto:")
                .unwrap_or(&tok.text)
                .to_ascii_lowercase(),
        ),
        _ => (norm.to_string(), tok.text.clone()),
    };
    let digit = |c: Option<char>| c.is_some_and(|c| digit_value(c).is_some());
    let mut from = body;
    while let Some(k) = hay.get(from..).and_then(|h| h.find(&needle)) {
        let (a, b) = (from + k, from + k + needle.len());
        from = b;
        let mut before = norm[..a].chars().rev();
        let mut after = norm[b..].chars();
        let (b1, b2, a1, a2) = (before.next(), before.next(), after.next(), after.next());
        let ok = match tok.kind {
            Kind::Number => {
                // Not inside a longer number: no digit, nor separator and digit, either side.
                let joined = |c: Option<char>, d: Option<char>| {
                    digit(c) || (c.is_some_and(is_sep) && digit(d))
                };
                !joined(b1, b2) && !joined(a1, a2)
            }
            Kind::Name => {
                !b1.is_some_and(char::is_alphanumeric) && !a1.is_some_and(char::is_alphanumeric)
            }
            Kind::Link => true,
        };
        if !ok {
            continue;
        }
        let r = if tok.kind == Kind::Link {
            // The whole link as written: its scheme and `www.` before, a slash after.
            let start = norm[..a]
                .rfind(|c: char| c == ' ' || "([<\"'«“".contains(c))
                .map_or(0, |i| {
                    i + norm[i..].chars().next().map_or(1, char::len_utf8)
                });
            let end = b + norm[b..].len() - norm[b..].trim_start_matches('/').len();
            start.max(body)..end
        } else {
            a..b
        };
        out.push(r);
    }
    out
}

/// The written text of a paragraph, escaped, with the label dimmed and the tokens marked.
fn highlight(p: &Paragraph, toks: &[Token]) -> String {
    let text = p.text.as_str();
    let m = Mapped::of(text);
    // The body starts where the normalised text says, when the two normalisations agree.
    let body = (m.norm == p.norm && p.body_start > 0 && p.body_start <= m.from.len()).then(|| {
        if p.body_start == m.from.len() {
            text.len()
        } else {
            m.from[p.body_start].0
        }
    });
    let search_from = if body.is_some() { p.body_start } else { 0 };
    let mut marks: Vec<(usize, usize, &Token)> = Vec::new();
    for t in toks {
        for r in find(&m.norm, search_from, t) {
            let (a, b) = m.written(r);
            marks.push((a, b, t));
        }
    }
    marks.sort_by_key(|&(a, b, _)| (a, std::cmp::Reverse(b)));
    let mut out = String::with_capacity(text.len() + 64);
    let mut at = 0;
    if let Some(b) = body {
        let _ = write!(out, "<span class=\"raw\">{}</span>", esc(&text[..b]));
        at = b;
    }
    for (a, b, t) in marks {
        if a < at {
            continue;
        }
        out.push_str(&esc(&text[at..a]));
        let _ = write!(
            out,
            "<mark class=\"{}\" title=\"{}\">{}</mark>",
            t.kind.class(),
            esc(&t.title),
            esc(&text[a..b])
        );
        at = b;
    }
    out.push_str(&esc(&text[at..]));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{Document, Format};

    fn para(text: &str) -> Paragraph {
        Document::parse("x.txt", text, Format::Text).paragraphs[0].clone()
    }

    fn tok(kind: Kind, text: &str) -> Token {
        Token {
            kind,
            text: text.into(),
            title: "not in es".into(),
        }
    }

    #[test]
    fn text_is_escaped_and_tokens_marked() {
        let p = para("3.   In 2021 <script>alert(1)</script> carried 11.6 million & 2021.");
        let got = highlight(&p, &[tok(Kind::Number, "11.6"), tok(Kind::Number, "2021")]);
        assert_eq!(
            got,
            "<span class=\"raw\">3.   </span>In <mark class=\"hn\" title=\"not in es\">2021</mark> \
             &lt;script&gt;alert(1)&lt;/script&gt; carried \
             <mark class=\"hn\" title=\"not in es\">11.6</mark> million &amp; \
             <mark class=\"hn\" title=\"not in es\">2021</mark>."
        );
    }

    #[test]
    fn numbers_are_marked_whole_and_never_in_the_label() {
        let p = para("1. From 1,250 to 250 and 1 250 in 2024.");
        let got = highlight(&p, &[tok(Kind::Number, "250"), tok(Kind::Number, "1")]);
        assert_eq!(
            got,
            "<span class=\"raw\">1. </span>From 1,250 to \
             <mark class=\"hn\" title=\"not in es\">250</mark> and \
             <mark class=\"hn\" title=\"not in es\">1</mark> \
             <mark class=\"hn\" title=\"not in es\">250</mark> in 2024."
        );
    }

    #[test]
    fn links_are_marked_as_written() {
        let p = para("See (https://www.Example.org/a/) and mail ME@x.org.");
        let got = highlight(
            &p,
            &[
                tok(Kind::Link, "example.org/a"),
                tok(Kind::Link, "mailto:me@x.org"),
            ],
        );
        assert_eq!(
            got,
            "See (<mark class=\"hl\" title=\"not in es\">https://www.Example.org/a/</mark>) \
             and mail <mark class=\"hl\" title=\"not in es\">ME@x.org</mark>."
        );
    }

    #[test]
    fn names_match_whole_words_across_normalisation() {
        let p = para("Tomas\u{00A0}Berger  met Tomasz and ﬁne Berger.");
        let got = highlight(&p, &[tok(Kind::Name, "Berger"), tok(Kind::Name, "Tomas")]);
        assert_eq!(
            got,
            "<mark class=\"hm\" title=\"not in es\">Tomas</mark>\u{00A0}\
             <mark class=\"hm\" title=\"not in es\">Berger</mark>  met Tomasz and ﬁne \
             <mark class=\"hm\" title=\"not in es\">Berger</mark>."
        );
    }

    /// A run built by hand, so that the page's bytes do not move with the scorer.
    fn page() -> String {
        use crate::align::Alignment;
        use crate::check::Policy;
        use crate::score::PairModel;
        let version = |path: &str, lang: &str, text: &str| Version {
            lang: LangTag::parse(lang).unwrap(),
            doc: Document::parse(path, text, Format::Text),
            origin: None,
        };
        let source = version(
            "doc.en.txt",
            "en",
            "Title\n\n1. In 2021 we met Anna.\n\n2. See www.example.org.\n\n3. Gone.\n",
        );
        let target = version(
            "doc.ar.txt",
            "ar",
            "عنوان\n\n1. في 2020 التقينا.\n\n2. انظر www.example.org.\n\n<script>x</script> & \"q\"\n",
        );
        let pair = |s: &[usize], t: &[usize], score: Option<f64>, flags: &[Flag], reasons| Pair {
            source: s.to_vec(),
            target: t.to_vec(),
            score,
            flags: flags.to_vec(),
            reasons,
            signals: None,
            notes: Vec::new(),
        };
        let mut diverging = pair(
            &[1],
            &[1],
            Some(0.35),
            &[Flag::Diverging],
            vec![Reason::Numbers, Reason::Names],
        );
        diverging.signals = Some(Signals {
            numbers_source_only: vec!["2021".into()],
            numbers_target_only: vec!["2020".into()],
            names_source_only: vec!["Anna".into()],
            ..Signals::default()
        });
        let pairs = vec![
            pair(&[0], &[0], Some(0.97), &[], vec![]),
            diverging,
            pair(&[2], &[2], Some(0.9), &[], vec![]),
            pair(&[3], &[], None, &[Flag::Missing], vec![]),
            pair(&[], &[3], None, &[Flag::Extra], vec![]),
        ];
        let docs = vec![DocResult {
            id: "doc".into(),
            source: Some(source),
            targets: vec![TargetResult {
                version: target,
                alignment: Alignment {
                    pairs,
                    model: PairModel::default(),
                },
            }],
            errors: Vec::new(),
            notes: Vec::new(),
        }];
        let policy = Policy::default();
        let verdict = policy.judge(&docs);
        let run = Run {
            command: super::super::Command::Check,
            docs: &docs,
            errors: &[],
            warnings: &[],
            verdict: Some(&verdict),
            fail_on: &policy.fail_on,
            color: false,
        };
        let mut out = Vec::new();
        write(&run, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn page_bytes() {
        let page = page();
        assert!(page.starts_with(
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        ));
        assert!(page.contains("@page { size: A4 portrait; margin: 12mm; }\n</style>\n"));
        assert!(page.ends_with("</script>\n</body>\n</html>\n"));
        let body = &page[page.find("<body>").unwrap()..page.find("<script>").unwrap()];
        assert_eq!(body, EXPECTED_BODY, "\n{body}");
    }

    const EXPECTED_BODY: &str = r#"<body>
<header class="top">
<h1>Review of doc</h1>
<p class="verdict fail">1 translation of 1 document: 3 findings; <strong>FAILED: 1 finding fails the policy (fail on: missing, untranslated)</strong></p>
<form id="filters" class="filters" role="search" hidden>
<label><input type="checkbox" id="f-problems"> Only problems</label>
<label>Flag <select id="f-flag"><option value="">any</option><option value="missing">missing</option><option value="extra">extra</option><option value="untranslated">untranslated</option><option value="diverging">diverging</option><option value="misnumbered">misnumbered</option><option value="reordered">reordered</option><option value="outdated">outdated</option></select></label>
<label>Language <select id="f-lang"><option value="">all</option><option value="ar">ar Arabic</option></select></label>
<label>Search <input type="search" id="f-q" placeholder="text, label or number"></label>
<output id="f-count" aria-live="polite"></output>
</form>
<noscript><p class="note">Filters need JavaScript; every row is shown.</p></noscript>
</header>
<main>
<section class="doc" aria-labelledby="d0">
<h2 id="d0">doc</h2>
<p class="src">Source: <b>en</b> English · doc.en.txt · 4 paragraphs</p>
<table class="summary">
<caption>Coverage and findings per language</caption>
<thead><tr><th scope="col">Language</th><th scope="col">Paragraphs</th><th scope="col">Coverage</th><th scope="col">missing</th><th scope="col">extra</th><th scope="col">untranslated</th><th scope="col">diverging</th><th scope="col">misnumbered</th><th scope="col">reordered</th></tr></thead>
<tbody>
<tr data-l="ar"><th scope="row"><b>ar</b> Arabic</th><td class="num">4</td><td class="cov"><span class="bar" aria-hidden="true"><i style="width:75.0%"></i></span> 75.0% <small>(3/4)</small></td><td class="num">1<span class="hbar" aria-hidden="true"><i class="f-missing" style="width:25%"></i></span></td><td class="num">1<span class="hbar" aria-hidden="true"><i class="f-extra" style="width:25%"></i></span></td><td class="num zero">0<span class="hbar" aria-hidden="true"><i class="f-untranslated" style="width:0%"></i></span></td><td class="num">1<span class="hbar" aria-hidden="true"><i class="f-diverging" style="width:25%"></i></span></td><td class="num zero">0<span class="hbar" aria-hidden="true"><i class="f-misnumbered" style="width:0%"></i></span></td><td class="num zero">0<span class="hbar" aria-hidden="true"><i class="f-reordered" style="width:0%"></i></span></td></tr>
</tbody>
</table>
<div class="grid" role="table" aria-label="doc, paragraph by paragraph" style="--n:2">
<div class="row head" role="row"><div class="cell" role="columnheader"><b>en</b> English <small>source · doc.en.txt</small></div><div class="cell t" role="columnheader" data-l="ar"><b>ar</b> Arabic <small>doc.ar.txt · 75.0%</small></div></div>
<div class="row ok" role="row" data-f="">
<div class="cell s" role="cell" dir="ltr"><div class="p"><div class="pm" dir="ltr"><span class="ln">line 1</span></div><p class="tx" lang="en">Title</p></div></div>
<div class="cell t" role="cell" data-l="ar" dir="rtl"><div class="pair"><div class="meta" dir="ltr"><span class="score s-hi" title="how likely the two are translations">score 0.97<span class="bar" aria-hidden="true"><i style="width:97%"></i></span></span></div><div class="p"><div class="pm" dir="ltr"><span class="ln">line 1</span></div><p class="tx" lang="ar">عنوان</p></div></div></div>
</div>
<div class="row bad w-diverging" role="row" data-f="ar:diverging">
<div class="cell s" role="cell" dir="ltr"><div class="p"><div class="pm" dir="ltr"><span class="lb">¶ 1</span><span class="ln">line 3</span></div><p class="tx" lang="en"><span class="raw">1. </span>In <mark class="hn" title="not in ar">2021</mark> we met <mark class="hm" title="not in ar">Anna</mark>.</p></div></div>
<div class="cell t x-diverging" role="cell" data-l="ar" dir="rtl"><div class="pair"><div class="meta" dir="ltr"><span class="badge b-diverging" title="paragraph 1 diverges from the source doc.en.txt:3: numbers differ (en has 2021; ar has 2020); names missing (Anna)">diverging: numbers, names</span><span class="score s-lo" title="how likely the two are translations">score 0.35<span class="bar" aria-hidden="true"><i style="width:35%"></i></span></span></div><div class="p"><div class="pm" dir="ltr"><span class="lb">¶ 1</span><span class="ln">line 3</span></div><p class="tx" lang="ar"><span class="raw">1. </span>في <mark class="hn" title="not in the en source">2020</mark> التقينا.</p></div><p class="why" dir="ltr">Numbers differ: only in en: <mark class="hn">2021</mark>; only in ar: <mark class="hn">2020</mark></p><p class="why" dir="ltr">Names not found in ar: <mark class="hm">Anna</mark></p></div></div>
</div>
<div class="row ok" role="row" data-f="">
<div class="cell s" role="cell" dir="ltr"><div class="p"><div class="pm" dir="ltr"><span class="lb">¶ 2</span><span class="ln">line 5</span></div><p class="tx" lang="en"><span class="raw">2. </span>See www.example.org.</p></div></div>
<div class="cell t" role="cell" data-l="ar" dir="rtl"><div class="pair"><div class="meta" dir="ltr"><span class="score s-hi" title="how likely the two are translations">score 0.90<span class="bar" aria-hidden="true"><i style="width:90%"></i></span></span></div><div class="p"><div class="pm" dir="ltr"><span class="lb">¶ 2</span><span class="ln">line 5</span></div><p class="tx" lang="ar"><span class="raw">2. </span>انظر www.example.org.</p></div></div></div>
</div>
<div class="row bad w-missing" role="row" data-f="ar:missing">
<div class="cell s" role="cell" dir="ltr"><div class="p"><div class="pm" dir="ltr"><span class="lb">¶ 3</span><span class="ln">line 7</span></div><p class="tx" lang="en"><span class="raw">3. </span>Gone.</p></div></div>
<div class="cell t x-missing missing" role="cell" data-l="ar" dir="rtl"><div class="pair"><div class="meta" dir="ltr"><span class="badge b-missing fail" title="paragraph 3 of the en source (doc.en.txt:7) has no ar translation">missing · fails</span></div><p class="empty" dir="ltr">No ar text for ¶ 3 (line 7).</p></div></div>
</div>
<div class="row bad w-extra" role="row" data-f="ar:extra" data-only="ar">
<div class="cell s none" role="cell"><span class="dash" title="no source paragraph">—</span></div>
<div class="cell t x-extra" role="cell" data-l="ar" dir="rtl"><div class="pair"><div class="meta" dir="ltr"><span class="badge b-extra" title="the paragraph at line 7 of the ar version has no counterpart in the en source">extra</span></div><div class="p"><div class="pm" dir="ltr"><span class="ln">line 7</span></div><p class="tx" lang="ar">&lt;script&gt;x&lt;/script&gt; &amp; &quot;q&quot;</p></div><p class="why" dir="ltr">No counterpart in the en source.</p></div></div>
</div>
</div>
</section>
</main>
"#;

    #[test]
    fn right_to_left_by_language_or_script() {
        for (tag, rtl) in [
            ("ar", true),
            ("he", true),
            ("fa", true),
            ("ur", true),
            ("yi", true),
            ("ps", true),
            ("sd", true),
            ("ug", true),
            ("dv", true),
            ("en", false),
            ("zh-Hans", false),
            ("az-Arab", true),
            ("sd-Deva", false),
        ] {
            assert_eq!(is_rtl(&LangTag::parse(tag).unwrap()), rtl, "{tag}");
        }
    }

    /// A version read from HTML under a language tag.
    fn html_version(lang: &str, body: &str) -> Version {
        let tag = LangTag::parse(lang).unwrap();
        let mut doc =
            crate::document::Document::parse("x.html", body, crate::document::Format::Html);
        doc.lang = Some(tag.clone());
        Version {
            lang: tag,
            doc,
            origin: None,
        }
    }

    #[test]
    fn text_is_shown_in_its_scripts_direction_else_the_declared_one_else_the_languages() {
        let arabic = "<p>منذ الساعات الأولى من يوم 11 مارس 2024، توقف العمل تمامًا في الميناء</p>";
        let latin = "<p>Since the early hours of 11 March 2024, the port has stood still.</p>";
        let page = |dir: &str, body: &str| format!("<html dir=\"{dir}\"><body>{body}");
        // The script decides where there is text enough to tell it.
        assert_eq!(
            version_dir(&html_version("ar", &page("ltr", arabic))),
            "rtl"
        );
        assert_eq!(version_dir(&html_version("he", &page("rtl", latin))), "ltr");
        // A title alone does not tell: the page's dir, else the language's usual direction.
        let short = "<p>عنوان</p>";
        assert_eq!(version_dir(&html_version("ks", &page("rtl", short))), "rtl");
        assert_eq!(version_dir(&html_version("ks", short)), "ltr");
        assert_eq!(version_dir(&html_version("ar", short)), "rtl");
    }
}
