//! ODT (OpenDocument text, as LibreOffice writes it): `content.xml` read into blocks.
//! `text:p` paragraphs, `text:h` headings (and the "Title" style), list items with the numbers
//! LibreOffice shows (from the list styles of `content.xml` and `styles.xml`), tables row by
//! row (cells joined with ` | `), footnotes and endnotes after the body. Tracked changes read
//! as accepted: the deleted text kept in `text:tracked-changes` is dropped. A block's position
//! is its 1-based paragraph number in the file (empty paragraphs not counted).

use std::collections::HashMap;

use super::build::{list_number, Builder};
use super::markdown::ListNumber;
use super::office::{events, format_number, Package, X};
use super::{Block, BlockKind};
use crate::error::{Error, Result};

/// One level of a list style: `None` for a bullet.
#[derive(Debug, Clone, Default)]
struct Level {
    number: Option<(String, String, String, u32)>,
}

/// Elements whose content is not the document's text.
const SKIPPED: &[&str] = &[
    "text:tracked-changes",
    "text:note-citation",
    "office:annotation",
    "text:sequence-decls",
    "office:forms",
];

/// Split an ODT file into blocks, with the list numbers of numbered items.
pub(crate) fn blocks(bytes: &[u8]) -> Result<(Vec<Block>, Vec<Option<ListNumber>>)> {
    let mut pkg = Package::open(bytes, "ODT")?;
    let content = pkg.part("content.xml")?.ok_or_else(|| {
        Error::input("an ODT file without content.xml: save it again from the word processor")
    })?;
    let ev = events(&content, "content.xml")?;
    let mut lists = HashMap::new();
    if let Some(s) = pkg.part("styles.xml")? {
        list_styles(&events(&s, "styles.xml")?, &mut lists);
    }
    list_styles(&ev, &mut lists);
    let mut r = Reader {
        b: Builder::default(),
        lists,
        counters: HashMap::new(),
        notes: Vec::new(),
    };
    r.read(&ev);
    for n in std::mem::take(&mut r.notes) {
        let pos = r.b.len() + 1;
        r.b.start(BlockKind::Text, pos);
        r.b.push(&n, pos);
        r.b.flush();
    }
    Ok(r.b.finish())
}

/// The list styles (`text:list-style`) by name, each level's number format.
fn list_styles(ev: &[X], out: &mut HashMap<String, Vec<Level>>) {
    let mut cur: Option<String> = None;
    for e in ev {
        match e {
            X::Start { name, .. } if name == "text:list-style" => {
                cur = e.attr("style:name").map(str::to_string);
            }
            X::Start { name, .. }
                if name == "text:list-level-style-number"
                    || name == "text:list-level-style-bullet" =>
            {
                let Some(style) = &cur else { continue };
                let level: usize = e
                    .attr("text:level")
                    .and_then(|l| l.parse().ok())
                    .unwrap_or(1);
                let levels = out.entry(style.clone()).or_default();
                if levels.len() < level.min(10) {
                    levels.resize(level.min(10), Level::default());
                }
                let number = (name == "text:list-level-style-number")
                    .then(|| {
                        let format = e.attr("style:num-format").unwrap_or("1").to_string();
                        (!format.is_empty()).then(|| {
                            (
                                format,
                                e.attr("style:num-prefix").unwrap_or_default().to_string(),
                                e.attr("style:num-suffix").unwrap_or_default().to_string(),
                                e.attr("text:start-value")
                                    .and_then(|v| v.parse().ok())
                                    .unwrap_or(1),
                            )
                        })
                    })
                    .flatten();
                if let Some(l) = levels.get_mut(level.clamp(1, 10) - 1) {
                    l.number = number;
                }
            }
            X::End(name) if name == "text:list-style" => cur = None,
            _ => {}
        }
    }
}

/// The walk through `content.xml`.
struct Reader {
    b: Builder,
    lists: HashMap<String, Vec<Level>>,
    /// The counters of each list style, level by level.
    counters: HashMap<String, Vec<u32>>,
    notes: Vec<String>,
}

/// A paragraph being read.
struct Para {
    heading: bool,
    /// The list item it opens: the style and level.
    item: Option<(String, usize)>,
    in_note: bool,
    text: String,
}

