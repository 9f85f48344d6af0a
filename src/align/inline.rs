//! Inline codes that a translation must carry over unchanged, compared between a source and
//! its translation as translate-toolkit's pofilter does (`printf`, `variables`, `xmltags`,
//! `urls`), with fewer false alarms: placeholders and format specifiers (`%s`, `%1$d`,
//! `%(name)s`, `{0}`, `{name}`, `{{var}}`, `${x}`, `:emoji:`) and keyboard shortcuts
//! (`Ctrl+S`: the key, whatever the modifiers are called in the translation), inline code
//! (`` `npm install` ``), tags (`<b>`, `</kbd>`: their names) and link targets (Markdown's
//! `[text](target)`). Each kind is compared as a multiset: order may change, the tokens may
//! not. A percentage (`38 %`, `50% off`) is no specifier. Pure: text in, reasons out.

use std::sync::LazyLock;

use regex::Regex;

use super::Reason;

static PLACEHOLDER: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(concat!(
        r"\$\{[A-Za-z_][\w.]*\}",
        r"|\{\{\s*[\w.]+\s*\}\}",
        r"|\{\d+\}|\{[A-Za-z_][\w.]*\}",
        r"|%\(\w+\)[sdifr]",
        // Any letter converts: C's `%d`, strftime's `%H`, glibc's `%m`, e2fsprogs' `%b`.
        r"|%(?:\d+\$)?[-+0#']*(?:\d+|\*)?(?:\.(?:\d+|\*))?(?:hh|h|ll|l|L|z|j|t|q)?[A-Za-z@]",
    ))
    .ok()
});

static EMOJI: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r":[a-z0-9_+-]*[a-z][a-z0-9_+-]*:").ok());

const MODIFIERS: &str = r"Ctrl|Control|Ctl|Alt|AltGr|Option|Opt|Shift|Cmd|Command|Meta|Super|Win|Fn|Strg|Umschalt|Maj|Mayús|Mayus|Ctrl|⌘|⌥|⇧|⌃";

static SHORTCUT: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?:{MODIFIERS})(?:\s*\+\s*(?:{MODIFIERS}))*\s*\+\s*(F\d{{1,2}}|[A-Za-z0-9])\b"
    ))
    .ok()
});

static TAG: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"<(/?)([A-Za-z][A-Za-z0-9-]*)(?:\s[^<>]*)?/?>").ok());

/// HTML elements that stand alone in text (`<br>`) or open inline markup.
const HTML_ELEMENTS: &[&str] = &[
    "a", "abbr", "b", "bdi", "bdo", "big", "br", "cite", "code", "del", "dfn", "em", "font", "hr",
    "i", "img", "input", "ins", "kbd", "mark", "p", "q", "s", "samp", "small", "span", "strong",
    "sub", "sup", "tt", "u", "var", "wbr",
];

/// The inline codes of a text.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Inline {
    /// Placeholders, with printf specifiers glued to a small Latin letter or a digit
    /// (`%dbajtové`, `%off`) left out.
    pub placeholders: Vec<String>,
    /// Placeholders, glued specifiers counted.
    pub glued: Vec<String>,
    pub code: Vec<String>,
    pub tags: Vec<String>,
}

/// The reasons a translation's inline codes differ from its source's: `placeholders`, `code`,
/// `tags` and `links` (link targets).
pub(crate) fn differences(
    source: &str,
    source_targets: &[String],
    target: &str,
    target_targets: &[String],
) -> Vec<Reason> {
    let (s, t) = (inline(source), inline(target));
    let mut out = Vec::new();
    // A specifier glued to a letter may be one (`%dbajtové`, `鍵%sの`: Czech and Japanese
    // write them so) or prose (`%off`): the placeholders differ only when they differ read
    // either way.
    if s.placeholders != t.placeholders && s.glued != t.glued {
        out.push(Reason::Placeholders);
    }
    if s.code != t.code {
        out.push(Reason::Code);
    }
    if s.tags != t.tags {
        out.push(Reason::Tags);
    }
    let (mut a, mut b) = (source_targets.to_vec(), target_targets.to_vec());
    a.sort();
    b.sort();
    if a != b {
        out.push(Reason::Links);
    }
    out
}

