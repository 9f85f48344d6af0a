//! DOCX (Office Open XML, as Word and LibreOffice write it): `word/document.xml` read into
//! blocks. Paragraphs, headings (by style: "heading N", "Title" or an outline level),
//! numbered lists with the numbers Word shows (from `word/numbering.xml`), tables row by row
//! (cells joined with ` | `), footnotes after the body. Tracked changes read as accepted:
//! insertions kept, deletions and moved-from text dropped. A block's position is its
//! 1-based paragraph number in the file (empty paragraphs not counted), where a text file
//! has a line.

use std::collections::HashMap;

use super::build::{list_number, Builder};
use super::markdown::ListNumber;
use super::office::{events, format_number, Package, X};
use super::{Block, BlockKind};
use crate::error::{Error, Result};

/// What a paragraph style says: a heading, or a list level.
#[derive(Debug, Clone, Default)]
struct Style {
    heading: bool,
    num: Option<(String, usize)>,
}

/// One level of a list definition.
#[derive(Debug, Clone)]
struct Level {
    format: String,
    text: String,
    start: u32,
}

/// `word/numbering.xml`: list definitions, and the counters as the document goes.
#[derive(Debug, Default)]
struct Numbering {
    abstracts: HashMap<String, Vec<Level>>,
    nums: HashMap<String, String>,
    counters: HashMap<String, [u32; 9]>,
}

/// Split a DOCX file into blocks, with the list numbers of numbered paragraphs.
pub(crate) fn blocks(bytes: &[u8]) -> Result<(Vec<Block>, Vec<Option<ListNumber>>)> {
    let mut pkg = Package::open(bytes, "DOCX")?;
    let body = pkg.part("word/document.xml")?.ok_or_else(|| {
        Error::input("a DOCX file without word/document.xml: save it again from the word processor")
    })?;
    let styles = match pkg.part("word/styles.xml")? {
        Some(s) => styles(&events(&s, "word/styles.xml")?),
        None => HashMap::new(),
    };
    let numbering = match pkg.part("word/numbering.xml")? {
        Some(s) => Numbering::parse(&events(&s, "word/numbering.xml")?),
        None => Numbering::default(),
    };
    let mut r = Reader {
        b: Builder::default(),
        styles,
        numbering,
    };
    r.read(&events(&body, "word/document.xml")?);
    if let Some(notes) = pkg.part("word/footnotes.xml")? {
        r.read(&events(&notes, "word/footnotes.xml")?);
    }
    Ok(r.b.finish())
}

/// Paragraph styles by id.
fn styles(ev: &[X]) -> HashMap<String, Style> {
    let mut out = HashMap::new();
    let mut cur: Option<(String, Style)> = None;
    let mut lvl = 0;
    for e in ev {
        match e {
            X::Start { name, .. } if name == "w:style" => {
                cur = e
                    .attr("w:styleId")
                    .map(|id| (id.to_string(), Style::default()));
                lvl = 0;
            }
            X::Start { name, .. } => {
                let Some((_, s)) = cur.as_mut() else { continue };
                let val = e.attr("w:val").unwrap_or_default();
                match name.as_str() {
                    "w:name" => {
                        let n = val.to_ascii_lowercase();
                        s.heading |= n.starts_with("heading") || n == "title";
                    }
                    "w:outlineLvl" => s.heading |= val.parse::<u8>().is_ok_and(|l| l < 9),
                    "w:ilvl" => lvl = val.parse().unwrap_or(0),
                    "w:numId" => s.num = Some((val.to_string(), lvl)),
                    _ => {}
                }
            }
            X::End(name) if name == "w:style" => {
                if let Some((id, s)) = cur.take() {
                    out.insert(id, s);
                }
            }
            _ => {}
        }
    }
    out
}

impl Numbering {
    fn parse(ev: &[X]) -> Numbering {
        let mut n = Numbering::default();
        let mut abs: Option<String> = None;
        let mut num: Option<String> = None;
        for e in ev {
            let X::Start { name, .. } = e else { continue };
            let val = e.attr("w:val").unwrap_or_default();
            match name.as_str() {
                "w:abstractNum" => abs = e.attr("w:abstractNumId").map(str::to_string),
                "w:num" => num = e.attr("w:numId").map(str::to_string),
                "w:abstractNumId" => {
                    if let Some(id) = num.take() {
                        n.nums.insert(id, val.to_string());
                    }
                }
                "w:lvl" => {
                    if let Some(a) = &abs {
                        n.abstracts.entry(a.clone()).or_default().push(Level {
                            format: "decimal".into(),
                            text: String::new(),
                            start: 1,
                        });
                    }
                }
                "w:start" | "w:numFmt" | "w:lvlText" => {
                    let Some(l) = abs
                        .as_ref()
                        .and_then(|a| n.abstracts.get_mut(a))
                        .and_then(|v| v.last_mut())
                    else {
                        continue;
                    };
                    match name.as_str() {
                        "w:start" => l.start = val.parse().unwrap_or(1),
                        "w:numFmt" => l.format = val.to_string(),
                        _ => l.text = val.to_string(),
                    }
                }
                _ => {}
            }
        }
        n
    }

