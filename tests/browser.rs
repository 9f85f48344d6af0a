//! The HTML review page in a real browser: headless Chromium (Debian's `chromium` package) opens
//! the page written by `paralign check --format html`, takes a screenshot, and dumps the DOM
//! after the page's script ran, so that these tests see what a reviewer sees: the rows, the
//! badges, the filter controls, the filters read from the URL fragment hiding the sound rows,
//! and no script from document text run.
//!
//! Without `/usr/bin/chromium` these tests fail (they never pass silently): install it with
//! `apt-get install -y chromium` (`scripts/test` does it on a fresh machine).
//!
//! `PARALIGN_UPDATE_SCREENSHOT=1 cargo test --test browser` also writes the screenshot of the
//! fixture report to `docs/review.png`, the picture the README shows.

mod util;

use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use util::{root, statement_with_defect, Dir};

const CHROMIUM: &str = "/usr/bin/chromium";

/// One browser at a time: they are heavy, and the machine may be small.
static BROWSER: Mutex<()> = Mutex::new(());

fn chromium() -> &'static Path {
    let path = Path::new(CHROMIUM);
    assert!(
        path.exists(),
        "{CHROMIUM} is missing, so the HTML report cannot be tested in a browser: \
         run `apt-get install -y chromium` (as root; scripts/test does it on a fresh machine)"
    );
    path
}

/// Run headless Chromium on `url` with `args` (`--dump-dom`, `--screenshot=FILE`) and return
/// what it printed on standard output.
fn browse(args: &[String], url: &str) -> String {
    let bin = chromium();
    let _one = BROWSER.lock().unwrap_or_else(|e| e.into_inner());
    let tmp = Dir::new();
    let profile = tmp.create_dir("profile");
    let stdout = tmp.join("stdout");
    let stderr = tmp.join("stderr");
    let mut child = Command::new(bin)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--hide-scrollbars",
            "--force-device-scale-factor=1",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .arg(url)
        .stdin(Stdio::null())
        .stdout(File::create(&stdout).expect("create stdout file"))
        .stderr(File::create(&stderr).expect("create stderr file"))
        .spawn()
        .unwrap_or_else(|e| panic!("{CHROMIUM} did not start: {e}"));
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for chromium") {
            break status;
        }
        if started.elapsed() > Duration::from_secs(180) {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "chromium took over 180 s on {url}:\n{}",
                std::fs::read_to_string(&stderr).unwrap_or_default()
            );
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(
        status.success(),
        "chromium failed on {url} ({status}):\n{}",
        std::fs::read_to_string(&stderr).unwrap_or_default()
    );
    std::fs::read_to_string(&stdout).expect("chromium's output is UTF-8")
}

/// The DOM of a page after its script ran.
fn dump(page: &Path, fragment: &str) -> String {
    let dom = browse(
        &["--dump-dom".to_string()],
        &format!("{}{fragment}", url(page)),
    );
    assert!(
        dom.contains("</html>"),
        "chromium printed no document:\n{dom}"
    );
    dom
}

fn url(page: &Path) -> String {
    let abs = page.canonicalize().expect("the page exists");
    format!("file://{}", abs.display())
}

/// Write the review page of a folder's documents (`check . ARGS --format html -o review.html`).
fn review(dir: &Dir, args: &[&str], code: i32) -> PathBuf {
    let mut all: Vec<&str> = vec!["check", "."];
    all.extend(args);
    all.extend(["--format", "html", "-o", "review.html"]);
    dir.paralign(&all).expect_code(code);
    dir.join("review.html")
}

/// English with the changed-number Spanish and the cut Russian (two diverging rows), in a
/// folder named `statement` so that the page shows short paths.
fn fixture_review() -> (Dir, PathBuf) {
    let dir = Dir::new();
    dir.copy_fixture("statement/statement.en.txt", "statement/statement.en.txt");
    dir.copy_fixture(
        "defects/changed-number.es.txt",
        "statement/statement.es.txt",
    );
    dir.copy_fixture("defects/cut.ru.txt", "statement/statement.ru.txt");
    dir.paralign([
        "check",
        "statement",
        "--format",
        "html",
        "-o",
        "review.html",
    ])
    .expect_code(0);
    let page = dir.join("review.html");
    (dir, page)
}

