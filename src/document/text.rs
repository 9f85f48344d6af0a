//! Plain text: a paragraph is a block of non-blank lines separated by blank lines.

use super::{Block, BlockKind};

/// Split text (with `\n` line ends) into blocks.
pub(crate) fn blocks(text: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let mut cur: Vec<&str> = Vec::new();
    let mut start = 0;
    for (i, line) in text.split('\n').enumerate() {
        if line.trim().is_empty() {
            flush(&mut out, &mut cur, start);
        } else {
            if cur.is_empty() {
                start = i + 1;
            }
            cur.push(line.trim_end());
        }
    }
    flush(&mut out, &mut cur, start);
    out
}

fn flush(out: &mut Vec<Block>, cur: &mut Vec<&str>, line: usize) {
    if cur.is_empty() {
        return;
    }
    let text = cur.join("\n");
    let kind = if is_separator(&text) {
        BlockKind::Separator
    } else {
        BlockKind::Text
    };
    out.push(Block {
        text,
        line,
        kind,
        targets: Vec::new(),
    });
    cur.clear();
}

/// A line of only symbols such as `* * *`, `---` or `###`.
pub(crate) fn is_separator(text: &str) -> bool {
    let t = text.trim();
    !t.is_empty()
        && t.chars().filter(|c| !c.is_whitespace()).count() >= 3
        && t.chars().all(|c| {
            c.is_whitespace()
                || matches!(c, '*' | '-' | '_' | '=' | '~' | '#' | '•' | '·' | '—' | '–')
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_and_separators() {
        let b = blocks("a\nb\n\n\n* * * * *\n\n  c  \n");
        assert_eq!(
            b,
            vec![
                Block {
                    text: "a\nb".into(),
                    line: 1,
                    kind: BlockKind::Text,
                    targets: Vec::new(),
                },
                Block {
                    text: "* * * * *".into(),
                    line: 5,
                    kind: BlockKind::Separator,
                    targets: Vec::new(),
                },
                Block {
                    text: "  c".into(),
                    line: 7,
                    kind: BlockKind::Text,
                    targets: Vec::new(),
                },
            ]
        );
    }
}