    /// The number Word shows for the next paragraph of list `num` at level `ilvl`.
    fn next(&mut self, num: &str, ilvl: usize) -> Option<ListNumber> {
        let abs = self.nums.get(num)?;
        let levels = self.abstracts.get(abs)?;
        let level = levels.get(ilvl.min(8))?;
        if matches!(level.format.as_str(), "bullet" | "none") {
            return None;
        }
        let c = self.counters.entry(abs.clone()).or_insert([0; 9]);
        let ilvl = ilvl.min(8);
        c[ilvl] = if c[ilvl] == 0 {
            level.start
        } else {
            c[ilvl] + 1
        };
        for (k, v) in c.iter_mut().enumerate().skip(ilvl + 1) {
            let _ = k;
            *v = 0;
        }
        let mut path = Vec::new();
        for (k, l) in levels.iter().enumerate().take(ilvl + 1) {
            path.push(if c[k] == 0 { l.start } else { c[k] });
        }
        let mut raw = level.text.clone();
        for (k, l) in levels.iter().enumerate().take(ilvl + 1).rev() {
            raw = raw.replace(&format!("%{}", k + 1), &format_number(path[k], &l.format));
        }
        let value = path.pop()?;
        Some(list_number(&path, value, raw.trim().to_string()))
    }
}

/// The walk through a part's paragraphs.
struct Reader {
    b: Builder,
    styles: HashMap<String, Style>,
    numbering: Numbering,
}

/// A paragraph being read.
#[derive(Default)]
struct Para {
    style: Option<String>,
    num: Option<(String, usize)>,
    text: String,
}

impl Reader {
    fn read(&mut self, ev: &[X]) {
        let mut paras: Vec<Para> = Vec::new();
        let mut row: Option<Vec<String>> = None;
        let mut skip = 0usize;
        let mut in_t = false;
        for e in ev {
            match e {
                X::Start { name, empty, .. } => {
                    let n = name.as_str();
                    if skip > 0
                        || matches!(n, "w:del" | "w:moveFrom" | "mc:Fallback")
                        || note_skipped(e)
                    {
                        skip += usize::from(!empty);
                        continue;
                    }
                    let p = paras.last_mut();
                    match (n, p) {
                        ("w:p", _) if !empty => paras.push(Para::default()),
                        ("w:tr", _) => row = Some(Vec::new()),
                        ("w:tc", _) => {
                            if let Some(r) = row.as_mut() {
                                r.push(String::new());
                            }
                        }
                        ("w:t", _) => in_t = !empty,
                        ("w:tab", Some(p)) => p.text.push('\t'),
                        ("w:br" | "w:cr", Some(p)) => p.text.push('\n'),
                        ("w:noBreakHyphen", Some(p)) => p.text.push('-'),
                        ("w:pStyle", Some(p)) => p.style = e.attr("w:val").map(str::to_string),
                        ("w:numId", Some(p)) => {
                            let id = e.attr("w:val").unwrap_or_default().to_string();
                            let l = p.num.as_ref().map_or(0, |n| n.1);
                            p.num = Some((id, l));
                        }
                        ("w:ilvl", Some(p)) => {
                            let l = e.attr("w:val").and_then(|v| v.parse().ok()).unwrap_or(0);
                            let id = p.num.take().map(|n| n.0).unwrap_or_default();
                            p.num = Some((id, l));
                        }
                        _ => {}
                    }
                }
                X::End(_) if skip > 0 => skip -= 1,
                X::End(n) => match n.as_str() {
                    "w:t" => in_t = false,
                    "w:p" => {
                        if let Some(p) = paras.pop() {
                            self.paragraph(p, row.as_mut());
                        }
                    }
                    "w:tr" => {
                        if let Some(cells) = row.take() {
                            self.b.table_row(&cells);
                        }
                    }
                    _ => {}
                },
                X::Text(t) if in_t && skip == 0 => {
                    if let Some(p) = paras.last_mut() {
                        p.text.push_str(t);
                    }
                }
                X::Text(_) => {}
            }
        }
    }

    /// A paragraph read: a block of its own, or a part of a table cell.
    fn paragraph(&mut self, p: Para, row: Option<&mut Vec<String>>) {
        if super::office::into_cell(row, &p.text) {
            return;
        }
        if p.text.trim().is_empty() {
            return;
        }
        let style = p
            .style
            .as_ref()
            .and_then(|s| self.styles.get(s))
            .cloned()
            .unwrap_or_default();
        let pos = self.b.len() + 1;
        let num = p
            .num
            .clone()
            .or(style.num.clone())
            .filter(|(id, _)| !id.is_empty() && id != "0");
        if style.heading {
            self.b.start(BlockKind::Heading, pos);
        } else if let Some((id, lvl)) = num {
            let n = self.numbering.next(&id, lvl);
            self.b.start_item(pos, n);
        } else {
            self.b.start(BlockKind::Text, pos);
        }
        self.b.push(&p.text, pos);
        self.b.flush();
    }
}