/// The inline codes of a text, each kind sorted.
pub(crate) fn inline(text: &str) -> Inline {
    let mut out = Inline::default();
    let text = gnu_quotes(text);
    // Code spans first: what is inside them is code, not placeholders or tags.
    let mut rest = String::with_capacity(text.len());
    let mut parts = text.split('`');
    if let Some(first) = parts.next() {
        rest.push_str(first);
    }
    let parts: Vec<&str> = parts.collect();
    let closed = parts.len() - parts.len() % 2;
    for (k, p) in parts.iter().enumerate() {
        if k % 2 == 0 && k < closed {
            out.code.push(p.trim().to_string());
        } else {
            rest.push(' ');
            rest.push_str(p);
        }
    }
    placeholders(&rest, &mut out);
    if let Some(re) = EMOJI.as_ref() {
        for m in re.find_iter(&rest) {
            let after = rest[m.end()..].chars().next();
            let before = rest[..m.start()].chars().next_back();
            let bounded = |c: Option<char>| !c.is_some_and(|c| c.is_alphanumeric() || c == ':');
            if bounded(before) && bounded(after) {
                out.placeholders.push(m.as_str().to_string());
                out.glued.push(m.as_str().to_string());
            }
        }
    }
    if let Some(re) = SHORTCUT.as_ref() {
        for c in re.captures_iter(&rest) {
            let plus = c.get(0).map_or(0, |m| m.as_str().matches('+').count());
            let key = c.get(1).map_or("", |m| m.as_str()).to_uppercase();
            out.placeholders.push(format!("{plus}+{key}"));
            out.glued.push(format!("{plus}+{key}"));
        }
    }
    if let Some(re) = TAG.as_ref() {
        let found: Vec<(bool, String, bool)> = re
            .captures_iter(&rest)
            .map(|c| {
                let close = c.get(1).is_some_and(|m| !m.as_str().is_empty());
                let name = c.get(2).map_or("", |m| m.as_str()).to_ascii_lowercase();
                // `<a href="…">` has attributes; `<standard output>` is words in brackets.
                let attributes = c.get(0).is_some_and(|m| m.as_str().contains('='));
                (close, name, attributes)
            })
            .collect();
        for (close, name, attributes) in &found {
            // `uid=<user>`, `<path>`: a placeholder of a manual, which a translation
            // translates, not a tag. A tag is a known element, has attributes, or is closed.
            let closed = found.iter().any(|(c, n, _)| *c && n == name);
            if *close || *attributes || closed || HTML_ELEMENTS.contains(&name.as_str()) {
                out.tags
                    .push(format!("<{}{name}>", if *close { "/" } else { "" }));
            }
        }
    }
    out.placeholders.sort();
    out.glued.sort();
    out.code.sort();
    out.tags.sort();
    out
}

/// The placeholders of `rest` (text outside code spans) into `out.placeholders` and
/// `out.glued`: printf's arguments by position, so that `%s … %s` and `%2$s … %1$s` take the
/// same two arguments (gettext lets a translation reorder them, as pofilter's printf check
/// does).
fn placeholders(rest: &str, out: &mut Inline) {
    let Some(re) = PLACEHOLDER.as_ref() else {
        return;
    };
    // `%%` is a percent sign: `%%d` is no specifier, `%%%d` is one.
    let rest = rest.replace("%%", "  ");
    let (mut next, mut next_glued) = (0, 0);
    for m in re.find_iter(&rest) {
        let printf = m.as_str().starts_with('%') && !m.as_str().starts_with("%(");
        if !printf {
            out.placeholders.push(m.as_str().to_string());
            out.glued.push(m.as_str().to_string());
            continue;
        }
        // `50%off`, `3%d`: a percentage, not a specifier.
        if rest[..m.start()]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_ascii_digit())
        {
            continue;
        }
        out.glued.push(positional(m.as_str(), &mut next_glued));
        // Glued to a small Latin letter or a digit, it may be prose (`%off`); glued to a
        // capital (`%sB`, `%sNo rule`) or a letter of another script (`%sの`), it converts.
        if !rest[m.end()..]
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        {
            out.placeholders.push(positional(m.as_str(), &mut next));
        }
    }
}

