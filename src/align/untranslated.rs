//! Untranslated means prose left in the source language. Code, command lines, paths,
//! identifiers, links, names and short terms are rightly the same in every language: a
//! target made of them is `identical` (a note, never a finding). A paragraph whose prose is
//! in the source language is untranslated even when its cross-references, quoted titles or
//! names were localised: those are set aside before its language is judged.
//!
//! Decides only the untranslated judgement of one pair; the other flags are `flags.rs`'s.

use crate::language::{script_for, LangTag};
use crate::score::without_links;
use crate::text::is_placeholder;

use super::context::Thresholds;
use super::language::{language_issue, unspaced};
use super::Reason;

/// What a target's text is, against its source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Verdict {
    /// Prose left in the source's language or in a third one.
    Untranslated(Reason),
    /// The same as the source, and no prose: code, a command, names, a short term.
    Identical,
    /// Translated (or too little prose to tell).
    Translated,
}

/// Fewer words of prose than this and a paragraph is a term, a name or code, not prose left
/// untranslated (`tmpfs`, `Note`, `Oliver Elphick, Ole Tetlie`).
const MIN_PROSE_WORDS: usize = 4;

/// Judge a target's text (bodies, normalised) against its source's.
pub(super) fn judge(
    src: &str,
    tgt: &str,
    sl: Option<&LangTag>,
    tl: Option<&LangTag>,
    th: &Thresholds,
    home: f64,
) -> Verdict {
    let identical = same(src, tgt);
    // The quick way first, for the many pairs that are plainly translated: judged as written,
    // with no quotation (whose localised title can hide the prose's language), a target that
    // is not the source and reads as translated is translated.
    // A target whose first and last words stand in the source may be its prose with a
    // label or a reference changed (`表1.16 List of basic Vim key strokes`): the long way.
    let shared = || {
        let mut words = tgt
            .split(' ')
            .filter(|w| w.chars().filter(|c| c.is_alphabetic()).count() >= 4);
        let first = words.next();
        let last = words.next_back().or(first);
        first.is_some_and(|w| src.contains(w)) && last.is_some_and(|w| src.contains(w))
    };
    let quoted = tgt.contains(|c: char| QUOTES.contains(&c));
    let raw =
        (!identical && !quoted && !shared()).then(|| language_issue(src, tgt, sl, tl, th, home));
    if raw == Some(None) {
        return Verdict::Translated;
    }
    let tgt_prose = prose(tgt, tl);
    if prose_words(&tgt_prose, identical) < MIN_PROSE_WORDS {
        return if identical {
            Verdict::Identical
        } else {
            Verdict::Translated
        };
    }
    // Nearly all of it prose: the judgement as written stands (and detection is not run
    // twice).
    if let Some(Some(r)) = raw {
        if tgt_prose.len() * 10 >= tgt.len() * 9 {
            return Verdict::Untranslated(r);
        }
    }
    // Stripped as the target is, so that a target that is the source but for its label or a
    // localised reference (`表1.16 List of basic Vim key strokes`) is the same prose.
    // (Only where the source holds the target's first and last words of prose: else the two
    // cannot be the same, and stripping the source would cost time on every pair.)
    let words = || {
        tgt_prose
            .split(' ')
            .map(|w| w.trim_end_matches(['.', '!', '?']))
            .filter(|w| w.chars().count() >= 3)
    };
    let holds = |w: Option<&str>| w.is_some_and(|w| src.contains(w));
    let src_prose = if holds(words().next()) && holds(words().next_back()) {
        prose(src, tl)
    } else {
        String::new()
    };
    // Without the source's prose (its words are not the target's), the source as written:
    // its words are what a target left in its language would share.
    let src_prose = if src_prose.is_empty() {
        src
    } else {
        &src_prose
    };
    match language_issue(src_prose, &tgt_prose, sl, tl, th, home) {
        Some(r) => Verdict::Untranslated(r),
        None if identical => Verdict::Identical,
        None => Verdict::Translated,
    }
}

/// The same letters and digits, case aside (no allocation: this runs on every pair; texts
/// whose lengths differ by half are not compared).
fn same(a: &str, b: &str) -> bool {
    if a.len().abs_diff(b.len()) > a.len().max(b.len()) / 2 {
        return false;
    }
    fn key(s: &str) -> impl Iterator<Item = char> + '_ {
        s.chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
    }
    key(a).eq(key(b))
}