/// The separators Word keeps among the footnotes.
fn note_skipped(e: &X) -> bool {
    matches!(e, X::Start { name, .. } if name == "w:footnote")
        && matches!(
            e.attr("w:type"),
            Some("separator" | "continuationSeparator" | "continuationNotice")
        )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::office::package;

    const W: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main""#;

    fn read(
        body: &str,
        numbering: &str,
        notes: &str,
    ) -> Vec<(usize, BlockKind, String, Option<Vec<u32>>)> {
        let doc = format!("<w:document {W}><w:body>{body}</w:body></w:document>");
        let styles = format!(
            r#"<w:styles {W}><w:style w:type="paragraph" w:styleId="Titre1"><w:name w:val="heading 1"/></w:style><w:style w:type="paragraph" w:styleId="Quote"><w:name w:val="Quote"/></w:style></w:styles>"#
        );
        let mut parts = vec![
            ("word/document.xml", doc.as_str()),
            ("word/styles.xml", styles.as_str()),
        ];
        let numbering = format!("<w:numbering {W}>{numbering}</w:numbering>");
        parts.push(("word/numbering.xml", numbering.as_str()));
        let notes = format!("<w:footnotes {W}>{notes}</w:footnotes>");
        parts.push(("word/footnotes.xml", notes.as_str()));
        let (b, n) = blocks(&package(&parts)).unwrap();
        b.into_iter()
            .enumerate()
            .map(|(i, b)| {
                (
                    b.line,
                    b.kind,
                    b.text,
                    n.get(i).cloned().flatten().map(|n| n.own),
                )
            })
            .collect()
    }

    fn p(inner: &str) -> String {
        format!("<w:p>{inner}</w:p>")
    }

    fn r(text: &str) -> String {
        format!(r#"<w:r><w:t xml:space="preserve">{text}</w:t></w:r>"#)
    }

    #[test]
    fn headings_lists_tables_changes_and_footnotes() {
        let num = |lvl: u8, id: u8| {
            format!(
                r#"<w:pPr><w:numPr><w:ilvl w:val="{lvl}"/><w:numId w:val="{id}"/></w:numPr></w:pPr>"#
            )
        };
        let body = [
            p(&format!(r#"<w:pPr><w:pStyle w:val="Titre1"/></w:pPr>{}"#, r("Title"))),
            p(&format!("{}{}", num(0, 1), r("First"))),
            p(&format!("{}{}", num(1, 1), r("Sub"))),
            p(&format!("{}{}", num(0, 1), r("Second"))),
            p(&format!("{}{}", num(0, 2), r("Bullet"))),
            p(&format!(
                r#"{}<w:ins w:id="1"><w:r><w:t>new </w:t></w:r></w:ins><w:del w:id="2"><w:r><w:delText>old </w:delText></w:r></w:del>{}<w:r><w:footnoteReference w:id="1"/></w:r>"#,
                r("Kept "),
                r("text.")
            )),
            "<w:p/>".to_string(),
            format!("<w:tbl><w:tr><w:tc>{}</w:tc><w:tc>{}{}</w:tc></w:tr></w:tbl>", p(&r("a")), p(&r("b")), p(&r("c"))),
        ]
        .concat();
        let numbering = r#"<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="3"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl><w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%1.%2)"/></w:lvl></w:abstractNum><w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/><w:lvlText w:val="•"/></w:lvl></w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num><w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>"#;
        let notes = format!(
            r#"<w:footnote w:type="separator" w:id="-1">{}</w:footnote><w:footnote w:id="1">{}</w:footnote>"#,
            p(&r("----")),
            p(&r("A note."))
        );
        let got = read(&body, numbering, &notes);
        let want: Vec<(usize, BlockKind, String, Option<Vec<u32>>)> = vec![
            (1, BlockKind::Heading, "Title".into(), None),
            (2, BlockKind::Item, "3. First".into(), Some(vec![3])),
            (3, BlockKind::Item, "3.a) Sub".into(), Some(vec![3, 1])),
            (4, BlockKind::Item, "4. Second".into(), Some(vec![4])),
            (5, BlockKind::Item, "Bullet".into(), None),
            (6, BlockKind::Text, "Kept new text.".into(), None),
            (7, BlockKind::Text, "a | b c".into(), None),
            (8, BlockKind::Text, "A note.".into(), None),
        ];
        assert_eq!(got, want);
    }

    #[test]
    fn a_package_without_a_document_is_an_error() {
        let e = blocks(&package(&[("x.xml", "<a/>")])).unwrap_err();
        assert!(e.to_string().contains("word/document.xml"), "{e}");
        let e = blocks(b"PK\x03\x04 broken").unwrap_err();
        assert!(e.to_string().contains("not a readable DOCX file"), "{e}");
    }
}
