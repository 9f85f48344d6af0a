//! HTML: read by html5ever's tokenizer (the HTML5 specification's, entities and raw-text
//! elements included) into blocks, each with the line its tag starts on. Block elements
//! (`<p>`, `<div>`, `<blockquote>`, table rows, ...) are paragraphs, `<h1>`-`<h6>` headings,
//! `<li>` items with the numbers a browser shows (`start`, `value`, `reversed`), `<pre>` code
//! kept as written, `<hr>` a separator. Scripts, styles, navigation, forms and the `<head>`
//! are not text to translate and are skipped. The `lang` of `<html>` is returned, and the
//! `dir` of `<body>` (else of `<html>`): the direction the page's text is declared in (a `dir`
//! on an element inside is not read). Attributes are never text.

use std::cell::RefCell;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, Tag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};

use super::build::{list_number, Builder};
use super::markdown::ListNumber;
use super::{Block, BlockKind, Direction};

/// Elements whose content is not text to translate.
const SKIPPED: &[&str] = &[
    "head", "script", "style", "nav", "template", "noscript", "svg", "math", "iframe", "object",
    "select", "textarea", "button", "canvas", "audio", "video",
];

/// Elements that close the block before them and open a new one.
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "blockquote",
    "section",
    "article",
    "main",
    "header",
    "footer",
    "aside",
    "address",
    "figure",
    "figcaption",
    "caption",
    "dt",
    "dd",
    "dl",
    "details",
    "summary",
    "form",
    "fieldset",
    "legend",
    "table",
    "tbody",
    "thead",
    "tfoot",
    "body",
    "center",
];

/// An open `<ol>` or `<ul>`.
struct List {
    /// The number the next item gets (None for a bullet list).
    next: Option<i64>,
    reversed: bool,
    /// The number path of the item the list stands in.
    parent: Vec<u32>,
}

#[derive(Default)]
struct State {
    b: Builder,
    /// Inside a skipped element: its name and how deep the same name nests.
    skip: Option<(String, usize)>,
    pre: usize,
    lists: Vec<List>,
    /// The number path of each open `<li>`.
    items: Vec<Vec<u32>>,
    /// Inside a table row: cells are joined with ` | `.
    cells: usize,
    lang: Option<String>,
    /// `dir` on `<html>` and on `<body>`, each with its line.
    html_dir: Option<(Direction, usize)>,
    body_dir: Option<(Direction, usize)>,
}

/// An HTML page read: its blocks, the list numbers of ordered items, the declared language of
/// the page (`lang` on `<html>`) and the direction of its text (`dir` on `<body>`, which
/// governs the text, else on `<html>`; `auto` declares none).
pub(crate) struct Page {
    pub blocks: Vec<Block>,
    pub numbers: Vec<Option<ListNumber>>,
    /// Not used to place a version (its file name or folder does), only checked in tests.
    #[cfg_attr(not(test), allow(dead_code))]
    pub lang: Option<String>,
    pub dir: Option<(Direction, usize)>,
}

struct Sink(RefCell<State>);

/// Split HTML source into blocks, with the list numbers of ordered items, the declared
/// language and the direction of the page.
pub(crate) fn blocks(src: &str) -> Page {
    let tok = Tokenizer::new(
        Sink(RefCell::new(State::default())),
        TokenizerOpts::default(),
    );
    let queue = BufferQueue::default();
    queue.push_back(StrTendril::from_slice(src));
    let _ = tok.feed(&queue);
    tok.end();
    let state = tok.sink.0.into_inner();
    let (mut blocks, numbers) = state.b.finish();
    // A `<` that opens no tag comes back from the tokenizer once it has read the character
    // after it: after a final line end, on a line past the text's last.
    let last = src.lines().count().max(1);
    for b in &mut blocks {
        b.line = b.line.min(last);
    }
    Page {
        blocks,
        numbers,
        lang: state.lang,
        dir: state.body_dir.or(state.html_dir),
    }
}

impl TokenSink for Sink {
    type Handle = ();

    fn process_token(&self, token: Token, line: u64) -> TokenSinkResult<()> {
        let line = usize::try_from(line).unwrap_or(usize::MAX);
        let mut s = self.0.borrow_mut();
        match token {
            Token::TagToken(tag) => return s.tag(&tag, line),
            Token::CharacterTokens(t) if s.skip.is_none() => {
                if s.pre > 0 {
                    s.b.push(&t, line);
                } else {
                    s.b.push_folded(&t, line);
                }
            }
            _ => {}
        }
        TokenSinkResult::Continue
    }
}