/// Words of prose: two letters or more, no digit, not capitalised (a capital inside a sentence
/// is mostly a name's). With `sentences`, a capitalised word opening a sentence counts too:
/// for a target that is its source's text, where the question is prose or term, not whose
/// language (`Failed to parse %s. Edit again?`); elsewhere a translation that keeps a few
/// names (`Bash: GNU Bourne Again SHell (standar de facto)`) would count its first as prose.
/// In scripts written without spaces (Chinese, Japanese, Thai) two characters count as a word.
fn prose_words(s: &str, sentences: bool) -> usize {
    let mut opens = sentences;
    s.split(' ')
        .map(|w| {
            let starts_sentence = opens;
            opens = sentences && w.ends_with(['.', '!', '?']);
            let n = w.chars().filter(|&c| unspaced(c)).count();
            if n > 0 {
                return n.div_ceil(2);
            }
            let capitalised = w
                .chars()
                .find(|c| c.is_alphabetic())
                .is_some_and(char::is_uppercase);
            // All capitals (`NAT`, `HOWTO`) is an acronym wherever it stands.
            let acronym = w.chars().filter(|c| c.is_uppercase()).count() > 1;
            let word = w.chars().filter(|c| c.is_alphabetic()).count() >= 2
                && !w.chars().any(|c| c.is_numeric())
                && (!capitalised || (starts_sentence && !acronym));
            usize::from(word)
        })
        .sum()
}