/// The start tags of the grid's rows (`<div class="row …" …>`), header excluded.
fn rows(dom: &str) -> Vec<&str> {
    dom.match_indices("<div class=\"row ")
        .map(|(at, _)| &dom[at..at + dom[at..].find('>').expect("a whole tag") + 1])
        .filter(|tag| !tag.starts_with("<div class=\"row head"))
        .collect()
}

fn hidden(tag: &str) -> bool {
    tag.contains(" hidden")
}

/// The text of the element with this id (no markup inside).
fn text_of<'a>(dom: &'a str, id: &str) -> &'a str {
    let at = dom
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("no #{id}"));
    let start = at + dom[at..].find('>').expect("a whole tag") + 1;
    &dom[start..start + dom[start..].find('<').expect("a closing tag")]
}

/// The colours of a PNG screenshot (pixel counts by RGB) and the share of its pixels that are
/// neither white nor the page's yellow: text, badges, lines.
fn colours(png: &[u8]) -> (std::collections::HashMap<[u8; 3], usize>, f64) {
    let mut reader = png::Decoder::new(png)
        .read_info()
        .expect("a PNG chromium wrote");
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).expect("its one frame");
    let step = info.color_type.samples();
    assert!(step >= 3, "an RGB picture: {:?}", info.color_type);
    let mut out = std::collections::HashMap::new();
    for px in buf[..info.buffer_size()].chunks(step) {
        *out.entry([px[0], px[1], px[2]]).or_insert(0) += 1;
    }
    let all: usize = out.values().sum();
    let plain = out.get(&[0xff, 0xff, 0xff]).copied().unwrap_or(0)
        + out.get(&[0xff, 0xf7, 0xd1]).copied().unwrap_or(0);
    (out, 1.0 - plain as f64 / all as f64)
}

#[test]
fn screenshot_of_the_fixture_report() {
    let (dir, page) = fixture_review();
    let shot = dir.join("review.png");
    browse(
        &[
            format!("--screenshot={}", shot.display()),
            "--window-size=1400,1800".to_string(),
        ],
        &url(&page),
    );
    let png = std::fs::read(&shot).expect("chromium wrote the screenshot");
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "a PNG file");
    let width = u32::from_be_bytes(png[16..20].try_into().unwrap());
    let height = u32::from_be_bytes(png[20..24].try_into().unwrap());
    assert_eq!((width, height), (1400, 1800));
    // What is on it: the page's white, its text, the two diverging rows' yellow and their
    // badges' border colour, in the share of the picture a page of this report fills.
    let (pixels, share) = colours(&png);
    let count = |rgb: [u8; 3]| pixels.get(&rgb).copied().unwrap_or(0);
    let all: usize = pixels.values().sum();
    assert_eq!(all, 1400 * 1800);
    // (Measured: 221,507 yellow pixels, 37,072 of the text colour, 17 % not plain.)
    assert!(
        count([0xff, 0xf7, 0xd1]) > 100_000,
        "the diverging rows' background"
    );
    assert!(
        count([0xc9, 0x9a, 0x00]) > 200,
        "the diverging rows' border"
    );
    assert!(count([0x1d, 0x21, 0x26]) > 10_000, "text in the page's ink");
    assert!((0.05..0.5).contains(&share), "text on the page: {share}");
    if std::env::var_os("PARALIGN_UPDATE_SCREENSHOT").is_some() {
        let docs = root().join("docs");
        std::fs::create_dir_all(&docs).expect("create docs/");
        std::fs::write(docs.join("review.png"), &png).expect("write docs/review.png");
    }
}

