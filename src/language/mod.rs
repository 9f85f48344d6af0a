//! Language tags and language detection.
//!
//! [`LangTag`] is a BCP 47 tag (`en`, `zh-Hans`, `pt-BR`, `de-1996`) compared by its language.
//! Detection uses whatlang (trigram and alphabet models compiled into the binary, no network)
//! plus the writing system; whatlang's types stay inside this module. Nothing here reads files.

mod table;

use std::fmt;

use serde::{Serialize, Serializer};
use whatlang::{Detector, Lang, Script};

use crate::error::{Error, ErrorKind, Result};

/// A BCP 47 language tag, kept as written (in canonical case) and compared by its language.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LangTag {
    tag: String,
    lang_len: usize,
    script: Option<String>,
}

impl LangTag {
    /// Parse a tag such as `en`, `zh-Hans`, `pt-BR`, `de-1996`, `el-monoton` or `sr-Latn-RS`.
    /// The language subtag must be a known ISO 639 code.
    pub fn parse(s: &str) -> Result<LangTag> {
        let bad = |why: &str| {
            Error::new(ErrorKind::Language(format!(
                "`{s}` is not a language tag I know ({why}); use a BCP 47 tag such as en, es, ru, zh-Hans or pt-BR"
            )))
        };
        let parts: Vec<&str> = s.trim().split(['-', '_']).collect();
        let lang = parts[0].to_ascii_lowercase();
        if !(2..=3).contains(&lang.len()) || !lang.bytes().all(|b| b.is_ascii_lowercase()) {
            return Err(bad("the language must be a two- or three-letter code"));
        }
        if name_of(&lang).is_none() {
            return Err(bad("unknown language code"));
        }
        let mut tag = lang.clone();
        let mut script = None;
        for (i, p) in parts.iter().enumerate().skip(1) {
            let ok_alnum = p.bytes().all(|b| b.is_ascii_alphanumeric());
            let canon = if p.len() == 4 && p.bytes().all(|b| b.is_ascii_alphabetic()) && i == 1 {
                let mut c = p.to_ascii_lowercase();
                c[..1].make_ascii_uppercase();
                script = Some(c.clone());
                c
            } else if (p.len() == 2 && p.bytes().all(|b| b.is_ascii_alphabetic()))
                || (p.len() == 3 && p.bytes().all(|b| b.is_ascii_digit()))
            {
                p.to_ascii_uppercase()
            } else if ok_alnum
                && ((5..=8).contains(&p.len())
                    || (p.len() == 4 && p.as_bytes()[0].is_ascii_digit())
                    || (p.len() == 3 && i == 1 && p.bytes().all(|b| b.is_ascii_alphabetic())))
            {
                p.to_ascii_lowercase()
            } else if p.len() == 1 && ok_alnum {
                // Extension or private-use singleton: keep the rest as is.
                tag.push('-');
                tag.push_str(&parts[i..].join("-").to_ascii_lowercase());
                break;
            } else {
                return Err(bad("malformed subtag"));
            };
            tag.push('-');
            tag.push_str(&canon);
        }
        Ok(LangTag {
            lang_len: lang.len(),
            tag,
            script,
        })
    }

    /// The tag from a file name `NAME.LANG.EXT`, when its second-to-last part is a tag.
    pub fn from_file_name(name: &str) -> Option<(String, LangTag)> {
        let (stem, _ext) = name.rsplit_once('.')?;
        let (base, lang) = stem.rsplit_once('.')?;
        if base.is_empty() {
            return None;
        }
        LangTag::parse(lang).ok().map(|t| (base.to_string(), t))
    }

    /// A tag for a detected language code.
    pub(crate) fn from_code(code: &str) -> LangTag {
        LangTag {
            tag: code.to_string(),
            lang_len: code.len(),
            script: None,
        }
    }

    /// The language subtag (`pt` for `pt-BR`).
    pub fn language(&self) -> &str {
        &self.tag[..self.lang_len]
    }

    /// The whole tag as written, in canonical case.
    pub fn as_str(&self) -> &str {
        &self.tag
    }

    /// The language's English name.
    pub fn name(&self) -> &'static str {
        name_of(self.language()).unwrap_or("unknown language")
    }

    /// Whether two tags name the same language (`pt-BR` and `pt-PT` do; `no` and `nb` do).
    pub fn same_language(&self, other: &LangTag) -> bool {
        fn canon(l: &str) -> &str {
            match l {
                "nb" | "no" => "no",
                "cmn" => "zh",
                "pes" => "fa",
                x => x,
            }
        }
        canon(self.language()) == canon(other.language())
    }

    /// The script this language is written in: the tag's script subtag, else the usual one.
    fn script(&self) -> Script {
        self.script
            .as_deref()
            .and_then(table::script_subtag)
            .unwrap_or_else(|| table::usual_script(self.language()))
    }

    fn whatlang(&self) -> Option<Lang> {
        let l = self.language();
        let code3 = table::LANGUAGES
            .iter()
            .find(|(c, _, _)| *c == l)
            .map(|(_, _, c3)| *c3)
            .unwrap_or(l);
        Lang::from_code(code3)
    }
}

