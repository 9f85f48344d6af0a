//! The block builder shared by the readers of structured formats (HTML, DOCX, ODT): they say
//! where a block starts, what text it holds and which list number it carries; this file
//! collects the blocks and their numbers in the shape `Document` takes. No parsing here.

use super::markdown::ListNumber;
use super::{text::is_separator, Block, BlockKind};

/// The blocks read so far and the block being read.
#[derive(Default)]
pub(crate) struct Builder {
    out: Vec<Block>,
    numbers: Vec<Option<ListNumber>>,
    open: Option<Open>,
}

struct Open {
    text: String,
    line: usize,
    kind: BlockKind,
    number: Option<ListNumber>,
    targets: Vec<String>,
}

impl Builder {
    /// A table row of a word processor's file as one paragraph, its cells joined by ` | ` (as
    /// the text reader reads a row), numbered by its place among the blocks; an empty row is
    /// none.
    pub fn table_row(&mut self, cells: &[String]) {
        let text = cells
            .iter()
            .map(|c| c.trim())
            .collect::<Vec<_>>()
            .join(" | ");
        if !text.replace('|', "").trim().is_empty() {
            let pos = self.len() + 1;
            self.start(BlockKind::Text, pos);
            self.push(&text, pos);
            self.flush();
        }
    }

    /// Close the block being read and open a new one at `line` (the 1-based line, or the
    /// position the format gives).
    pub fn start(&mut self, kind: BlockKind, line: usize) {
        self.flush();
        self.open = Some(Open {
            text: String::new(),
            line,
            kind,
            number: None,
            targets: Vec::new(),
        });
    }

    /// Open a list item with the number a reader would see (`None` for a bullet).
    pub fn start_item(&mut self, line: usize, number: Option<ListNumber>) {
        self.start(BlockKind::Item, line);
        if let (Some(o), Some(n)) = (self.open.as_mut(), number) {
            o.text = format!("{} ", n.raw);
            o.number = Some(n);
        }
    }

    /// How many blocks are done.
    pub fn len(&self) -> usize {
        self.out.len()
    }

    /// Whether a block is open.
    pub fn is_open(&self) -> bool {
        self.open.is_some()
    }

    /// Add text to the block being read (opening a text block at `line` if none is).
    pub fn push(&mut self, text: &str, line: usize) {
        let o = self.open.get_or_insert_with(|| Open {
            text: String::new(),
            line,
            kind: BlockKind::Text,
            number: None,
            targets: Vec::new(),
        });
        o.text.push_str(text);
    }

    /// Keep a link's target with the block being read (compared, not shown).
    pub fn target(&mut self, target: &str, line: usize) {
        self.push("", line);
        if let Some(o) = self.open.as_mut() {
            o.targets.push(target.to_string());
        }
    }

    /// Add text with its runs of white space folded to one space (HTML outside `<pre>`).
    pub fn push_folded(&mut self, text: &str, line: usize) {
        if text.trim().is_empty() && !self.is_open() {
            return;
        }
        let mut folded = String::with_capacity(text.len());
        let mut space = self
            .open
            .as_ref()
            .is_some_and(|o| o.text.ends_with(char::is_whitespace));
        for c in text.chars() {
            if c.is_whitespace() {
                if !space {
                    folded.push(' ');
                }
                space = true;
            } else {
                folded.push(c);
                space = false;
            }
        }
        self.push(&folded, line);
    }

    /// Close the block being read; an empty one is dropped.
    pub fn flush(&mut self) {
        let Some(o) = self.open.take() else {
            return;
        };
        let text = if o.kind == BlockKind::Code {
            o.text.trim_matches('\n').trim_end().to_string()
        } else {
            o.text.trim().to_string()
        };
        let bare = o.number.as_ref().is_some_and(|n| text == n.raw);
        if text.is_empty() || bare {
            return;
        }
        let kind = if o.kind == BlockKind::Text && is_separator(&text) {
            BlockKind::Separator
        } else {
            o.kind
        };
        if o.number.is_some() {
            while self.numbers.len() < self.out.len() {
                self.numbers.push(None);
            }
            self.numbers.push(o.number);
        }
        self.out.push(Block {
            text,
            line: o.line,
            kind,
            targets: o.targets,
        });
    }

    /// The blocks and the list numbers of those that have one.
    pub fn finish(mut self) -> (Vec<Block>, Vec<Option<ListNumber>>) {
        self.flush();
        (self.out, self.numbers)
    }
}

/// The number of an ordered list's item as a reader sees it: `3.` nested under `parent`.
pub(crate) fn list_number(parent: &[u32], value: u32, raw: String) -> ListNumber {
    let mut own = parent.to_vec();
    own.push(value);
    ListNumber {
        own,
        raw,
        rendered: true,
    }
}
