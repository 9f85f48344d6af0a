//! Markdown (CommonMark, parsed by pulldown-cmark): headings, paragraphs, list items, code
//! blocks and thematic breaks each become one paragraph. Inline markup is dropped, except
//! inline code's backticks (code is told from prose by them). An ordered
//! list item keeps the number its author wrote (a skipped or doubled number shows as such),
//! except in a list written `1.` `1.` `1.` for the renderer to number, which gets the
//! renderer's numbers and says so; a list inside a numbered item nests under its number
//! (`2.1`).

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use super::{Block, BlockKind};

/// The number of an ordered list's item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ListNumber {
    /// The full path, nested under the numbered items the list stands in (`[2, 1]`).
    pub own: Vec<u32>,
    /// The marker as written (`3.`, `1)`).
    pub raw: String,
    /// The list is written `1.` `1.` `1.`: the number is the renderer's, not the author's.
    pub rendered: bool,
}

/// An open ordered or bullet list.
struct List {
    /// The next number the renderer would give (None for a bullet list).
    next: Option<u64>,
    /// The path of the numbered item the list stands in.
    parent: Vec<u32>,
    /// Its items so far: the block index and the number as written.
    items: Vec<(usize, u64)>,
}

/// The number written at the start of a list item's source (`12.` or `12)`).
fn written_number(src: &str) -> Option<(u64, String)> {
    let s = src.trim_start();
    let digits: String = s.chars().take_while(char::is_ascii_digit).collect();
    let delim = s[digits.len()..].chars().next()?;
    if digits.is_empty() || digits.len() > 9 || !matches!(delim, '.' | ')') {
        return None;
    }
    Some((digits.parse().ok()?, format!("{digits}{delim}")))
}

struct Open {
    text: String,
    start: usize,
    kind: BlockKind,
    /// Link and image targets in the block.
    targets: Vec<String>,
}

/// Split Markdown source (with `\n` line ends) into blocks, with the list number of each
/// ordered list item.
pub(crate) fn blocks(src: &str) -> (Vec<Block>, Vec<Option<ListNumber>>) {
    // Front matter (YAML between `---`, TOML between `+++`) is not text to translate.
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS
        | Options::ENABLE_PLUSES_DELIMITED_METADATA_BLOCKS;
    let mut reader = Reader {
        src,
        line_starts: std::iter::once(0)
            .chain(src.match_indices('\n').map(|(i, _)| i + 1))
            .collect(),
        out: Vec::new(),
        open: None,
        lists: Vec::new(),
        numbers: Vec::new(),
        item_path: Vec::new(),
        front_matter: false,
    };
    for (event, range) in Parser::new_ext(src, options).into_offset_iter() {
        reader.event(event, range);
    }
    reader.flush();
    let Reader {
        out, mut numbers, ..
    } = reader;
    numbers.resize(out.len(), None);
    (out, numbers)
}

/// The blocks read so far and what is open: the state of [`blocks`].
struct Reader<'a> {
    src: &'a str,
    /// The byte offset where each line starts.
    line_starts: Vec<usize>,
    out: Vec<Block>,
    /// The block being read.
    open: Option<Open>,
    lists: Vec<List>,
    numbers: Vec<Option<ListNumber>>,
    /// The path of the numbered item being read (the parent of a list that opens in it).
    item_path: Vec<Vec<u32>>,
    /// Inside front matter.
    front_matter: bool,
}