#[test]
fn the_rendered_page_has_rows_badges_and_working_filters() {
    let (_dir, page) = fixture_review();
    let dom = dump(&page, "");
    // The script ran: the filter controls are shown and count the rows.
    assert!(
        dom.contains("<form id=\"filters\" class=\"filters\" role=\"search\">"),
        "the filters are shown"
    );
    for control in [
        "<input type=\"checkbox\" id=\"f-problems\">",
        "<select id=\"f-flag\">",
        "<select id=\"f-lang\">",
        "<option value=\"es\">es Spanish</option>",
        "<option value=\"ru\">ru Russian</option>",
        "<input type=\"search\" id=\"f-q\"",
    ] {
        assert!(dom.contains(control), "no `{control}` in the page");
    }
    assert_eq!(text_of(&dom, "f-count"), "16 rows");
    // Every row shown, two of them with findings.
    let all = rows(&dom);
    assert_eq!(all.len(), 16);
    assert!(all.iter().all(|r| !hidden(r)), "nothing hidden unasked");
    let bad: Vec<&&str> = all.iter().filter(|r| r.contains("row bad")).collect();
    assert_eq!(
        bad,
        [
            &"<div class=\"row bad w-diverging\" role=\"row\" data-f=\"es:diverging\">",
            &"<div class=\"row bad w-diverging\" role=\"row\" data-f=\"ru:diverging\">",
        ]
    );
    assert!(dom.contains("\">diverging: numbers</span>"));
    assert!(dom.contains("\">diverging: numbers, length"));
    assert!(dom.contains("<mark class=\"hn\" title=\"not in es\">11.6</mark>"));
    assert!(dom.contains("<mark class=\"hn\" title=\"not in the en source\">16,1</mark>"));
}

#[test]
fn only_problems_hides_the_sound_rows() {
    let (_dir, page) = fixture_review();
    for fragment in ["#problems", "#only-problems"] {
        let dom = dump(&page, fragment);
        let all = rows(&dom);
        assert_eq!(all.len(), 16);
        for r in &all {
            assert_eq!(hidden(r), r.contains("row ok"), "{fragment}: {r}");
        }
        assert_eq!(text_of(&dom, "f-count"), "2 of 16 rows shown");
    }
}

#[test]
fn flag_language_and_search_filters() {
    let dir = statement_with_defect("missing.es.txt");
    dir.copy_fixture("defects/cut.ru.txt", "statement.ru.txt");
    let page = review(&dir, &[], 1);

    // One flag: only the row with a missing paragraph.
    let dom = dump(&page, "#flag=missing");
    let shown: Vec<&str> = rows(&dom).into_iter().filter(|r| !hidden(r)).collect();
    assert_eq!(
        shown,
        ["<div class=\"row bad w-missing\" role=\"row\" data-f=\"es:missing\">"]
    );

    // One language: its column alone beside the source, and only its problems with `problems`.
    let dom = dump(&page, "#problems&lang=ru");
    let shown: Vec<&str> = rows(&dom).into_iter().filter(|r| !hidden(r)).collect();
    assert_eq!(
        shown,
        ["<div class=\"row bad w-diverging\" role=\"row\" data-f=\"ru:diverging\">"]
    );
    assert!(
        dom.contains(".grid .t:not([data-l=\"ru\"])"),
        "the other columns are hidden"
    );

    // Search: the rows whose text holds the words.
    let dom = dump(&page, "#q=Kessler%20Logistics");
    let shown = rows(&dom).into_iter().filter(|r| !hidden(r)).count();
    assert!((1..16).contains(&shown), "{shown} rows shown");
    assert_eq!(
        text_of(&dom, "f-count"),
        format!("{shown} of 16 rows shown")
    );
}

#[test]
fn no_script_from_document_text_runs() {
    let dir = Dir::new();
    dir.create(
        "x.en.txt",
        "A title\n\n1. Text with <script>document.title = 'pwned'; document.body.dataset.pwned = 1</script> in it.\n\n\
         2. And <img src=x onerror=\"document.title = 'pwned'\"> an image.\n",
    );
    dir.create(
        "x.es.txt",
        "Un título\n\n1. Texto con <script>document.title = 'pwned'</script> dentro.\n\n\
         2. Y <img src=x onerror=\"document.title = 'pwned'\"> una imagen.\n",
    );
    let page = review(&dir, &["--fail-on", "none"], 0);
    let dom = dump(&page, "");
    assert!(dom.contains("<title>Review of x · paralign</title>"));
    assert!(!dom.contains("pwned\">") && !dom.contains("data-pwned"));
    assert!(!dom.contains("<img"), "no image element from document text");
    assert_eq!(
        dom.matches("<script>").count(),
        1,
        "only the page's own script"
    );
    assert!(dom.contains("&lt;script&gt;document.title = 'pwned'"));
}