/// An open `text:list`.
struct List {
    style: String,
}

/// Where the walk through `content.xml` is.
#[derive(Default)]
struct Walk {
    paras: Vec<Para>,
    lists: Vec<List>,
    row: Option<Vec<String>>,
    /// Depth inside an element that is skipped.
    skip: usize,
    /// Depth inside note bodies.
    notes: usize,
    /// A list item opened and its first paragraph not yet seen.
    fresh_item: bool,
}

impl Reader {
    fn read(&mut self, ev: &[X]) {
        let mut w = Walk::default();
        for e in ev {
            match e {
                X::Start { name, empty, .. } => {
                    if w.skip > 0 || SKIPPED.contains(&name.as_str()) {
                        w.skip += usize::from(!empty);
                    } else {
                        self.start(&mut w, e, name, *empty);
                    }
                }
                X::End(_) if w.skip > 0 => w.skip -= 1,
                X::End(n) => match n.as_str() {
                    "text:p" | "text:h" => {
                        if let Some(p) = w.paras.pop() {
                            self.paragraph(p, w.row.as_mut());
                        }
                    }
                    "text:list" => {
                        w.lists.pop();
                    }
                    "text:note-body" => w.notes = w.notes.saturating_sub(1),
                    "table:table-row" => {
                        if let Some(cells) = w.row.take() {
                            self.b.table_row(&cells);
                        }
                    }
                    _ => {}
                },
                X::Text(t) if w.skip == 0 => {
                    if let Some(p) = w.paras.last_mut() {
                        fold_into(&mut p.text, t);
                    }
                }
                X::Text(_) => {}
            }
        }
    }

    /// A start tag outside skipped elements.
    fn start(&mut self, w: &mut Walk, e: &X, name: &str, empty: bool) {
        match name {
            "text:p" | "text:h" if !empty => {
                let item = w
                    .fresh_item
                    .then(|| w.lists.last().map(|l| (l.style.clone(), w.lists.len() - 1)))
                    .flatten();
                w.fresh_item = false;
                w.paras.push(Para {
                    heading: name == "text:h" || e.attr("text:style-name") == Some("Title"),
                    item,
                    in_note: w.notes > 0,
                    text: String::new(),
                });
            }
            "text:list" if !empty => {
                let style = e
                    .attr("text:style-name")
                    .map(str::to_string)
                    .or_else(|| w.lists.last().map(|l| l.style.clone()))
                    .unwrap_or_default();
                let continues = e.attr("text:continue-numbering") == Some("true")
                    || e.attr("text:continue-list").is_some();
                if w.lists.is_empty() && !continues {
                    self.counters.remove(&style);
                }
                w.lists.push(List { style });
            }
            "text:list-item" => w.fresh_item = !empty,
            "text:note-body" if !empty => w.notes += 1,
            "table:table-row" if !empty => w.row = Some(Vec::new()),
            "table:table-cell" => {
                if let Some(r) = w.row.as_mut() {
                    r.push(String::new());
                }
            }
            "text:s" | "text:tab" | "text:line-break" => {
                let Some(p) = w.paras.last_mut() else { return };
                match name {
                    "text:s" => {
                        let c = e
                            .attr("text:c")
                            .and_then(|c| c.parse().ok())
                            .unwrap_or(1usize);
                        p.text.extend(std::iter::repeat_n(' ', c.min(1000)));
                    }
                    "text:tab" => p.text.push('\t'),
                    _ => p.text.push('\n'),
                }
            }
            _ => {}
        }
    }

    /// A paragraph read: a footnote, a part of a table cell or a block of its own.
    fn paragraph(&mut self, p: Para, row: Option<&mut Vec<String>>) {
        if p.in_note {
            if !p.text.trim().is_empty() {
                self.notes.push(p.text.trim().to_string());
            }
            return;
        }
        if super::office::into_cell(row, &p.text) {
            return;
        }
        if p.text.trim().is_empty() {
            return;
        }
        let pos = self.b.len() + 1;
        match (&p.item, p.heading) {
            (_, true) => self.b.start(BlockKind::Heading, pos),
            (Some((style, level)), false) => {
                let n = self.number(style, *level);
                self.b.start_item(pos, n);
            }
            (None, false) => self.b.start(BlockKind::Text, pos),
        }
        self.b.push(&p.text, pos);
        self.b.flush();
    }