impl Reader<'_> {
    /// The line (from 1) of a byte offset.
    fn line_of(&self, offset: usize) -> usize {
        match self.line_starts.binary_search(&offset) {
            Ok(i) => i + 1,
            Err(i) => i,
        }
    }

    /// Close the open block: it becomes a block unless it holds no text.
    fn flush(&mut self) {
        if let Some(o) = self.open.take() {
            let text = o.text.trim().to_string();
            if !text.is_empty() {
                self.out.push(Block {
                    text,
                    line: self.line_of(o.start),
                    kind: o.kind,
                    targets: o.targets,
                });
            }
        }
    }

    /// Close the open block and open one of `kind` at `start`, holding `text`.
    fn start(&mut self, kind: BlockKind, start: usize, text: String) {
        self.flush();
        self.open = Some(Open {
            text,
            start,
            kind,
            targets: Vec::new(),
        });
    }

    /// The open block, or a text block opened at `start` (inline content outside any block).
    fn text_at(&mut self, start: usize) -> &mut Open {
        self.open.get_or_insert_with(|| Open {
            text: String::new(),
            start,
            kind: BlockKind::Text,
            targets: Vec::new(),
        })
    }

    fn event(&mut self, event: Event, range: std::ops::Range<usize>) {
        match event {
            Event::Start(Tag::MetadataBlock(_)) => self.front_matter = true,
            Event::End(TagEnd::MetadataBlock(_)) => self.front_matter = false,
            _ if self.front_matter => {}
            Event::Start(tag) => self.open_tag(tag, range),
            Event::End(tag) => self.close_tag(tag),
            Event::Rule => {
                self.flush();
                self.out.push(Block {
                    text: self.src[range.clone()].trim().to_string(),
                    line: self.line_of(range.start),
                    kind: BlockKind::Separator,
                    targets: Vec::new(),
                });
            }
            Event::Text(t) | Event::InlineMath(t) | Event::DisplayMath(t) => {
                self.text_at(range.start).text.push_str(&t);
            }
            // Inline code keeps its backticks: it is code, not prose to translate.
            Event::Code(t) => {
                let text = &mut self.text_at(range.start).text;
                text.push('`');
                text.push_str(&t);
                text.push('`');
            }
            Event::Html(t) | Event::InlineHtml(t) => {
                let text = &mut self.text_at(range.start).text;
                text.push_str(t.trim_end_matches('\n'));
            }
            Event::SoftBreak | Event::HardBreak => {
                let hard = matches!(event, Event::HardBreak);
                if let Some(o) = self.open.as_mut() {
                    o.text.push(if hard { '\n' } else { ' ' });
                }
            }
            _ => {}
        }
    }

    fn open_tag(&mut self, tag: Tag, range: std::ops::Range<usize>) {
        match tag {
            // A link's or an image's target is kept apart from the text, to be compared.
            Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. } => {
                self.text_at(range.start).targets.push(dest_url.to_string());
            }
            Tag::List(first) => {
                self.flush();
                self.lists.push(List {
                    next: first,
                    parent: self.item_path.last().cloned().unwrap_or_default(),
                    items: Vec::new(),
                });
            }
            Tag::Item => self.open_item(range),
            Tag::Paragraph => {
                // A paragraph that opens a list item continues the item's block.
                let continues = matches!(&self.open, Some(o) if o.kind == BlockKind::Item
                    && o.text.trim_end().chars().all(|c| c.is_ascii_digit() || c == '.' || c == ')'));
                if !continues {
                    self.start(BlockKind::Text, range.start, String::new());
                }
            }
            Tag::Heading { .. } => self.start(BlockKind::Heading, range.start, String::new()),
            Tag::CodeBlock(_) => self.start(BlockKind::Code, range.start, String::new()),
            Tag::TableRow | Tag::TableHead => {
                self.start(BlockKind::Text, range.start, String::new());
            }
            _ => {}
        }
    }

    fn close_tag(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::List(_) => {
                self.flush();
                if let Some(list) = self.lists.pop() {
                    renderer_numbers(&list, &mut self.numbers);
                }
            }
            TagEnd::TableCell => {
                if let Some(o) = self.open.as_mut() {
                    o.text.push_str(" | ");
                }
            }
            TagEnd::Item => {
                self.flush();
                self.item_path.pop();
            }
            TagEnd::Paragraph
            | TagEnd::Heading(_)
            | TagEnd::CodeBlock
            | TagEnd::TableRow
            | TagEnd::TableHead => self.flush(),
            _ => {}
        }
    }

    /// A list item opens: in an ordered list it takes its number as written (or the
    /// renderer's), and its path nests under the item its list stands in.
    fn open_item(&mut self, range: std::ops::Range<usize>) {
        self.flush();
        let mut text = String::new();
        let mut path = self.item_path.last().cloned().unwrap_or_default();
        if let Some(list) = self.lists.last_mut() {
            path = list.parent.clone();
            if let Some(n) = list.next.as_mut() {
                let (value, raw) =
                    written_number(&self.src[range.clone()]).unwrap_or((*n, format!("{n}.")));
                *n += 1;
                text = format!("{raw} ");
                path.push(u32::try_from(value).unwrap_or(u32::MAX));
                // The block this item becomes is the next one pushed.
                while self.numbers.len() < self.out.len() {
                    self.numbers.push(None);
                }
                list.items.push((self.out.len(), value));
                self.numbers.push(Some(ListNumber {
                    own: path.clone(),
                    raw,
                    rendered: false,
                }));
            }
        }
        self.item_path.push(path);
        self.start(BlockKind::Item, range.start, text);
    }
}

