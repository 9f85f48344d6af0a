//! Markdown (CommonMark, parsed by pulldown-cmark): headings, paragraphs, list items, code
//! blocks and thematic breaks each become one paragraph. Inline markup is dropped; an ordered
//! list item keeps its number as a leading `N. ` so that labels are found as in plain text.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use super::{Block, BlockKind};

struct Open {
    text: String,
    start: usize,
    kind: BlockKind,
}

/// Split Markdown source (with `\n` line ends) into blocks.
pub(crate) fn blocks(src: &str) -> Vec<Block> {
    let line_starts: Vec<usize> = std::iter::once(0)
        .chain(src.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let line_of = |offset: usize| match line_starts.binary_search(&offset) {
        Ok(i) => i + 1,
        Err(i) => i,
    };
    let mut out = Vec::new();
    let mut open: Option<Open> = None;
    // Ordered lists: the next item number of each open list (None for bullet lists).
    let mut lists: Vec<Option<u64>> = Vec::new();
    let flush = |open: &mut Option<Open>, out: &mut Vec<Block>| {
        if let Some(o) = open.take() {
            let text = o.text.trim().to_string();
            if !text.is_empty() {
                out.push(Block {
                    text,
                    line: line_of(o.start),
                    kind: o.kind,
                });
            }
        }
    };
    for (event, range) in Parser::new_ext(src, Options::ENABLE_TABLES).into_offset_iter() {
        match event {
            Event::Start(Tag::List(first)) => {
                flush(&mut open, &mut out);
                lists.push(first);
            }
            Event::End(TagEnd::List(_)) => {
                flush(&mut open, &mut out);
                lists.pop();
            }
            Event::Start(Tag::Item) => {
                flush(&mut open, &mut out);
                let mut text = String::new();
                if let Some(Some(n)) = lists.last_mut() {
                    text = format!("{n}. ");
                    *n += 1;
                }
                open = Some(Open {
                    text,
                    start: range.start,
                    kind: BlockKind::Item,
                });
            }
            Event::Start(Tag::Paragraph) => {
                // A paragraph that opens a list item continues the item's block.
                let continues = matches!(&open, Some(o) if o.kind == BlockKind::Item
                    && o.text.trim_end().chars().all(|c| c.is_ascii_digit() || c == '.'));
                if !continues {
                    flush(&mut open, &mut out);
                    open = Some(Open {
                        text: String::new(),
                        start: range.start,
                        kind: BlockKind::Text,
                    });
                }
            }
            Event::Start(Tag::Heading { .. }) => {
                flush(&mut open, &mut out);
                open = Some(Open {
                    text: String::new(),
                    start: range.start,
                    kind: BlockKind::Heading,
                });
            }
            Event::Start(Tag::CodeBlock(_)) => {
                flush(&mut open, &mut out);
                open = Some(Open {
                    text: String::new(),
                    start: range.start,
                    kind: BlockKind::Code,
                });
            }
            Event::Start(Tag::TableRow) | Event::Start(Tag::TableHead) => {
                flush(&mut open, &mut out);
                open = Some(Open {
                    text: String::new(),
                    start: range.start,
                    kind: BlockKind::Text,
                });
            }
            Event::End(TagEnd::TableCell) => {
                if let Some(o) = open.as_mut() {
                    o.text.push_str(" | ");
                }
            }
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::CodeBlock
                | TagEnd::TableRow
                | TagEnd::TableHead,
            ) => flush(&mut open, &mut out),
            Event::Rule => {
                flush(&mut open, &mut out);
                out.push(Block {
                    text: src[range.clone()].trim().to_string(),
                    line: line_of(range.start),
                    kind: BlockKind::Separator,
                });
            }
            Event::Text(t) | Event::Code(t) | Event::InlineMath(t) | Event::DisplayMath(t) => {
                let o = open.get_or_insert_with(|| Open {
                    text: String::new(),
                    start: range.start,
                    kind: BlockKind::Text,
                });
                o.text.push_str(&t);
            }
            Event::Html(t) | Event::InlineHtml(t) => {
                let o = open.get_or_insert_with(|| Open {
                    text: String::new(),
                    start: range.start,
                    kind: BlockKind::Text,
                });
                o.text.push_str(t.trim_end_matches('\n'));
            }
            Event::SoftBreak => {
                if let Some(o) = open.as_mut() {
                    o.text.push(' ');
                }
            }
            Event::HardBreak => {
                if let Some(o) = open.as_mut() {
                    o.text.push('\n');
                }
            }
            _ => {}
        }
    }
    flush(&mut open, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_items_paragraphs_and_rules() {
        let src = "# Title\n\n## Article 1 — Scope\n\n1. First *item*\n2. Second\n\n\
                   Some text\nwrapped.\n\n---\n\n- bullet\n";
        let got: Vec<(String, usize, BlockKind)> = blocks(src)
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
        let got: Vec<String> = blocks(src).into_iter().map(|b| b.text).collect();
        assert_eq!(got, vec!["3. Alpha", "4. Beta more"]);
    }
}