/// The prose of a text: without inline code, links, quoted titles, command lines, paths,
/// identifiers and numbers, and, where the language writes another script, without the
/// capitalised names and terms kept in Latin letters.
pub(super) fn prose(text: &str, lang: Option<&LangTag>) -> String {
    if is_command(text) || is_code_text(text) {
        return String::new();
    }
    // A table row: only its cells of prose count (a package's name, version and short
    // description are no prose left untranslated).
    if text.contains(" | ") {
        return text
            .split(" | ")
            .map(|cell| prose(cell, lang))
            .filter(|cell| prose_words(cell, false) >= MIN_PROSE_WORDS)
            .collect::<Vec<_>>()
            .join(" ");
    }
    let text = without_links(text);
    let text = without_spans(&text);
    let other_script = lang.is_some_and(|l| script_for(l).name() != "Latin");
    let mut out = String::with_capacity(text.len());
    for w in text.split_whitespace() {
        if is_code(w) {
            // The sentence it ends ends here (`Failed to parse %s. Edit again?`).
            if let Some(end) = w.chars().last().filter(|c| matches!(c, '.' | '!' | '?')) {
                if !out.is_empty() && !out.ends_with(['.', '!', '?']) {
                    out.push(end);
                }
            }
            continue;
        }
        let bare = w.trim_matches(|c: char| !c.is_alphanumeric());
        // A number marks a word as a figure, an identifier or a label (`表1.16`, `第5条`); in a
        // script written without spaces, a "word" of three letters or more with a number is a
        // clause (`4月1日から…`), which stays prose.
        let clause = bare.chars().filter(|&c| unspaced(c)).count() >= 3;
        if bare.is_empty() || (!clause && bare.chars().any(|c| c.is_numeric())) {
            continue;
        }
        // A capitalised Latin word in a text whose language writes another script is a name
        // or a term kept as written.
        if other_script
            && bare.chars().all(|c| c.is_ascii_alphabetic())
            && bare.starts_with(|c: char| c.is_ascii_uppercase())
        {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

/// A command line: a shell prompt or `sudo` opening the text, or a prompt inside it (a
/// session of commands and their output in plain text).
fn is_command(text: &str) -> bool {
    let t = text.trim_start();
    ["$ ", "# ", "% ", "sudo ", "C:\\>", "PS> ", ">>> "]
        .iter()
        .any(|p| t.starts_with(p))
        || t.contains(" $ ")
}

/// Code's symbols, rare in prose: braces, brackets, operators, slashes, sigils.
fn is_code_symbol(c: char) -> bool {
    matches!(
        c,
        '{' | '}'
            | '['
            | ']'
            | '<'
            | '>'
            | '='
            | '$'
            | '/'
            | '\\'
            | '|'
            | ';'
            | '_'
            | '~'
            | '*'
            | '#'
            | '@'
            | '%'
            | '&'
            | '+'
            | '^'
    )
}

/// At least this share (in percent) of a text's visible characters are code's symbols and it
/// is code, a configuration line or a program's output, not prose. Prose naming a path or two
/// stays under it (`the content of "/etc/passwd" and "/etc/group" may ...` is 4 %).
const CODE_SYMBOLS_PERCENT: usize = 5;
/// At least this share (in percent) of its visible characters in tokens of code (links,
/// paths, options, identifiers, numbers) and a text is code (`deb http://deb.debian.org/debian/ sid
/// main contrib`).
const CODE_TOKENS_PERCENT: usize = 30;
/// At least this share (in percent) of its words code, numbers or bare symbols, in a text of
/// at least [`CODE_WORDS_MIN`] words, and it is a program's output (`--- ping statistics ---
/// 1 packets transmitted, 0 received, +1 errors, 100% packet loss, time 0ms`).
const CODE_WORDS_PERCENT: usize = 40;
/// See [`CODE_WORDS_PERCENT`].
const CODE_WORDS_MIN: usize = 8;
/// A list of fields (`Package: equivs Priority: optional Section: admin ...`): at least this
/// many `Name:` tokens, opening the text or making at least a sixth of its words.
const MIN_FIELDS: usize = 3;

/// Code written as plain text: dense in code's symbols or tokens, or a list of fields.
fn is_code_text(text: &str) -> bool {
    let (mut visible, mut symbols, mut in_code, mut words, mut fields) = (0, 0, 0, 0, 0);
    let mut code_words = 0;
    for w in text.split_whitespace() {
        // A program's message is prose around its placeholders (`Package %s has an unmet
        // dep:`): they are neither code's symbols nor its tokens.
        if is_placeholder(w.trim_end_matches([',', '.', ':', ';', '!', '?', ')'])) {
            continue;
        }
        let n = w.chars().count();
        visible += n;
        symbols += w.chars().filter(|&c| is_code_symbol(c)).count();
        words += 1;
        // In a script written without spaces a "word" is a clause: prose, figures and all.
        if w.contains(unspaced) {
            continue;
        }
        if is_code(w) || w.chars().any(|c| c.is_numeric()) {
            in_code += n;
            code_words += 1;
        } else if !w.chars().any(char::is_alphabetic) {
            code_words += 1;
        }
        if n >= 3 && w.ends_with(':') && w.starts_with(|c: char| c.is_uppercase()) {
            fields += 1;
        }
    }
    let opens_with_field = text
        .split_whitespace()
        .next()
        .is_some_and(|w| w.len() >= 3 && w.ends_with(':'));
    visible > 0
        && (symbols * 100 >= CODE_SYMBOLS_PERCENT * visible
            || in_code * 100 >= CODE_TOKENS_PERCENT * visible
            || (fields >= MIN_FIELDS && (opens_with_field || fields * 6 >= words))
            || (words >= CODE_WORDS_MIN && code_words * 100 >= CODE_WORDS_PERCENT * words))
}

/// The marks that open code or a quotation (see [`without_spans`]).
const QUOTES: [char; 8] = ['`', '“', '«', '„', '「', '『', '"', '‘'];

/// Text between backticks (inline code) and quotation marks (a quoted title, localised or
/// not), replaced by a space.
fn without_spans(text: &str) -> String {
    const PAIRS: [(char, char); 8] = [
        ('`', '`'),
        ('“', '”'),
        ('«', '»'),
        ('„', '“'),
        ('「', '」'),
        ('『', '』'),
        ('"', '"'),
        ('‘', '’'),
    ];
    if !text.contains(|c: char| PAIRS.iter().any(|p| p.0 == c)) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    'outer: while let Some((i, c)) = rest
        .char_indices()
        .find(|(_, c)| PAIRS.iter().any(|p| p.0 == *c))
    {
        let close = PAIRS.iter().find(|p| p.0 == c).map_or(c, |p| p.1);
        let after = &rest[i + c.len_utf8()..];
        // A quote closes within a sentence or two; an unpaired one is kept as text.
        if let Some(e) = after.find(close).filter(|&e| e <= 200) {
            out.push_str(&rest[..i]);
            out.push(' ');
            rest = &after[e + close.len_utf8()..];
            continue 'outer;
        }
        out.push_str(&rest[..i + c.len_utf8()]);
        rest = after;
    }
    out.push_str(rest);
    out
}

/// A token of code rather than a word: a path, an option, an identifier, a file name, an
/// expression.
fn is_code(w: &str) -> bool {
    // Most words are small letters only: no code (the quick way, for every word). A clause of
    // a script written without spaces is no code either.
    if w.bytes().all(|b| b.is_ascii_lowercase()) || w.contains(unspaced) {
        return false;
    }
    let t = w.trim_matches(|c: char| {
        matches!(
            c,
            ',' | ';' | ':' | '.' | '(' | ')' | '[' | ']' | '"' | '\'' | '!' | '?' | '“' | '”'
        )
    });
    if t.is_empty() {
        return false;
    }
    if t.contains([
        '/', '\\', '_', '=', '$', '{', '}', '<', '>', '|', '@', '~', '*', '#', '%', '&',
    ]) || t.starts_with('-')
        || t.contains("::")
        || t.ends_with("()")
    {
        return true;
    }
    // file.ext, a.b.c: a dot between letters; camelCase: a capital after a small letter; a
    // package's or a program's name: words joined by two hyphens or more
    // (`plasma-discover-backend-fwupd`). One pass, no allocation: this runs on every word.
    let (mut prev2, mut prev) = ('\0', '\0');
    let mut hyphens = 0;
    for c in t.chars() {
        if prev == '.' && prev2.is_alphanumeric() && c.is_alphanumeric() {
            return true;
        }
        if prev.is_lowercase() && c.is_uppercase() {
            return true;
        }
        hyphens += usize::from(c == '-');
        (prev2, prev) = (prev, c);
    }
    hyphens >= 2 && t.starts_with(char::is_alphanumeric)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn verdict(src: &str, tgt: &str, lang: &str) -> Verdict {
        let en = LangTag::parse("en").unwrap();
        let tl = LangTag::parse(lang).unwrap();
        judge(
            &crate::document::normalize(src),
            &crate::document::normalize(tgt),
            Some(&en),
            Some(&tl),
            &Thresholds::default(),
            1.0,
        )
    }

    #[test]
    fn code_commands_paths_and_terms_are_identical() {
        for same in [
            "$ sudo systemctl daemon-reload",
            "sudo apt-get install --no-install-recommends debian-reference-es",
            "/etc/systemd/system/getty@tty1.service.d/override.conf",
            "tmpfs",
            "Note",
            "`git rebase --onto main feature` and `git log --oneline`",
            "aptitude | high-level package manager | 0.8.13",
            "https://www.debian.org/doc/manuals/debian-reference/",
            "Linux Foundation, Debian, Ubuntu",
            "deb http://deb.debian.org/debian/ sid main contrib non-free",
            "deb http://security.debian.org/debian-security bullseye-security main contrib",
            "Package: equivs Priority: optional Section: admin Description: Circumventing \
             Debian package dependencies. This package provides a tool to create trivial \
             Debian packages, typically to satisfy a dependency that the user wants to meet",
            "Disk /dev/loop0: 5368 MB, 5368709120 bytes 255 heads, 63 sectors/track, 652 cylinders",
            "--- ping statistics --- 1 packets transmitted, 0 received, +1 errors, 100% packet \
             loss, time 0ms",
            "--- ping statistics --- 1 packets transmitted, 1 received, 0% packet loss, time 0ms \
             rtt min/avg/max/mdev = 325.318/325.318/325.318/0.000 ms",
        ] {
            assert_eq!(verdict(same, same, "es"), Verdict::Identical, "{same}");
            assert_eq!(verdict(same, same, "ja"), Verdict::Identical, "{same}");
        }
    }

    #[test]
    fn a_clause_in_a_script_without_spaces_is_prose_despite_its_numbers() {
        // A Japanese paragraph put into an Italian translation: a third language.
        let ja = "ストライキの直接のきっかけは、市交通局が4月1日から公共交通の運賃を38%引き上げると決定したことである。";
        assert_eq!(prose(ja, LangTag::parse("it").ok().as_ref()), ja);
    }

    #[test]
    fn names_kept_in_latin_letters_are_no_untranslated_prose() {
        let src = "Written in part by Oliver Elphick, Ole Tetlie, James Treacy and Craig Sawyer.";
        let zh = "部分由 Oliver Elphick, Ole Tetlie, James Treacy, Craig Sawyer 书写。";
        assert_eq!(verdict(src, zh, "zh-Hans"), Verdict::Translated);
        let src = "plasma-discover-backend-fwupd (main): Qt front end for fwupd";
        let zh = "plasma-discover-backend-fwupd (main): fwupd 的 Qt 前端";
        assert_eq!(verdict(src, zh, "zh-Hans"), Verdict::Translated);
    }

    #[test]
    fn prose_left_in_english_is_untranslated_despite_a_localised_reference() {
        let src = "You can limit what a process may use with control groups (see cgroups and \
                   Section 4.7.4, “Linux security features”), which the kernel enforces for \
                   every process in the group.";
        let es = "You can limit what a process may use with control groups (see cgroups and \
                  Sección 4.7.4, “Características de seguridad de Linux”), which the kernel \
                  enforces for every process in the group.";
        assert_eq!(
            verdict(src, es, "es"),
            Verdict::Untranslated(Reason::SameLanguage)
        );
        // A translated caption of few words is no untranslated prose.
        assert_eq!(
            verdict(
                "List of informative documentation packages",
                "Liste informativer Dokumentationspakete",
                "de"
            ),
            Verdict::Translated
        );
        // The source's prose, but for the caption's label.
        assert_eq!(
            verdict(
                "Table 1.16. List of basic Vim key strokes",
                "表1.16 List of basic Vim key strokes",
                "ja"
            ),
            Verdict::Untranslated(Reason::SameText)
        );
        let translated = "Puede limitar lo que un proceso puede usar con los grupos de control \
                          (véase cgroups y Sección 4.7.4, “Características de seguridad de \
                          Linux”), que el núcleo aplica a cada proceso del grupo.";
        assert_eq!(verdict(src, translated, "es"), Verdict::Translated);
        // Prose left as it was is untranslated, code or no code.
        let left = "Run `apt update` first, then install the packages you need with the usual \
                    command and check the log for errors.";
        assert_eq!(
            verdict(left, left, "de"),
            Verdict::Untranslated(Reason::SameText)
        );
    }

    #[test]
    fn translations_full_of_terms_are_not_the_source_language() {
        // A trigram detector calls each of these targets English (0.64 to 1.0): real
        // translations from the Debian Reference, whose words are not the source's.
        for (src, tgt, lang) in [
            (
                "compress \"foo\" to create \"foo.bz2\" using the Burrows-Wheeler block sorting text \
                 compression algorithm, and Huffman coding (better compression than gzip)",
                "foo mittels Burrows-Wheeler Block-Sorting Textkompressions-Algorithmus und \
                 Huffman-Codierung komprimieren und foo.bz2 erzeugen (bessere Kompression als gzip)",
                "de",
            ),
            (
                "Unix text editor Vi IMproved, a programmers text editor (compact version)",
                "Editor teks Unix, Vi IMproved, editor teks programmer (versi ringkas)",
                "id",
            ),
            (
                "graphical package manager (GTK APT front-end)",
                "manajer paket grafis (front-end APT GTK)",
                "id",
            ),
        ] {
            assert_eq!(verdict(src, tgt, lang), Verdict::Translated, "{tgt}");
        }
        // English prose with a localised reference is still the source's words.
        assert_eq!(
            verdict(
                "For the advanced configuration of vim, see Section 9.2, “Customizing vim”.",
                "For the advanced configuration of vim, see Secção 9.2, “Personalizar o vim”.",
                "pt"
            ),
            Verdict::Untranslated(Reason::SameLanguage)
        );
    }

    #[test]
    fn a_program_message_left_in_english_is_untranslated_placeholders_and_all() {
        for left in [
            "Package %s version %s has an unmet dep:",
            "Failed to parse %s. Edit again?",
            "Could not open {file} for writing.",
        ] {
            assert_eq!(
                verdict(left, left, "de"),
                Verdict::Untranslated(Reason::SameText),
                "{left}"
            );
        }
        // Terms and labels the same in both stay identical.
        for same in ["Missing:", "Linux 2.4 NAT HOWTO", "%s: %s", "Sorting"] {
            assert_eq!(verdict(same, same, "de"), Verdict::Identical, "{same}");
        }
    }
}