/// A list whose items are all written with one number (`1.` `1.` `1.`) is numbered by the
/// renderer: its items get the renderer's numbers, marked as such.
fn renderer_numbers(list: &List, numbers: &mut [Option<ListNumber>]) {
    let Some(&(_, first)) = list.items.first() else {
        return;
    };
    if list.items.len() < 2 || list.items.iter().any(|&(_, v)| v != first) {
        return;
    }
    for (k, &(block, _)) in list.items.iter().enumerate() {
        if let Some(Some(n)) = numbers.get_mut(block) {
            if let Some(last) = n.own.last_mut() {
                *last = u32::try_from(first + k as u64).unwrap_or(u32::MAX);
            }
            n.rendered = true;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_items_paragraphs_and_rules() {
        let src = "# Title\n\n## Article 1 — Scope\n\n1. First *item*\n2. Second\n\n\
                   Some text\nwrapped.\n\n---\n\n- bullet\n";
        let got: Vec<(String, usize, BlockKind)> = blocks(src)
            .0
            .into_iter()
            .map(|b| (b.text, b.line, b.kind))
            .collect();
        assert_eq!(
            got,
            vec![
                ("Title".into(), 1, BlockKind::Heading),
                ("Article 1 — Scope".into(), 3, BlockKind::Heading),
                ("1. First item".into(), 5, BlockKind::Item),
                ("2. Second".into(), 6, BlockKind::Item),
                ("Some text wrapped.".into(), 8, BlockKind::Text),
                ("---".into(), 11, BlockKind::Separator),
                ("bullet".into(), 13, BlockKind::Item),
            ]
        );
    }

    #[test]
    fn loose_list_items_are_one_paragraph_each() {
        let src = "3. Alpha\n\n4. Beta\n   more\n";
        let got: Vec<String> = blocks(src).0.into_iter().map(|b| b.text).collect();
        assert_eq!(got, vec!["3. Alpha", "4. Beta more"]);
    }

    fn labels(src: &str) -> Vec<(String, String, bool)> {
        let d = crate::document::Document::parse("x.md", src, crate::document::Format::Markdown);
        d.paragraphs
            .iter()
            .map(|p| {
                let l = p.label.as_ref();
                (
                    l.map_or(String::new(), |l| l.path.clone()),
                    p.body().to_string(),
                    l.is_some_and(|l| l.rendered),
                )
            })
            .collect()
    }

    fn l(path: &str, body: &str, rendered: bool) -> (String, String, bool) {
        (path.into(), body.into(), rendered)
    }

    #[test]
    fn list_items_keep_the_number_written() {
        // A skipped number stays skipped (CommonMark renders 1, 2, 3).
        assert_eq!(
            labels("1. Uno\n2. Dos\n4. Cuatro\n"),
            vec![
                l("1", "Uno", false),
                l("2", "Dos", false),
                l("4", "Cuatro", false)
            ]
        );
        assert_eq!(
            labels("7) Seven\n\n8) Eight\n"),
            vec![l("7", "Seven", false), l("8", "Eight", false)]
        );
    }

    #[test]
    fn lists_numbered_by_the_renderer_say_so() {
        assert_eq!(
            labels("1. One\n1. Two\n1. Three\n"),
            vec![
                l("1", "One", true),
                l("2", "Two", true),
                l("3", "Three", true)
            ]
        );
        // A list of one item is the author's number.
        assert_eq!(labels("1. One\n"), vec![l("1", "One", false)]);
    }

    #[test]
    fn nested_lists_nest_labels() {
        let src = "1. One\n2. Two\n   1. Two-one\n   2. Two-two\n      - bullet\n3. Three\n\n\
                   - Bullet\n  1. Under a bullet\n";
        assert_eq!(
            labels(src),
            vec![
                l("1", "One", false),
                l("2", "Two", false),
                l("2.1", "Two-one", false),
                l("2.2", "Two-two", false),
                l("", "bullet", false),
                l("3", "Three", false),
                l("", "Bullet", false),
                l("1", "Under a bullet", false),
            ]
        );
    }
}