/// `text` with the backticks that open GNU-style quotes (`` `file' ``: a backtick closed by
/// an apostrophe that ends a word) made apostrophes, so that they are quotes, not code spans.
fn gnu_quotes(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains('`') || !text.contains('\'') {
        return text.into();
    }
    let mut out: Vec<char> = text.chars().collect();
    for i in 0..out.len() {
        if out[i] != '`' {
            continue;
        }
        let Some(end) = out[i + 1..].iter().position(|&c| c == '`' || c == '\'') else {
            continue;
        };
        // `` `don't` `` is code; `` `cd'ye `` (Turkish) is a quote with a suffix.
        let close = i + 1 + end;
        let word = out[close + 1..]
            .iter()
            .take_while(|c| c.is_alphanumeric())
            .count();
        if out[close] == '\'' && out.get(close + 1 + word) != Some(&'`') {
            out[i] = '\'';
        }
    }
    out.into_iter().collect::<String>().into()
}

/// A printf specifier with its argument's position made explicit (`%s` as the third
/// specifier is `%3$s`; `%2$d` stays); `%%` has none.
fn positional(spec: &str, next: &mut usize) -> String {
    let body = &spec[1..];
    let digits = body.bytes().take_while(u8::is_ascii_digit).count();
    if digits > 0 && body.as_bytes().get(digits) == Some(&b'$') {
        return spec.to_string();
    }
    *next += 1;
    format!("%{}${body}", *next)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reasons(s: &str, t: &str) -> Vec<Reason> {
        differences(s, &[], t, &[])
    }

    #[test]
    fn a_manuals_metavariable_is_no_tag() {
        // mount(8) in German: `<user>` is text to translate.
        assert_eq!(
            reasons(
                "Ignored, use uid=<user> instead.",
                "wird ignoriert, verwenden Sie stattdessen uid=<Benutzer>."
            ),
            []
        );
        assert_eq!(reasons("Press <b>OK</b>", "Drücken Sie OK"), [Reason::Tags]);
        assert_eq!(reasons("a<br>b", "a b"), [Reason::Tags]);
    }

    #[test]
    fn printf_arguments_may_be_reordered_by_position() {
        // Real apt messages in Japanese (gettext's positional arguments).
        assert_eq!(
            reasons(
                "Selected version '%s' (%s) for '%s'",
                "'%3$s' のバージョン '%1$s' (%2$s) を選択しました"
            ),
            []
        );
        assert_eq!(
            reasons(
                "Note, selecting '%s' for glob '%s'",
                "注意、glob '%2$s' のために '%1$s' を選択します"
            ),
            []
        );
        // A swapped type is still a change.
        assert_eq!(reasons("%s of %d", "%2$s de %1$d"), [Reason::Placeholders]);
    }

    #[test]
    fn placeholders_and_specifiers_must_match() {
        for (s, t) in [
            ("Hello {name}, welcome", "Hola {nombre}, bienvenido"),
            ("Save {product} now", "Guarda {producto} ahora"),
            ("Deleted %d files", "Borrados %s archivos"),
            ("File %1$s in %2$d", "Archivo %1$s en %3$d"),
            ("Hi {{user}}", "Hola {{usuario}}"),
            ("Path ${HOME}", "Ruta ${INICIO}"),
            ("Item {0} of {1}", "Elemento {0} de {2}"),
            ("Done :tada:", "Hecho :fiesta:"),
            ("Press Ctrl+S to save", "Pulsa Ctrl+G para guardar"),
            ("Value %(count)d", "Valor %(cuenta)d"),
        ] {
            assert_eq!(reasons(s, t), vec![Reason::Placeholders], "{s} / {t}");
        }
    }

    #[test]
    fn what_is_carried_over_or_is_prose_passes() {
        for (s, t) in [
            ("File %2$s in %1$d", "En %1$d el archivo %2$s"),
            (
                "Fares rose by 38% from April",
                "Las tarifas subieron un 38 % desde abril",
            ),
            ("Save 50%off today", "Ahorra 50%de descuento hoy"),
            ("Press Ctrl+Shift+S", "Drücken Sie Strg+Umschalt+S"),
            ("Hello {name} :tada:", ":tada: ¡Hola {name}!"),
            ("At 10:30:45 sharp", "A las 10:30:45 en punto"),
            ("Use <b>bold</b> here", "Usa <b>negrita</b> aquí"),
            ("Run `npm install --save`", "Ejecuta `npm install --save`"),
        ] {
            assert_eq!(reasons(s, t), Vec::<Reason>::new(), "{s} / {t}");
        }
    }

    #[test]
    fn gnu_quotes_glued_specifiers_and_bracketed_words_pass() {
        // Real gettext catalogs (gawk, coreutils, gnupg, e2fsprogs, dpkg): pofilter's printf,
        // variables and xmltags pass these, or raise alarms of their own.
        for (s, t) in [
            (
                "`%s' is no correct profile data file for `%s'",
                "« %s » est un fichier de profilage incorrect pour « %s »",
            ),
            (
                "character '%s' in class `%s' must not be in class `%s'",
                "znak '%s' z klasy `%s' nie może być w klasie `%s'",
            ),
            (
                "public key of ultimately trusted key %s not found",
                "究極的に信用する鍵%sの公開鍵が見つかりません",
            ),
            (
                "Error writing block %lu (%s) while %s.",
                "%3$s时写入块 %1$lu 出错（%2$s）。",
            ),
            (
                "%d byte inodes are too small for inline data",
                "%dbajtové iuzly jsou příliš malé pro vestavěná data",
            ),
            ("<standard output>", "<standardowe wyjście>"),
            (
                "conversions from `%s' and to `%s' are not supported",
                "`%s'den ve `%s'e dönüşümler desteklenmiyor",
            ),
            (
                "format %s has no %% directive",
                "das Format %s enthält keine %%-Anweisung",
            ),
            ("key%%0A %s%%0A", "klucza%%0a %s%%0A"),
            ("Run `don't` here", "Ejecuta `don't` aquí"),
        ] {
            assert_eq!(reasons(s, t), Vec::<Reason>::new(), "{s} / {t}");
        }
    }

    #[test]
    fn glued_specifiers_and_quoted_code_still_change() {
        for (s, t) in [
            ("key %s not found", "鍵%dの公開鍵が見つかりません"),
            ("key %s not found", "鍵の公開鍵が見つかりません"),
            ("%d byte inodes", "%sbajtové iuzly"),
            ("cannot open `%s'", "no se puede abrir «%d»"),
            ("Fetched %sB in %s", "Es wurden B in %s geholt"),
            (
                "%sNo rule to make target '%s'%s",
                "Нет правила для сборки цели «%s»%s",
            ),
            ("+FORMAT (e.g., +%H:%M)", "+FORMAT (z. B. +H:%M)"),
            (
                "Error reading block %b (%m).",
                "Fehler beim Lesen des Blocks (%m).",
            ),
            ("inode %i (%Q) is bad", "Iuzel %i (%q) je neplatné"),
        ] {
            assert_eq!(reasons(s, t), vec![Reason::Placeholders], "{s} / {t}");
        }
        assert_eq!(
            reasons("Run `rm -rf`", "Ejecuta `rm -fr`"),
            vec![Reason::Code]
        );
        assert_eq!(
            reasons("<a href=\"x\">here</a>", "<b>aquí</b>"),
            vec![Reason::Tags]
        );
    }

    #[test]
    fn code_tags_and_link_targets_must_match() {
        assert_eq!(
            reasons(
                "Run `npm install --save`",
                "Ejecuta `npm instalar --guardar`"
            ),
            vec![Reason::Code]
        );
        assert_eq!(
            reasons("Use <b>bold</b> here", "Usa <i>negrita</i> aquí"),
            vec![Reason::Tags]
        );
        assert_eq!(
            reasons("Press <kbd>Enter</kbd>", "Pulsa Intro"),
            vec![Reason::Tags]
        );
        // Inside code, braces are code.
        assert_eq!(reasons("Type `{x}`", "Escribe `{x}`"), Vec::<Reason>::new());
        assert_eq!(
            differences(
                "See the guide",
                &["https://example.org/guide".into()],
                "Vea la guía",
                &["/guia".into()]
            ),
            vec![Reason::Links]
        );
    }
}
