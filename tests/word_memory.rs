//! The memory's word model (memory/0005): segments teach it, a rebuild teaches it the same, and
//! an isolated pair (two one-paragraph documents) is scored with it.

use std::path::Path;
use std::sync::Arc;

use paralign::align::{align, Options};
use paralign::document::{Document, Format};
use paralign::exchange::{Unit, Variant};
use paralign::language::LangTag;
use paralign::model::tokens::tokens;
use paralign::model::MemoryModel;
use paralign::score::Coverage;
use paralign::store::{Clock, ModelUpdate, Store};

const EN: [&str; 10] = [
    "garden", "window", "kitchen", "bottle", "pencil", "mirror", "carpet", "ladder", "basket",
    "button",
];
const DE: [&str; 10] = [
    "garten",
    "fenster",
    "kueche",
    "flasche",
    "bleistift",
    "spiegel",
    "teppich",
    "leiter",
    "korb",
    "knopf",
];

/// 200 segments: two of the ten words and their translations, every seventh with a wrong second
/// word in the target (a memory is never perfect).
fn units() -> Vec<Unit> {
    (0..200usize)
        .map(|p| {
            let (a, b) = (p % 10, (p / 10 + p % 3 + 1) % 10);
            let wrong = if p % 7 == 0 { (b + 5) % 10 } else { b };
            Unit {
                source_lang: "en-US".into(),
                source: format!("The {} and the {} number {p}.", EN[a], EN[b]),
                document: None,
                label: None,
                targets: vec![Variant {
                    lang: "de".into(),
                    text: format!("Der {} und der {} Nummer {p}.", DE[a], DE[wrong]),
                    score: None,
                    flags: Vec::new(),
                    created: None,
                    changed: None,
                    ..Variant::default()
                }],
                ..Unit::default()
            }
        })
        .collect()
}

fn memory() -> Store {
    let mut store = Store::open(Path::new(":memory:"), Clock::Fixed(1_700_000_000)).unwrap();
    store
        .merge_units("test", "tm", &mut units().into_iter().map(Ok))
        .unwrap();
    store
}

fn token(word: &str) -> u32 {
    tokens(word)[0]
}

fn model(store: &Store) -> Arc<MemoryModel> {
    let models = store.word_models(None).unwrap();
    let en = LangTag::parse("en").unwrap();
    let de = LangTag::parse("de").unwrap();
    models.pair(&en, &de).expect("an en-de model")
}

#[test]
fn segments_teach_the_model_and_a_rebuild_teaches_the_same() {
    let mut store = memory();
    let trained = store.train_word_models().unwrap();
    let want = vec![ModelUpdate {
        langs: ("en".into(), "de".into()),
        segments: 200,
        pairs: 175,
        // The ten words each way, and the three of every segment (`the`, `and`, `number`;
        // `der`, `und`, `nummer`): kept, never used (held by more than half the segments).
        entries: 26,
    }];
    assert_eq!(trained, want);
    let m = model(&store);
    assert_eq!(m.translations(0, token("kitchen")), vec![token("kueche")]);
    assert_eq!(m.translations(1, token("spiegel")), vec![token("mirror")]);
    // In every segment: not known.
    assert!(m.translations(0, token("the")).is_empty());
    // Nothing new since: nothing to train.
    assert_eq!(store.train_word_models().unwrap(), Vec::new());
    assert_eq!(store.rebuild_word_models().unwrap(), want);
    assert_eq!(*model(&store), *m);
}

fn doc(text: &str, lang: &str) -> Document {
    let mut d = Document::parse(lang, text, Format::Text);
    d.lang = LangTag::parse(lang).ok();
    d
}

fn coverage(memory: Option<Arc<MemoryModel>>, target: &str) -> Option<Coverage> {
    let opts = Options {
        source_lang: LangTag::parse("en").ok(),
        target_lang: LangTag::parse("de").ok(),
        signals: true,
        memory,
        ..Options::default()
    };
    let a = align(
        &doc("The kitchen and the mirror are new.", "en"),
        &doc(target, "de"),
        &opts,
    );
    assert_eq!(a.pairs.len(), 1);
    a.pairs[0].signals.as_ref().and_then(|s| s.coverage)
}

#[test]
fn an_isolated_pair_is_scored_with_the_memory_alone() {
    let mut store = memory();
    store.train_word_models().unwrap();
    let m = model(&store);
    let right = "Die kueche und der spiegel sind neu.";
    let wrong = "Der teppich und die leiter sind neu.";
    assert_eq!(coverage(None, right), None);
    let both = Coverage {
        source: [2, 2],
        target: [2, 2],
    };
    assert_eq!(coverage(Some(m.clone()), right), Some(both));
    let none = Coverage {
        source: [0, 2],
        target: [0, 2],
    };
    assert_eq!(coverage(Some(m), wrong), Some(none));
}