impl fmt::Display for LangTag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.tag)
    }
}

impl Serialize for LangTag {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(&self.tag)
    }
}

fn name_of(code: &str) -> Option<&'static str> {
    table::LANGUAGES
        .iter()
        .find(|(c, _, c3)| *c == code || *c3 == code)
        .map(|(_, n, _)| *n)
        .or_else(|| {
            table::EXTRA_LANGUAGES
                .iter()
                .find(|(c, _)| *c == code)
                .map(|(_, n)| *n)
        })
}

fn code_of(lang: Lang) -> &'static str {
    let c3 = lang.code();
    table::LANGUAGES
        .iter()
        .find(|(_, _, x)| *x == c3)
        .map(|(c, _, _)| *c)
        .unwrap_or(c3)
}

/// Scripts that Chinese and Japanese share are one family for comparison.
fn family(s: Script) -> Script {
    match s {
        Script::Hiragana | Script::Katakana | Script::Mandarin => Script::Mandarin,
        other => other,
    }
}

/// The writing system of a piece of text, by its letters (None when it has too few).
pub fn script_of(text: &str) -> Option<ScriptId> {
    let letters = text.chars().filter(|c| c.is_alphabetic()).take(8).count();
    if letters < 4 {
        return None;
    }
    // ASCII letters are all Latin: what whatlang would say, without its count of every
    // character against each script (the common case of an English source).
    if text.is_ascii() {
        return Some(ScriptId(family(Script::Latin)));
    }
    whatlang::detect_script(text).map(|s| ScriptId(family(s)))
}

/// The letters of `text`, a Chinese or Japanese character or a Korean syllable counted as
/// three (about what it carries in letters of an alphabet).
pub fn weighted_letters(text: &str) -> usize {
    text.chars()
        .filter(|c| c.is_alphabetic())
        .map(|c| if is_cjk(c) || is_hangul(c) { 3 } else { 1 })
        .sum()
}

/// Whether a character is Chinese or Japanese (a Han character or kana), written without
/// spaces between words.
pub(crate) fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF // kana
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xF900..=0xFAFF)
}

fn is_hangul(c: char) -> bool {
    matches!(c as u32, 0xAC00..=0xD7AF)
}

/// The share of the words of `text` written in `script`, in [0, 1] (0 when it has no words).
/// A word is a run of letters of one script (marks included), so `で利用可能なContributor`
/// is two; a run of Chinese or Japanese characters, written without spaces, counts as one
/// word per two characters. Translations leave names, terms and code in Latin letters
/// beside their own script: this tells such a paragraph from one left in the source.
pub fn script_share(text: &str, script: ScriptId) -> f64 {
    let mut buf = [0u8; 4];
    let mut of = |c: char| whatlang::detect_script(c.encode_utf8(&mut buf)).map(family);
    let (mut mine, mut all) = (0usize, 0usize);
    let mut run: Option<(Script, usize)> = None;
    let mut close = |run: Option<(Script, usize)>| {
        if let Some((s, n)) = run {
            let words = match s {
                Script::Mandarin => n.div_ceil(2),
                _ => 1,
            };
            all += words;
            if s == script.0 {
                mine += words;
            }
        }
    };
    for c in text.chars() {
        if unicode_normalization::char::is_combining_mark(c) {
            continue; // part of the letter before it
        }
        let s = if c.is_alphabetic() { of(c) } else { None };
        match (s, run) {
            (Some(s), Some((r, n))) if s == r => run = Some((r, n + 1)),
            (Some(s), _) => {
                close(run);
                run = Some((s, 1));
            }
            (None, _) => {
                close(run);
                run = None;
            }
        }
    }
    close(run);
    if all == 0 {
        0.0
    } else {
        mine as f64 / all as f64
    }
}

/// A writing system, opaque outside this module.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ScriptId(Script);

impl ScriptId {
    /// The script's name (`Latin`, `Cyrillic`, ...).
    pub fn name(&self) -> &'static str {
        match self.0 {
            Script::Mandarin => "Han",
            s => script_name(s),
        }
    }

    /// Whether the script has upper and lower case.
    pub fn is_cased(&self) -> bool {
        matches!(
            self.0,
            Script::Latin | Script::Cyrillic | Script::Greek | Script::Armenian
        )
    }
}