impl State {
    /// A tag inside a skipped element: only the nesting of the same element counts.
    fn skipped(&mut self, tag: &Tag, name: &str, start: bool) {
        let Some((skipped, depth)) = self.skip.as_mut() else {
            return;
        };
        if skipped == name {
            if start && !tag.self_closing {
                *depth += 1;
            } else if !start {
                *depth -= 1;
                if *depth == 0 {
                    self.skip = None;
                }
            }
        }
    }

    /// `<html>` or `<body>`: the page's language, and the direction each declares.
    fn root(&mut self, tag: &Tag, name: &str, line: usize) {
        let dir = attr(tag, "dir")
            .and_then(|d| Direction::parse(&d))
            .map(|d| (d, line));
        if name == "html" {
            self.lang = attr(tag, "lang").filter(|l| !l.trim().is_empty());
            self.html_dir = dir;
        } else {
            self.body_dir = dir;
        }
    }

    fn tag(&mut self, tag: &Tag, line: usize) -> TokenSinkResult<()> {
        let name: &str = &tag.name;
        let start = tag.kind == TagKind::StartTag;
        if self.skip.is_some() {
            self.skipped(tag, name, start);
            return raw_kind(name, start);
        }
        if start && matches!(name, "html" | "body") {
            self.root(tag, name, line);
        }
        if SKIPPED.contains(&name) {
            if start && !tag.self_closing {
                self.b.flush();
                self.skip = Some((name.to_string(), 1));
            }
            return raw_kind(name, start);
        }
        match (name, start) {
            ("h1" | "h2" | "h3" | "h4" | "h5" | "h6", true) => {
                self.b.start(BlockKind::Heading, line)
            }
            ("pre", true) => {
                self.pre += 1;
                self.b.start(BlockKind::Code, line);
            }
            ("pre", false) => {
                self.pre = self.pre.saturating_sub(1);
                self.b.flush();
            }
            ("br", _) => self.b.push("\n", line),
            // Code is set apart as in Markdown, to be compared as written.
            ("code" | "kbd" | "samp", _) if self.pre == 0 => self.b.push("`", line),
            ("a", true) => {
                if let Some(href) = attr(tag, "href").filter(|h| !h.trim().is_empty()) {
                    self.b.target(href.trim(), line);
                }
            }
            ("hr", true) => {
                self.b.flush();
                self.b.push("* * *", line);
                self.b.flush();
            }
            ("ol" | "ul", true) => self.open_list(tag, name == "ol"),
            ("ol" | "ul", false) => {
                self.b.flush();
                self.lists.pop();
            }
            ("li", true) => self.item(tag, line),
            ("li", false) => {
                self.b.flush();
                self.items.pop();
            }
            ("tr", true) => {
                self.b.start(BlockKind::Text, line);
                self.cells = 0;
            }
            ("td" | "th", true) => {
                if self.cells > 0 {
                    self.b.push(" | ", line);
                }
                self.cells += 1;
            }
            ("tr", false) => self.b.flush(),
            (n, true) if BLOCKS.contains(&n) || is_heading(n) => {
                self.b.start(BlockKind::Text, line)
            }
            (n, false) if BLOCKS.contains(&n) || is_heading(n) => self.b.flush(),
            _ => {}
        }
        TokenSinkResult::Continue
    }

    fn open_list(&mut self, tag: &Tag, ordered: bool) {
        self.b.flush();
        let reversed = attr(tag, "reversed").is_some();
        let next = ordered.then(|| {
            attr(tag, "start")
                .and_then(|s| s.trim().parse::<i64>().ok())
                .unwrap_or(1)
        });
        self.lists.push(List {
            next,
            reversed,
            parent: self.items.last().cloned().unwrap_or_default(),
        });
    }

    fn item(&mut self, tag: &Tag, line: usize) {
        let mut path = self.items.last().cloned().unwrap_or_default();
        let mut number = None;
        if let Some(list) = self.lists.last_mut() {
            path = list.parent.clone();
            if let Some(next) = list.next.as_mut() {
                if let Some(v) = attr(tag, "value").and_then(|v| v.trim().parse::<i64>().ok()) {
                    *next = v;
                }
                let value = *next;
                *next += if list.reversed { -1 } else { 1 };
                if let Ok(v) = u32::try_from(value) {
                    let n = list_number(&path, v, format!("{value}."));
                    path = n.own.clone();
                    number = Some(n);
                }
            }
        }
        self.items.push(path);
        self.b.start_item(line, number);
    }
}

fn is_heading(name: &str) -> bool {
    matches!(name, "h1" | "h2" | "h3" | "h4" | "h5" | "h6")
}

