//! One document's section of the review page: the summary table (coverage and counts per
//! flag per language) and the grid of its rows, source first.

use crate::text::plural;
use std::fmt::Write as _;
use std::io::{self, Write};
use std::ops::Range;

use super::row::Ctx;
use super::{version_dir, Judgements};
use crate::align::Flag;
use crate::check::DocResult;
use crate::collect::Version;
use crate::report::xml_escape as esc;

/// The flags shown in a document's summary: every one but `outdated`, which only a memory sets.
pub(super) fn summary_flags(doc: &DocResult) -> Vec<Flag> {
    let outdated = doc
        .targets
        .iter()
        .any(|t| t.alignment.counts().outdated > 0);
    Flag::ALL
        .into_iter()
        .filter(|f| *f != Flag::Outdated || outdated)
        .collect()
}

pub(super) fn count(c: &crate::align::Counts, f: Flag) -> usize {
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

pub(super) fn section(
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
pub(super) fn summary(s: &mut String, doc: &DocResult, source: &Version) {
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
pub(super) enum Row {
    Unit(Range<usize>),
    Extra { target: usize, pair: usize },
}

/// The rows of a document: source paragraphs joined into one unit wherever any target pairs
/// them together, and each target's extra paragraphs after the unit they follow.
pub(super) fn rows(doc: &DocResult, n: usize) -> (Vec<Row>, Vec<Vec<Vec<usize>>>) {
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

pub(super) fn grid(
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