fn script_name(s: Script) -> &'static str {
    match s {
        Script::Arabic => "Arabic",
        Script::Armenian => "Armenian",
        Script::Bengali => "Bengali",
        Script::Cyrillic => "Cyrillic",
        Script::Devanagari => "Devanagari",
        Script::Ethiopic => "Ethiopic",
        Script::Georgian => "Georgian",
        Script::Greek => "Greek",
        Script::Gujarati => "Gujarati",
        Script::Gurmukhi => "Gurmukhi",
        Script::Hangul => "Hangul",
        Script::Hebrew => "Hebrew",
        Script::Hiragana | Script::Katakana => "Kana",
        Script::Kannada => "Kannada",
        Script::Khmer => "Khmer",
        Script::Latin => "Latin",
        Script::Malayalam => "Malayalam",
        Script::Mandarin => "Han",
        Script::Myanmar => "Myanmar",
        Script::Oriya => "Oriya",
        Script::Sinhala => "Sinhala",
        Script::Tamil => "Tamil",
        Script::Telugu => "Telugu",
        Script::Thai => "Thai",
    }
}

/// The script a tag's language is written in.
pub fn script_for(tag: &LangTag) -> ScriptId {
    ScriptId(family(tag.script()))
}

/// A detected language.
#[derive(Debug, Clone, PartialEq)]
pub struct Guess {
    /// The language (ISO 639-1 where it has one).
    pub lang: LangTag,
    /// whatlang's confidence in [0, 1].
    pub confidence: f64,
    /// How many letters the guess was made from.
    pub letters: usize,
}

/// Letters of the text that detection looks at: links, e-mail addresses and digits removed.
/// At most this many characters are read: a few sentences tell a language as well as a page,
/// and detection costs time in proportion to its text.
const DETECTION_CHARS: usize = 200;