/// The tokenizer state the content of an element needs, as a browser's tree builder sets it.
fn raw_kind(name: &str, start: bool) -> TokenSinkResult<()> {
    match (name, start) {
        ("script", true) => TokenSinkResult::RawData(RawKind::ScriptData),
        ("style" | "noscript" | "iframe" | "xmp" | "noembed" | "noframes", true) => {
            TokenSinkResult::RawData(RawKind::Rawtext)
        }
        ("textarea" | "title", true) => TokenSinkResult::RawData(RawKind::Rcdata),
        _ => TokenSinkResult::Continue,
    }
}

fn attr(tag: &Tag, name: &str) -> Option<String> {
    tag.attrs
        .iter()
        .find(|a| &*a.name.local == name)
        .map(|a| a.value.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(src: &str) -> Vec<(usize, BlockKind, String)> {
        blocks(src)
            .blocks
            .into_iter()
            .map(|b| (b.line, b.kind, b.text))
            .collect()
    }

    #[test]
    fn blocks_headings_items_and_skipped_elements() {
        let src = "<!DOCTYPE html>\n<html lang=\"es\"><head><title>T</title>\n<style>p{}</style></head>\n<body><nav><a href=x>Home</a></nav>\n<h1>Título</h1>\n<p>Uno &amp;\n  dos<br>tres</p>\n<script>if (a < b) { document.write('<p>no</p>') }</script>\n<ol start=\"3\"><li>Tres<li value=\"7\">Siete</ol>\n<pre>  a\n  b</pre><hr><table><tr><td>x<td>y</table>texto suelto";
        let Page {
            blocks: b,
            numbers,
            lang,
            dir,
        } = blocks(src);
        assert_eq!(dir, None);
        assert_eq!(lang.as_deref(), Some("es"));
        let got: Vec<(usize, BlockKind, &str)> = b
            .iter()
            .map(|b| (b.line, b.kind, b.text.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![
                (5, BlockKind::Heading, "Título"),
                (6, BlockKind::Text, "Uno & dos\ntres"),
                (9, BlockKind::Item, "3. Tres"),
                (9, BlockKind::Item, "7. Siete"),
                (10, BlockKind::Code, "  a\n  b"),
                (11, BlockKind::Separator, "* * *"),
                (11, BlockKind::Text, "x | y"),
                (11, BlockKind::Text, "texto suelto"),
            ]
        );
        let own: Vec<Option<Vec<u32>>> = numbers.into_iter().map(|n| n.map(|n| n.own)).collect();
        assert_eq!(own, vec![None, None, Some(vec![3]), Some(vec![7])]);
    }

    #[test]
    fn code_is_set_apart_and_link_targets_kept() {
        let b =
            blocks("<p>Run <code>npm i</code> as in <a href=\"/guide\">the guide</a>.</p>").blocks;
        assert_eq!(b[0].text, "Run `npm i` as in the guide.");
        assert_eq!(b[0].targets, vec!["/guide".to_string()]);
    }

    #[test]
    fn nested_and_reversed_lists_number_as_a_browser_does() {
        let t = texts("<ol reversed start=2><li>a<ol><li>b</li></ol></li><li>c</li></ol>");
        let t: Vec<&str> = t.iter().map(|x| x.2.as_str()).collect();
        assert_eq!(t, vec!["2. a", "1. b", "1. c"]);
        let numbers = blocks("<ol><li>a<ol><li>b</li></ol></li></ol>").numbers;
        assert_eq!(numbers[1].as_ref().map(|n| n.own.clone()), Some(vec![1, 1]));
    }

    /// Found by fuzzing (`" <\r"`, the carriage return read as a line end): a `<` that opens
    /// no tag is given back by the tokenizer after it has read the line end, on a line past
    /// the text's last; a block never stands past it.
    #[test]
    fn text_is_on_the_line_it_starts_on() {
        assert_eq!(texts(" <\n"), vec![(1, BlockKind::Text, "<".to_string())]);
        assert_eq!(
            texts("<p>a\nb</p>\n\nc\nd"),
            vec![
                (1, BlockKind::Text, "a b".to_string()),
                (4, BlockKind::Text, "c d".to_string())
            ]
        );
    }

    #[test]
    fn dir_is_read_from_body_else_html() {
        let dir = |src: &str| blocks(src).dir;
        assert_eq!(
            dir("<html dir=\"rtl\">\n<body><p>x</p>"),
            Some((Direction::Rtl, 1))
        );
        assert_eq!(
            dir("<html dir=\"rtl\">\n<body dir=\"LTR\"><p>x</p>"),
            Some((Direction::Ltr, 2))
        );
        assert_eq!(dir("<html dir=\"auto\"><body><p dir=\"rtl\">x</p>"), None);
        assert_eq!(dir("<p>x</p>"), None);
    }
}