    /// The number LibreOffice shows for the next item of a list of `style` at `level`.
    fn number(&mut self, style: &str, level: usize) -> Option<ListNumber> {
        let levels = self.lists.get(style)?;
        let (format, prefix, suffix, start) = levels.get(level)?.number.clone()?;
        let c = self.counters.entry(style.to_string()).or_default();
        if c.len() <= level {
            c.resize(level + 1, 0);
        }
        c[level] = if c[level] == 0 { start } else { c[level] + 1 };
        c.truncate(level + 1);
        let path: Vec<u32> = c.iter().map(|&v| v.max(1)).collect();
        let value = *path.last()?;
        let raw = format!("{prefix}{}{suffix}", format_number(value, &format));
        Some(list_number(
            &path[..path.len() - 1],
            value,
            raw.trim().to_string(),
        ))
    }
}

/// Add XML text to a paragraph with runs of white space folded to one space, as ODF reads it.
fn fold_into(out: &mut String, t: &str) {
    let mut space = out.ends_with(' ');
    for c in t.chars() {
        if c.is_whitespace() {
            if !space {
                out.push(' ');
            }
            space = true;
        } else {
            out.push(c);
            space = false;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::office::package;

    const NS: &str = r#"xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0""#;

    #[test]
    fn headings_lists_tables_changes_and_footnotes() {
        let content = format!(
            r#"<office:document-content {NS}><office:automatic-styles><text:list-style style:name="L1"><text:list-level-style-number text:level="1" style:num-format="1" style:num-suffix="." text:start-value="2"/><text:list-level-style-number text:level="2" style:num-format="a" style:num-suffix=")"/></text:list-style><text:list-style style:name="L2"><text:list-level-style-bullet text:level="1"/></text:list-style></office:automatic-styles><office:body><office:text><text:tracked-changes><text:changed-region text:id="c1"><text:deletion><text:p>gone</text:p></text:deletion></text:changed-region></text:tracked-changes><text:h text:outline-level="1">Title</text:h><text:list text:style-name="L1"><text:list-item><text:p>Two</text:p><text:list><text:list-item><text:p>Sub</text:p></text:list-item></text:list></text:list-item><text:list-item><text:p>Three</text:p></text:list-item></text:list><text:list text:style-name="L2"><text:list-item><text:p>Bullet</text:p></text:list-item></text:list><text:p>Kept<text:s text:c="2"/>text<text:change text:change-id="c1"/>.<text:note text:note-class="footnote"><text:note-citation>1</text:note-citation><text:note-body><text:p>A note.</text:p></text:note-body></text:note></text:p><text:p/><table:table><table:table-row><table:table-cell><text:p>a</text:p></table:table-cell><table:table-cell><text:p>b</text:p></table:table-cell></table:table-row></table:table></office:text></office:body></office:document-content>"#
        );
        let (b, n) = blocks(&package(&[
            ("mimetype", "application/vnd.oasis.opendocument.text"),
            ("content.xml", &content),
        ]))
        .unwrap();
        let got: Vec<(usize, BlockKind, &str, Option<Vec<u32>>)> = b
            .iter()
            .enumerate()
            .map(|(i, b)| {
                (
                    b.line,
                    b.kind,
                    b.text.as_str(),
                    n.get(i).cloned().flatten().map(|n| n.own),
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                (1, BlockKind::Heading, "Title", None),
                (2, BlockKind::Item, "2. Two", Some(vec![2])),
                (3, BlockKind::Item, "a) Sub", Some(vec![2, 1])),
                (4, BlockKind::Item, "3. Three", Some(vec![3])),
                (5, BlockKind::Item, "Bullet", None),
                (6, BlockKind::Text, "Kept  text.", None),
                (7, BlockKind::Text, "a | b", None),
                (8, BlockKind::Text, "A note.", None),
            ]
        );
    }
}