fn detection_text(text: &str) -> String {
    let mut out = String::new();
    let mut chars = 0;
    for w in text.split_whitespace() {
        if w.contains("://") || w.starts_with("www.") || w.contains('@') {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
        chars += w.chars().count() + 1;
        if chars >= DETECTION_CHARS {
            break;
        }
    }
    out
}

/// Whether a paragraph in `script` could be in a language detection knows that is neither
/// `lang` nor a close relative of it (for Russian in Cyrillic: no; for Spanish in Latin: yes).
pub fn third_language_possible(lang: &LangTag, script: ScriptId) -> bool {
    let scripts: &[Script] = match script.0 {
        Script::Mandarin => &[Script::Mandarin, Script::Hiragana, Script::Katakana],
        _ => std::slice::from_ref(&script.0),
    };
    scripts
        .iter()
        .flat_map(|s| s.langs().iter())
        .any(|l| !close_relatives(&LangTag::from_code(code_of(*l)), lang))
}

/// Detect the language of a piece of text. None when the text is too short to tell.
pub fn detect(text: &str) -> Option<Guess> {
    let t = detection_text(text);
    let letters = t.chars().filter(|c| c.is_alphabetic()).count();
    if letters < 12 {
        return None;
    }
    let info = whatlang::detect(&t)?;
    Some(Guess {
        lang: LangTag::from_code(code_of(info.lang())),
        confidence: info.confidence(),
        letters,
    })
}

/// Detect which of `candidates` the text is written in, with whatlang's confidence. None when
/// the text is too short or no candidate is a language detection knows.
pub fn detect_among(text: &str, candidates: &[&LangTag]) -> Option<(usize, f64)> {
    let t = detection_text(text);
    if t.chars().filter(|c| c.is_alphabetic()).count() < 12 {
        return None;
    }
    let langs: Vec<Lang> = candidates.iter().filter_map(|c| c.whatlang()).collect();
    if langs.is_empty() {
        return None;
    }
    let info = Detector::with_allowlist(langs).detect(&t)?;
    let found = candidates
        .iter()
        .position(|c| c.whatlang() == Some(info.lang()))?;
    Some((found, info.confidence()))
}

/// Whether two languages are close enough that detection confuses them on short texts
/// (Spanish and Portuguese, Russian and Ukrainian, Croatian and Serbian, Danish and Norwegian,
/// ...): a guess of one for the other is not evidence of a wrong language.
pub fn close_relatives(a: &LangTag, b: &LangTag) -> bool {
    if a.same_language(b) {
        return true;
    }
    let (x, y) = (a.language(), b.language());
    table::CLOSE_GROUPS
        .iter()
        .any(|g| g.contains(&x) && g.contains(&y))
}

/// Whether a tag pins the script its text is written in: a script subtag does; languages
/// written in more than one script (Serbian, Uzbek, Azerbaijani, Kazakh, ...) do not without one.
pub fn script_is_fixed(tag: &LangTag) -> bool {
    tag.script.is_some() || !table::MULTI_SCRIPT.contains(&tag.language())
}

/// Whether detection knows this language (so that a guess can confirm or contradict it).
pub fn detectable(tag: &LangTag) -> bool {
    tag.whatlang().is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_full_bcp47() {
        for (input, tag, lang) in [
            ("en", "en", "en"),
            ("zh-hans", "zh-Hans", "zh"),
            ("pt_br", "pt-BR", "pt"),
            ("de-1996", "de-1996", "de"),
            ("el-monoton", "el-monoton", "el"),
            ("sr-Latn-RS", "sr-Latn-RS", "sr"),
            ("es-419", "es-419", "es"),
            ("kk", "kk", "kk"),
            ("ast", "ast", "ast"),
        ] {
            let t = LangTag::parse(input).unwrap();
            assert_eq!((t.as_str(), t.language()), (tag, lang), "{input}");
        }
        for bad in ["english", "xx", "e", "en-@@", ""] {
            assert!(LangTag::parse(bad).is_err(), "{bad}");
        }
        assert!(LangTag::parse("pt-BR")
            .unwrap()
            .same_language(&LangTag::parse("pt-PT").unwrap()));
    }

    #[test]
    fn tags_from_file_names() {
        let got = |n: &str| LangTag::from_file_name(n).map(|(b, t)| (b, t.to_string()));
        assert_eq!(
            got("statement.es.txt"),
            Some(("statement".into(), "es".into()))
        );
        assert_eq!(
            got("law.zh-Hans.md"),
            Some(("law".into(), "zh-Hans".into()))
        );
        assert_eq!(got("report.final.txt"), None);
        assert_eq!(got("page.txt"), None);
        assert_eq!(got(".es.txt"), None);
    }

    #[test]
    fn weighted_letters_count_ideographs_and_syllables_as_three() {
        assert_eq!(weighted_letters("abc 12"), 3);
        assert_eq!(weighted_letters("人人有权"), 12);
        assert_eq!(weighted_letters("한국어 ok"), 11);
        assert_eq!(weighted_letters("すべて"), 9);
    }

    #[test]
    fn script_share_counts_words_of_each_script() {
        let ja = script_for(&LangTag::parse("ja").unwrap());
        let ar = script_for(&LangTag::parse("ar").unwrap());
        let hi = script_for(&LangTag::parse("hi").unwrap());
        let en = script_for(&LangTag::parse("en").unwrap());
        // この行動規範は (7 → 4) / Contributor Covenant (2) / で利用可能です (7 → 4)
        let s = "この行動規範はContributor Covenantで利用可能です。";
        assert!(
            (script_share(s, ja) - 8.0 / 10.0).abs() < 1e-9,
            "{}",
            script_share(s, ja)
        );
        assert!((script_share(s, en) - 2.0 / 10.0).abs() < 1e-9);
        // يتوفر، خاص، بـ، في against guide, Collaborators, collaborator, guide, md
        let s = "يتوفر guide خاص بـ Collaborators في collaborator-guide.md.";
        assert!(
            (script_share(s, ar) - 4.0 / 9.0).abs() < 1e-9,
            "{}",
            script_share(s, ar)
        );
        // Vowel signs and viramas belong to their letters: one word.
        assert_eq!(script_share("अनुच्छेद", hi), 1.0);
        assert_eq!(script_share("All English here.", ja), 0.0);
        assert_eq!(script_share("1948 — 2024", ja), 0.0);
    }

    #[test]
    fn detects_language_and_script() {
        let g = detect("The protests were triggered by the decision to lift price caps on gas.")
            .unwrap();
        assert_eq!(g.lang.as_str(), "en");
        let g = detect(
            "Las protestas fueron provocadas por la decisión de eliminar los topes de precios.",
        )
        .unwrap();
        assert_eq!(g.lang.as_str(), "es");
        assert_eq!(
            script_of("Казахстан: народное восстание").unwrap().name(),
            "Cyrillic"
        );
        assert_eq!(
            script_for(&LangTag::parse("sr-Latn").unwrap()).name(),
            "Latin"
        );
        assert_eq!(
            script_for(&LangTag::parse("ja").unwrap()),
            script_for(&LangTag::parse("zh-Hant").unwrap())
        );
        let en = LangTag::parse("en").unwrap();
        let es = LangTag::parse("es").unwrap();
        assert_eq!(
            detect_among("Viva el levantamiento obrero revolucionario", &[&en, &es]).map(|x| x.0),
            Some(1)
        );
    }
}
