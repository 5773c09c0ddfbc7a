//! The memory on PostgreSQL: the same results as on SQLite (import and
//! export, lookup, concordance, stats, documents), its schema versions,
//! concurrent writers, a client killed mid-import, connection failures, and
//! `memory::copy` between the backends. Each test runs against a private
//! server (`postgres_server`), in its own schema.

mod postgres_server;
mod support;

use std::io::Read;
use std::path::Path;

use dragoman::memory::{
    self, ConcordanceOptions, ImportOptions, LanguagePair, LookupOptions, Memory, MemoryError,
    MemoryLocation, TmxSource,
};
use dragoman::tmx::{TranslationUnit, Variant};

/// The memory in schema `schema` of the test database, or `None` (the
/// harness said why) without a server.
fn pg(schema: &str) -> Option<MemoryLocation> {
    Some(MemoryLocation::parse(&postgres_server::url(schema)?).unwrap())
}

fn sqlite(dir: &Path) -> MemoryLocation {
    MemoryLocation::Path(dir.join("memory.sqlite"))
}

/// The real memories every backend test imports: TICO-19's translation
/// memory and the good TMX fixtures (props, notes, Level 2 markup, UTF-16,
/// TMX 1.1, region tags).
fn fixture_sources() -> Vec<TmxSource<'static>> {
    let mut paths = vec![support::repo_path("tests/fixtures/tico19/original/all.en-ar.tmx")];
    let mut good: Vec<_> = std::fs::read_dir(support::repo_path("tests/fixtures/tmx/good"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    good.sort();
    paths.extend(good);
    paths
        .into_iter()
        .map(|path| TmxSource {
            name: path.display().to_string(),
            input: Box::new(std::fs::File::open(&path).unwrap()),
        })
        .collect()
}

fn import_fixtures(location: &MemoryLocation) -> Memory {
    let mut memory = Memory::open_or_create_location(location).unwrap();
    memory.import(fixture_sources(), &ImportOptions::default()).unwrap();
    memory
}

/// A TMX export with the header's date of writing (now) taken out.
fn export(memory: &Memory) -> String {
    let mut out = Vec::new();
    memory.export(&mut out, &LanguagePair::default()).unwrap();
    let text = String::from_utf8(out).unwrap();
    let header = regex::Regex::new(r#"(<header[^>]*?) creationdate="[0-9TZ]+""#).unwrap();
    header.replace(&text, "$1").into_owned()
}

fn unit(tuid: &str, ar: &str, en: &str, created: &str) -> TranslationUnit {
    TranslationUnit {
        tuid: Some(tuid.to_string()),
        attributes: vec![("creationdate".to_string(), created.to_string())],
        props: Vec::new(),
        notes: Vec::new(),
        variants: vec![Variant::from_text("ar", ar), Variant::from_text("en", en)],
    }
}

/// Sentences of a FLORES-200 document as `tuid`-numbered units.
fn article(name: &str, created: &str) -> Vec<TranslationUnit> {
    let dir = support::repo_path("tests/fixtures/flores200/docs");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter_map(|n| n.strip_suffix(".ar").map(str::to_string))
        .collect();
    names.sort();
    let pick = &names[name.bytes().map(usize::from).sum::<usize>() % names.len()];
    let ar = std::fs::read_to_string(dir.join(format!("{pick}.ar"))).unwrap();
    let en = std::fs::read_to_string(dir.join(format!("{pick}.en"))).unwrap();
    ar.lines()
        .zip(en.lines())
        .enumerate()
        .map(|(i, (a, e))| unit(&format!("{name}:{}", i + 1), a, e, created))
        .collect()
}

#[test]
fn both_backends_store_export_and_find_the_same() {
    let Some(location) = pg("same_results") else { return };
    let dir = tempfile::tempdir().unwrap();
    let lite = import_fixtures(&sqlite(dir.path()));
    let shared = import_fixtures(&location);
    assert!(shared.unit_count().unwrap() > 3_000);
    assert_eq!(shared.unit_count().unwrap(), lite.unit_count().unwrap());
    assert_eq!(export(&shared), export(&lite), "exports differ");

    let (a, b) = (shared.stats().unwrap(), lite.stats().unwrap());
    assert_eq!((a.units, &a.languages, a.unmatchable), (b.units, &b.languages, b.unmatchable));
    assert_eq!((&a.first_date, &a.last_date), (&b.first_date, &b.last_date));
    assert!(a.size_bytes > a.index_bytes && a.index_bytes > 0, "{a:?}");
    assert!(!a.path.contains(postgres_server::PASSWORD), "{}", a.path);
    let documents =
        |m: &Memory| m.documents().unwrap().into_iter().map(|d| (d.name, d.units)).collect::<Vec<_>>();
    assert_eq!(documents(&shared), documents(&lite));

    let mut compared = 0;
    for query in [
        "هل لديك حمى",
        "do you have a fever",
        "COVID-19 pandemic",
        "في",
        "the",
        "Wash your hands with soap and water",
        "اغسل يديك بالماء والصابون",
        "ما هي أعراض فيروس كورونا",
    ] {
        for min in [30u8, 50, 75] {
            let options = LookupOptions { min, limit: 10_000, lang: None };
            let found = shared.lookup(query, &options).unwrap();
            assert_eq!(found, lite.lookup(query, &options).unwrap(), "--min {min}: {query}");
            assert_eq!(found, shared.lookup_exhaustive(query, &options).unwrap(), "--min {min}: {query}");
            compared += usize::from(!found.is_empty());
        }
    }
    assert!(compared >= 8, "only {compared} lookups found anything");
    for term in ["فيروس", "الحمى", "virus", "hands", "soap and water"] {
        let options = ConcordanceOptions::default();
        let found = shared.concordance(term, &options).unwrap();
        assert!(!found.is_empty(), "{term}");
        assert_eq!(found, lite.concordance(term, &options).unwrap(), "{term}");
    }
    // `glossary drift` and `suggest` read both backends alike (#18).
    let mine = |m: &Memory| {
        let stream =
            |visit: dragoman::terminology::Visit<'_>| m.for_each_unit(&mut |u| visit(&u)).map(|_| ());
        let archive = dragoman::terminology::Archive::build(None, &Default::default(), stream).unwrap();
        serde_json::to_value((archive.drift(2), archive.suggest(3))).unwrap()
    };
    let mined = mine(&shared);
    assert!(!mined[1]["suggestions"].as_array().unwrap().is_empty(), "{mined}");
    assert_eq!(mined, mine(&lite));
    shared.check_integrity().unwrap();
}

#[test]
fn replacing_a_document_is_idempotent_and_ids_are_never_reused() {
    let Some(location) = pg("replace") else { return };
    let mut memory = Memory::open_or_create_location(&location).unwrap();
    let first = article("raqqa", "20170601T120000Z");
    let n = first.len();
    let done = memory.replace_document("raqqa", &first).unwrap();
    assert_eq!((done.removed, done.added, done.unchanged), (0, n, 0));
    // The same article again, written later: nothing changes, ids included.
    let again = article("raqqa", "20170602T090000Z");
    let done = memory.replace_document("raqqa", &again).unwrap();
    assert_eq!((done.removed, done.added, done.unchanged), (0, 0, n));
    assert_eq!(memory.unit(1).unwrap().as_ref(), Some(&first[0]));
    // A corrected first sentence replaces one unit; the new one's id comes
    // after every id ever used.
    let mut corrected = first.clone();
    corrected[0] = unit(
        "raqqa:1",
        "قتل ثلاثة مدنيين في الرقة.",
        "Three civilians were killed in Raqqa.",
        "20170603T000000Z",
    );
    let done = memory.replace_document("raqqa", &corrected).unwrap();
    assert_eq!((done.removed, done.added, done.unchanged), (1, 1, n - 1));
    assert_eq!(memory.unit(1).unwrap(), None);
    assert_eq!(memory.unit(n as i64 + 1).unwrap().as_ref(), Some(&corrected[0]));
    assert_eq!(memory.remove_document("raqqa").unwrap(), n);
    memory.replace_document("raqqa", &first[..1]).unwrap();
    assert_eq!(memory.unit(n as i64 + 2).unwrap().as_ref(), Some(&first[0]));
    let found = memory.lookup(&first[0].variants[0].seg.plain_text(), &LookupOptions::default()).unwrap();
    assert_eq!((found[0].score, found[0].tuid.as_deref()), (100, Some("raqqa:1")));
    assert_eq!(memory.documents().unwrap()[0].name, "raqqa");
}

#[test]
fn a_missing_memory_and_a_newer_schema_are_refused_untouched() {
    let Some(location) = pg("newer") else { return };
    let error = Memory::open_location(&location).unwrap_err();
    assert!(matches!(error, MemoryError::Missing { .. }), "{error}");
    {
        let mut memory = Memory::open_or_create_location(&location).unwrap();
        memory.replace_document("d", &article("d", "20200101T000000Z")).unwrap();
    }
    let mut admin = postgres_server::admin(postgres_server::DATABASE);
    admin.execute("UPDATE newer.meta SET value = 99 WHERE key = 'schema_version'", &[]).unwrap();
    let snapshot = |admin: &mut postgres::Client| -> Vec<String> {
        let meta = admin.query("SELECT key || '=' || value FROM newer.meta ORDER BY key", &[]).unwrap();
        let units = admin.query_one("SELECT count(*)::text FROM newer.unit", &[]).unwrap();
        meta.iter().map(|r| r.get::<_, String>(0)).chain([units.get(0)]).collect()
    };
    let before = snapshot(&mut admin);
    for open in [Memory::open_location, Memory::open_or_create_location] {
        let error = open(&location).unwrap_err();
        assert!(matches!(error, MemoryError::NewerSchema { found: 99, .. }), "{error}");
        assert!(error.to_string().contains("newer dragoman"), "{error}");
    }
    assert_eq!(snapshot(&mut admin), before);

    // A schema holding someone else's tables is not taken over.
    admin.batch_execute("CREATE SCHEMA theirs; CREATE TABLE theirs.orders (id int)").unwrap();
    let error = Memory::open_or_create_location(&pg("theirs").unwrap()).unwrap_err();
    assert!(matches!(error, MemoryError::NotAMemory { .. }), "{error}");
}

/// Units compared without their dates, in tuid order.
fn undated(memory: &Memory) -> Vec<TranslationUnit> {
    let mut units = Vec::new();
    memory
        .for_each_unit(&mut |mut unit| {
            unit.attributes.retain(|(key, _)| !key.ends_with("date"));
            units.push(unit);
        })
        .unwrap();
    units.sort_by(|a, b| a.tuid.cmp(&b.tuid));
    units
}

#[test]
fn eight_concurrent_writers_end_as_a_sequential_run() {
    let Some(sequential) = pg("sequential") else { return };
    // Seven articles, one of them added twice (two editors at once).
    let jobs: Vec<(String, Vec<TranslationUnit>)> = (0..8)
        .map(|i| {
            let name = format!("article-{}", i.min(6));
            let units = article(&name, &format!("2026010{}T000000Z", i + 1));
            (name, units)
        })
        .collect();
    let mut memory = Memory::open_or_create_location(&sequential).unwrap();
    for (name, units) in &jobs {
        memory.replace_document(name, units).unwrap();
    }
    let expected = undated(&memory);
    assert_eq!(expected.len(), jobs[..7].iter().map(|(_, u)| u.len()).sum::<usize>());

    for round in 0..3 {
        let location = pg(&format!("concurrent_{round}")).unwrap();
        Memory::open_or_create_location(&location).unwrap();
        let barrier = std::sync::Barrier::new(jobs.len());
        std::thread::scope(|scope| {
            for (name, units) in &jobs {
                let (location, barrier) = (&location, &barrier);
                scope.spawn(move || {
                    let mut memory = Memory::open_location(location).unwrap();
                    barrier.wait();
                    memory.replace_document(name, units).unwrap();
                });
            }
        });
        let memory = Memory::open_location(&location).unwrap();
        let stored = undated(&memory);
        let tuids =
            |units: &[TranslationUnit]| units.iter().map(|u| u.tuid.clone().unwrap()).collect::<Vec<_>>();
        assert_eq!(tuids(&stored), tuids(&expected), "round {round}: units lost or duplicated");
        assert_eq!(stored, expected, "round {round}");
        memory.check_integrity().unwrap();
    }
}

/// A TMX document of `units` generated units, written as it is read.
struct GeneratedTmx {
    next: usize,
    units: usize,
    pending: Vec<u8>,
    at: usize,
}

impl Read for GeneratedTmx {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.at == self.pending.len() {
            self.pending.clear();
            self.at = 0;
            if self.next == 0 {
                self.pending.extend_from_slice(br#"<tmx version="1.4"><header srclang="ar"/><body>"#);
            }
            if self.next < self.units {
                for i in self.next..self.units.min(self.next + 1_000) {
                    self.pending.extend_from_slice(format!(
                        r#"<tu tuid="k:{i}"><tuv xml:lang="ar"><seg>قتل {i} مدنيين في غارة على الرقة</seg></tuv><tuv xml:lang="en"><seg>{i} civilians were killed in a raid on Raqqa</seg></tuv></tu>"#
                    ).as_bytes());
                }
                self.next = self.units.min(self.next + 1_000);
                if self.next == self.units {
                    self.pending.extend_from_slice(b"</body></tmx>");
                }
            }
        }
        let n = buf.len().min(self.pending.len() - self.at);
        buf[..n].copy_from_slice(&self.pending[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

/// Run by [`an_import_killed_with_kill_9_leaves_nothing`] in a child
/// process: imports a large memory into the URL it is given.
#[test]
#[ignore = "the child process of an_import_killed_with_kill_9_leaves_nothing"]
fn kill_9_child_import() {
    let Ok(url) = std::env::var("DRAGOMAN_PG_KILL_URL") else {
        eprintln!(
            "kill_9_child_import runs only as the child of an_import_killed_with_kill_9_leaves_nothing"
        );
        return;
    };
    let mut memory = Memory::open_location(&MemoryLocation::parse(&url).unwrap()).unwrap();
    let input = GeneratedTmx { next: 0, units: 5_000_000, pending: Vec::new(), at: 0 };
    memory
        .import(vec![TmxSource { name: "big.tmx".into(), input: Box::new(input) }], &ImportOptions::default())
        .unwrap();
}

#[test]
fn an_import_killed_with_kill_9_leaves_nothing() {
    let Some(url) = postgres_server::url("killed") else { return };
    let location = MemoryLocation::parse(&url).unwrap();
    let mut memory = Memory::open_or_create_location(&location).unwrap();
    memory.replace_document("kept", &article("kept", "20240101T000000Z")).unwrap();
    let kept = undated(&memory);
    drop(memory);

    let mut child = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "kill_9_child_import", "--ignored", "--nocapture", "--test-threads=1"])
        .env("DRAGOMAN_PG_KILL_URL", &url)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Kill it once its uncommitted rows fill pages on the server.
    let mut admin = postgres_server::admin(postgres_server::DATABASE);
    let started = std::time::Instant::now();
    loop {
        let size: i64 = admin.query_one("SELECT pg_relation_size('killed.unit')", &[]).unwrap().get(0);
        if size > 4 << 20 {
            break;
        }
        assert!(child.try_wait().unwrap().is_none(), "the child import ended before it was killed");
        assert!(started.elapsed().as_secs() < 120, "the child import stored nothing in two minutes");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();

    // The server rolls the dead client's transaction back; a writer waits
    // for that, then finds the memory as it was.
    let mut memory = Memory::open_location(&location).unwrap();
    let after = article("after", "20240102T000000Z");
    memory.replace_document("after", &after).unwrap();
    memory.remove_document("after").unwrap();
    assert_eq!(undated(&memory), kept);
    let postings: i64 = admin.query_one("SELECT count(*) FROM killed.posting", &[]).unwrap().get(0);
    let ids: i64 =
        admin.query_one("SELECT value FROM killed.meta WHERE key = 'next_id'", &[]).unwrap().get(0);
    // The kept article, the added and removed one: nothing of the import.
    assert_eq!(
        ids,
        1 + (kept.len() + after.len()) as i64,
        "ids the import took stay unused: it never happened"
    );
    assert!(postings > 0);
    memory.check_integrity().unwrap();
}

/// One line naming the host and database, without the password.
fn assert_one_clean_line(error: &MemoryError, password: &str, wanted: &[&str]) {
    let text = error.to_string();
    eprintln!("{text}");
    assert!(!text.contains('\n'), "{text}");
    assert!(!text.contains(password), "{text}");
    assert!(!format!("{error:?}").contains(password), "{error:?}");
    for want in wanted {
        assert!(text.contains(want), "{text} lacks {want}");
    }
}

#[test]
fn failures_are_one_line_naming_host_and_database_never_the_password() {
    let Some(server) = postgres_server::server() else { return };
    let port = server.port;
    let open = |url: &str| Memory::open_or_create_location(&MemoryLocation::parse(url).unwrap()).unwrap_err();

    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let error = open(&format!("postgres://ed:hunter2-secret@127.0.0.1:{closed}/newsroom"));
    assert_one_clean_line(
        &error,
        "hunter2-secret",
        &[&format!("127.0.0.1:{closed}/newsroom"), "cannot reach"],
    );

    let error = open(&format!("postgresql://dragoman:wrong-secret@127.0.0.1:{port}/dragoman_test"));
    assert_one_clean_line(&error, "wrong-secret", &["127.0.0.1", "dragoman_test", "authentication failed"]);

    let password = postgres_server::PASSWORD;
    let error = open(&format!("postgres://dragoman:{password}@127.0.0.1:{port}/no_such_newsroom"));
    assert_one_clean_line(&error, password, &["127.0.0.1", "no_such_newsroom", "does not exist"]);

    let (reader, reader_password) = (postgres_server::READER, postgres_server::READER_PASSWORD);
    let error =
        open(&format!("postgres://{reader}:{reader_password}@127.0.0.1:{port}/dragoman_test?schema=desk"));
    assert_one_clean_line(&error, reader_password, &["127.0.0.1", "dragoman_test", "permission denied"]);
    let mut admin = postgres_server::admin(postgres_server::DATABASE);
    let schemas: i64 =
        admin.query_one("SELECT count(*) FROM pg_namespace WHERE nspname = 'desk'", &[]).unwrap().get(0);
    assert_eq!(schemas, 0, "nothing half-written");
}

#[test]
fn copy_between_backends_is_lossless_and_refuses_a_non_empty_target() {
    let Some(url) = postgres_server::database_url("dragoman_copy") else { return };
    postgres_server::create_database("dragoman_copy");
    let dir = tempfile::tempdir().unwrap();
    let original = sqlite(dir.path());
    let mut memory = import_fixtures(&original);
    memory.replace_document("raqqa", &article("raqqa", "20170601T120000Z")).unwrap();
    let expected = export(&memory);
    let units = memory.unit_count().unwrap();
    drop(memory);

    // Into the default schema, `dragoman`.
    let shared = MemoryLocation::parse(&url).unwrap();
    assert_eq!(shared.to_string(), url.replace(&format!(":{}@", postgres_server::PASSWORD), "@"));
    assert_eq!(memory::copy(&original, &shared, false).unwrap(), units);
    assert_eq!(export(&Memory::open_location(&shared).unwrap()), expected);
    let back = MemoryLocation::Path(dir.path().join("back.sqlite"));
    assert_eq!(memory::copy(&shared, &back, false).unwrap(), units);
    assert_eq!(export(&Memory::open_location(&back).unwrap()), expected);
    let copied = Memory::open_location(&shared).unwrap();
    let query = "هل لديك حمى";
    assert_eq!(
        copied.lookup(query, &LookupOptions::default()).unwrap(),
        Memory::open_location(&original).unwrap().lookup(query, &LookupOptions::default()).unwrap()
    );

    let error = memory::copy(&original, &shared, false).unwrap_err();
    assert!(matches!(error, MemoryError::TargetNotEmpty { .. }), "{error}");
    assert!(error.to_string().contains("--append"), "{error}");
    assert_eq!(Memory::open_location(&shared).unwrap().unit_count().unwrap(), units);
    assert_eq!(memory::copy(&original, &shared, true).unwrap(), units);
    assert_eq!(Memory::open_location(&shared).unwrap().unit_count().unwrap(), 2 * units);
}

#[test]
fn a_failed_first_import_leaves_no_memory_behind() {
    let Some(location) = pg("failed_first") else { return };
    let tmx = r#"<tmx version="1.4"><header srclang="ar"/><body>
        <tu tuid="a"><tuv xml:lang="ar"><seg>قتل ثلاثة مدنيين</seg></tuv><tuv xml:lang="en"><seg>Three civilians were killed</seg></tuv></tu>
        <tu tuid="bad"><tuv xml:lang="ar"><seg>قال</seg></tuv><tuv xml:lang="en"><note>no segment</note></tuv></tu>
        </body></tmx>"#;
    let source = || vec![TmxSource { name: "t.tmx".into(), input: Box::new(tmx.as_bytes()) }];
    let error =
        memory::import_into_location(&location, source(), &ImportOptions::default(), &Default::default())
            .unwrap_err();
    assert!(error.to_string().contains("has no <seg>"), "{error}");
    let error = Memory::open_location(&location).unwrap_err();
    assert!(matches!(error, MemoryError::Missing { .. }), "{error}");

    // Into an existing memory, a failed import changes nothing.
    let options = ImportOptions { skip_bad: true, ..ImportOptions::default() };
    let outcome = memory::import_into_location(&location, source(), &options, &Default::default()).unwrap();
    assert_eq!(outcome.units, 1);
    memory::import_into_location(&location, source(), &ImportOptions::default(), &Default::default())
        .unwrap_err();
    assert_eq!(Memory::open_location(&location).unwrap().unit_count().unwrap(), 1);
}

#[test]
fn an_import_never_adds_a_unit_the_postgres_memory_already_holds() {
    let Some(location) = pg("no_duplicates") else { return };
    let tmx = r#"<tmx version="1.4"><header srclang="ar"/><body>
        <tu tuid="a"><tuv xml:lang="ar"><seg>قتل ثلاثة مدنيين</seg></tuv><tuv xml:lang="en"><seg>Three civilians were killed</seg></tuv></tu>
        <tu><tuv xml:lang="ar"><seg>الرقة تذبح بصمت</seg></tuv><tuv xml:lang="en"><seg>Raqqa is Being Slaughtered Silently</seg></tuv></tu>
        <tu><tuv xml:lang="ar"><seg>الرقة تذبح بصمت</seg></tuv><tuv xml:lang="en"><seg>Raqqa is Being Slaughtered Silently</seg></tuv></tu>
        </body></tmx>"#;
    let source = || vec![TmxSource { name: "t.tmx".into(), input: Box::new(tmx.as_bytes()) }];
    let import = |keep_duplicates: bool| {
        let extras = memory::ImportExtras { keep_duplicates, ..Default::default() };
        memory::import_into_location(&location, source(), &ImportOptions::default(), &extras).unwrap()
    };
    // Units of one file that repeat each other are all kept.
    assert_eq!(import(false).units, 3);
    let again = import(false);
    assert_eq!(again.units, 3, "the same file again adds nothing");
    assert_eq!(again.report.already_present(), 3);
    assert_eq!(import(true).units, 6, "--keep-duplicates adds them anyway");
}

/// What both backends record about documents: the same list, the same
/// refusal of another source file, export by document, copy with records.
#[test]
fn documents_are_recorded_refused_and_exported_alike_on_both_backends() {
    let Some(location) = pg("documents") else { return };
    let dir = tempfile::tempdir().unwrap();
    let info = |source: &str| memory::DocumentInfo {
        source_file: Some(source.to_string()),
        title: Some("International Dispute over the Battle of Raqqa".to_string()),
        date: Some("2017-06-06".to_string()),
    };
    let mut listed = Vec::new();
    for location in [location, sqlite(dir.path())] {
        let mut memory = Memory::open_or_create_location(&location).unwrap();
        let raqqa = article("raqqa", "20170601T120000Z");
        memory
            .store_document("raqqa", &raqqa, &info("/news/monday/article.ar.txt"), Default::default())
            .unwrap();
        memory.replace_document("other", &article("other", "20170601T120000Z")[..1]).unwrap();
        let before = export(&memory);
        let error = memory
            .store_document("raqqa", &raqqa[..1], &info("/news/tuesday/article.ar.txt"), Default::default())
            .unwrap_err();
        assert!(matches!(error, MemoryError::OtherSource { .. }), "{error}");
        let message = error.to_string();
        assert!(
            message.contains("/news/monday/article.ar.txt") && message.contains("/news/tuesday/"),
            "{message}"
        );
        assert_eq!(export(&memory), before, "nothing changed");
        let mut one = Vec::new();
        assert_eq!(
            memory.export_documents(&mut one, &LanguagePair::default(), &["other".to_string()]).unwrap(),
            1
        );
        let error = memory.export_documents(&mut Vec::new(), &LanguagePair::default(), &["homs".to_string()]);
        assert!(matches!(error, Err(MemoryError::NoSuchDocument { .. })));
        let documents = memory.documents().unwrap();
        assert_eq!(documents[1].source_file.as_deref(), Some("/news/monday/article.ar.txt"));
        assert!(documents[1].ingested.is_some() && documents[0].ingested.is_none(), "{documents:?}");
        memory
            .store_document(
                "raqqa",
                &raqqa[..1],
                &info("/news/tuesday/article.ar.txt"),
                memory::SameName::Replace,
            )
            .unwrap();
        let documents = memory.documents().unwrap();
        assert_eq!(
            (documents[1].units, documents[1].source_file.as_deref()),
            (1, Some("/news/tuesday/article.ar.txt"))
        );
        listed.push(
            documents
                .into_iter()
                .map(|d| (d.name, d.units, d.source_file, d.title, d.date))
                .collect::<Vec<_>>(),
        );
    }
    assert_eq!(listed[0], listed[1]);
}

#[test]
fn a_version_1_postgres_memory_gets_the_document_table() {
    let Some(location) = pg("before_documents") else { return };
    {
        let mut memory = Memory::open_or_create_location(&location).unwrap();
        memory.replace_document("raqqa", &article("raqqa", "20170601T120000Z")).unwrap();
    }
    // What an earlier dragoman left: version 1, no `document` table.
    let mut admin = postgres_server::admin(postgres_server::DATABASE);
    admin
        .batch_execute(
            "DROP TABLE before_documents.document;
             UPDATE before_documents.meta SET value = 1 WHERE key = 'schema_version'",
        )
        .unwrap();
    let mut memory = Memory::open_location(&location).unwrap();
    let documents = memory.documents().unwrap();
    let units = article("raqqa", "20170601T120000Z").len() as u64;
    assert_eq!((documents[0].units, &documents[0].source_file), (units, &None));
    // Nothing is known about the stored document's source: it is replaced.
    let info = memory::DocumentInfo { source_file: Some("/news/raqqa.ar.txt".into()), ..Default::default() };
    memory.store_document("raqqa", &article("raqqa", "20170601T120000Z"), &info, Default::default()).unwrap();
    let version: i64 = admin
        .query_one("SELECT value FROM before_documents.meta WHERE key = 'schema_version'", &[])
        .unwrap()
        .get(0);
    assert_eq!(version, 3);
    assert_eq!(memory.documents().unwrap()[0].source_file.as_deref(), Some("/news/raqqa.ar.txt"));
}

/// The indexes of a table of schema `schema`, by name.
fn indexes(admin: &mut postgres::Client, schema: &str, table: &str) -> Vec<String> {
    admin
        .query(
            "SELECT indexname::text FROM pg_indexes WHERE schemaname = $1 AND tablename = $2 ORDER BY 1",
            &[&schema, &table],
        )
        .unwrap()
        .iter()
        .map(|row| row.get(0))
        .collect()
}

#[test]
fn a_new_postgres_memory_builds_its_indexes_once_its_first_import_is_in() {
    let Some(location) = pg("indexed_after") else { return };
    let mut admin = postgres_server::admin(postgres_server::DATABASE);
    let mut memory = Memory::open_or_create_location(&location).unwrap();
    // Empty: no index to keep up row by row during a first bulk import.
    assert!(indexes(&mut admin, "indexed_after", "unit").is_empty());
    assert!(indexes(&mut admin, "indexed_after", "posting").is_empty());
    memory.import(fixture_sources(), &ImportOptions::default()).unwrap();
    assert_eq!(indexes(&mut admin, "indexed_after", "unit"), ["unit_by_digest", "unit_by_doc", "unit_by_id"]);
    assert_eq!(indexes(&mut admin, "indexed_after", "posting"), ["posting_by_term"]);
    let unique: bool = admin
        .query_one(
            "SELECT indisunique FROM pg_index WHERE indexrelid = 'indexed_after.unit_by_id'::regclass",
            &[],
        )
        .unwrap()
        .get(0);
    assert!(unique, "ids are unique as the primary key kept them");
    // Posting lists are stored uncompressed.
    let storage: i8 = admin
        .query_one(
            "SELECT attstorage FROM pg_attribute
             WHERE attrelid = 'indexed_after.posting'::regclass AND attname = 'entries'",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(storage as u8, b'e');
    // The memory works as one created with its indexes: the same import
    // again finds every unit held, lookups find them.
    let before = memory.unit_count().unwrap();
    let again = memory.import(fixture_sources(), &ImportOptions::default()).unwrap();
    assert_eq!(again.already_present() as u64, before);
    assert_eq!(memory.unit_count().unwrap(), before);
    let dir = tempfile::tempdir().unwrap();
    let reference = import_fixtures(&sqlite(dir.path()));
    let options = LookupOptions { min: 60, limit: 3, lang: Some(dragoman::lang::Lang::Ar) };
    let mut queries = Vec::new();
    memory
        .for_each_unit(&mut |unit| {
            if queries.len() < 20 {
                queries.extend(unit.variant(dragoman::lang::Lang::Ar).map(|v| v.seg.plain_text()));
            }
        })
        .unwrap();
    for query in &queries {
        let found = memory.lookup(query, &options).unwrap();
        assert!(!found.is_empty(), "a stored unit finds itself: {query}");
        assert_eq!(found, reference.lookup(query, &options).unwrap());
    }
    memory.check_integrity().unwrap();
}
