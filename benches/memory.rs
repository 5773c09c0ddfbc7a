//! Translation-memory benchmark: import/export throughput, peak memory,
//! index size, and fuzzy lookup latency and agreement with brute force.
//!
//! Memories are generated at run time into a scratch directory by
//! recombining real sentence pairs (TICO-19, FLORES-200, Debian UI strings in
//! `benches/data/`): unit = the first part of one pair joined with the last
//! part of another, cut at proportional word positions on both sides, so
//! token statistics stay natural. Queries are generated the same way with
//! another seed (an editor's new sentence that shares much with the memory),
//! some edited further.
//!
//! `cargo bench --bench memory -- store` prints the import/export section,
//! `-- lookup` the lookup section (both by default). Environment:
//! `DRAGOMAN_BENCH_UNITS` (default 1,000,000; lookup also runs at a tenth of
//! it), `DRAGOMAN_BENCH_QUERIES` (default 1,000), `DRAGOMAN_BENCH_DIR`
//! (default /tmp/dragoman-bench; generated files are reused between runs).

use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use dragoman::memory::{ImportOptions, LanguagePair, LookupOptions, Memory, TmxSource, fuzzy};
use dragoman::normalize::match_key;
use dragoman::tmx::{TmxReader, TmxWriter, TranslationUnit, Variant, WriterOptions};

/// Bump when the generator changes, so cached files are regenerated.
const GENERATOR_VERSION: u32 = 1;

struct Pair {
    ar: Vec<String>,
    en: Vec<String>,
}

fn repo(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(relative)
}

fn pool() -> Vec<Pair> {
    let split = |s: &str| s.split_whitespace().map(str::to_string).collect::<Vec<_>>();
    let mut pairs = Vec::new();
    let tico = std::fs::File::open(repo("tests/fixtures/tico19/original/all.en-ar.tmx")).unwrap();
    let mut reader = TmxReader::new(tico, "tico19").unwrap();
    while let Some(unit) = reader.next_unit().unwrap() {
        let text = |lang| unit.variant(lang).map(|v| v.seg.plain_text()).unwrap_or_default();
        pairs.push(Pair {
            ar: split(&text(dragoman::lang::Lang::Ar)),
            en: split(&text(dragoman::lang::Lang::En)),
        });
    }
    let docs = repo("tests/fixtures/flores200/docs");
    let mut names: Vec<PathBuf> = std::fs::read_dir(&docs)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "ar"))
        .collect();
    names.sort();
    for ar_path in names {
        let ar = std::fs::read_to_string(&ar_path).unwrap();
        let en = std::fs::read_to_string(ar_path.with_extension("en")).unwrap();
        pairs.extend(ar.lines().zip(en.lines()).map(|(a, e)| Pair { ar: split(a), en: split(e) }));
    }
    let ui = std::fs::File::open(repo("benches/data/ui-pairs.tsv")).unwrap();
    for line in std::io::BufReader::new(ui).lines() {
        let line = line.unwrap();
        if let Some((en, ar)) = line.split_once('\t').filter(|_| !line.starts_with('#')) {
            pairs.push(Pair { ar: split(ar), en: split(en) });
        }
    }
    pairs.retain(|p| !p.ar.is_empty() && !p.en.is_empty());
    pairs
}

/// xorshift64*: deterministic, good enough to pick sentences.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// One generated sentence pair: a verbatim pool pair (1 in 8), or the head
/// of one pair joined with the tail of another.
fn generate_pair(pool: &[Pair], rng: &mut Rng) -> (String, String) {
    let a = &pool[rng.below(pool.len())];
    if rng.below(8) == 0 {
        return (a.ar.join(" "), a.en.join(" "));
    }
    let b = &pool[rng.below(pool.len())];
    let cut = 0.25 + (rng.below(50) as f64) / 100.0;
    let join = |x: &[String], y: &[String]| {
        let head = ((x.len() as f64 * cut).round() as usize).clamp(1, x.len());
        let tail = ((y.len() as f64 * cut).round() as usize).min(y.len());
        x[..head].iter().chain(&y[tail..]).cloned().collect::<Vec<_>>().join(" ")
    };
    (join(&a.ar, &b.ar), join(&a.en, &b.en))
}

fn generate_tmx(path: &Path, pool: &[Pair], units: usize) {
    let tmp = path.with_extension("partial");
    let file = std::io::BufWriter::new(std::fs::File::create(&tmp).unwrap());
    let mut writer = TmxWriter::new(file, &WriterOptions::default()).unwrap();
    let mut rng = Rng(0x5EED_0001);
    for i in 0..units {
        let (ar, en) = generate_pair(pool, &mut rng);
        let month = 1 + i % 12;
        writer
            .write_unit(&TranslationUnit {
                tuid: Some(format!("gen:{i}")),
                attributes: vec![("creationdate".into(), format!("2019{month:02}15T120000Z"))],
                props: Vec::new(),
                notes: Vec::new(),
                variants: vec![Variant::from_text("ar", &ar), Variant::from_text("en", &en)],
            })
            .unwrap();
    }
    writer.finish().unwrap().flush().unwrap();
    std::fs::rename(tmp, path).unwrap();
}

fn queries(pool: &[Pair], count: usize) -> Vec<String> {
    let mut rng = Rng(0x0C0F_FEE5);
    (0..count)
        .map(|_| {
            let (ar, _) = generate_pair(pool, &mut rng);
            let mut words: Vec<&str> = ar.split_whitespace().collect();
            // A third get a word dropped, as an editor rewrites.
            if words.len() > 4 && rng.below(3) == 0 {
                words.remove(rng.below(words.len()));
            }
            words.join(" ")
        })
        .collect()
}

/// Peak resident memory of this process (VmHWM) in MB.
fn peak_rss_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

/// Resets VmHWM so the next reading covers only what follows.
fn reset_peak_rss() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

fn mb(bytes: u64) -> f64 {
    bytes as f64 / 1e6
}

struct Built {
    memory_path: PathBuf,
    tmx_bytes: u64,
    import_secs: Option<f64>,
    peak_mb: Option<f64>,
}

/// The memory of the first `units` generated units, imported (or reused).
fn build(dir: &Path, pool: &[Pair], units: usize) -> Built {
    let tmx = dir.join(format!("gen-v{GENERATOR_VERSION}-{units}.tmx"));
    if !tmx.exists() {
        eprintln!("generating {units} units into {}", tmx.display());
        generate_tmx(&tmx, pool, units);
    }
    let tmx_bytes = std::fs::metadata(&tmx).unwrap().len();
    let memory_path = dir.join(format!("gen-v{GENERATOR_VERSION}-{units}.sqlite"));
    let done = dir.join(format!("gen-v{GENERATOR_VERSION}-{units}.imported"));
    if memory_path.exists() && done.exists() {
        return Built { memory_path, tmx_bytes, import_secs: None, peak_mb: None };
    }
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", memory_path.display()));
    }
    eprintln!("importing {}", tmx.display());
    reset_peak_rss();
    let start = Instant::now();
    let mut memory = Memory::open_or_create(&memory_path).unwrap();
    let input = std::fs::File::open(&tmx).unwrap();
    memory
        .import(
            vec![TmxSource { name: tmx.display().to_string(), input: Box::new(input) }],
            &ImportOptions::default(),
        )
        .unwrap();
    drop(memory); // includes the checkpoint into the memory file
    let import_secs = start.elapsed().as_secs_f64();
    let peak = peak_rss_mb();
    std::fs::write(&done, "").unwrap();
    Built { memory_path, tmx_bytes, import_secs: Some(import_secs), peak_mb: Some(peak) }
}

fn store_section(dir: &Path, pool: &[Pair], units: usize) {
    // Raw reader throughput, for comparison.
    let tmx = dir.join(format!("gen-v{GENERATOR_VERSION}-{units}.tmx"));
    let built = build(dir, pool, units);
    let start = Instant::now();
    let mut reader = TmxReader::new(std::fs::File::open(&tmx).unwrap(), "gen").unwrap();
    let mut read = 0usize;
    let mut key_secs = 0.0;
    while let Some(unit) = reader.next_unit().unwrap() {
        read += 1;
        if read % 10 == 0 {
            // Sample the cost of computing match keys and tokens.
            let t = Instant::now();
            for v in &unit.variants {
                std::hint::black_box(fuzzy::token_texts(&match_key(&v.seg.plain_text())).len());
            }
            key_secs += t.elapsed().as_secs_f64() * 10.0;
        }
    }
    let parse_secs = start.elapsed().as_secs_f64() - key_secs / 10.0;

    let memory = Memory::open(&built.memory_path).unwrap();
    let stats = memory.stats().unwrap();
    let out = dir.join("export.tmx");
    reset_peak_rss();
    let start = Instant::now();
    {
        let mut file = std::io::BufWriter::new(std::fs::File::create(&out).unwrap());
        memory.export(&mut file, &LanguagePair::default()).unwrap();
        file.flush().unwrap();
    }
    let export_secs = start.elapsed().as_secs_f64();
    let export_peak = peak_rss_mb();
    let export_bytes = std::fs::metadata(&out).unwrap().len();
    let _ = std::fs::remove_file(&out);

    let size = mb(built.tmx_bytes);
    println!("## Translation memory: import and export\n");
    println!(
        "`cargo bench --bench memory -- store`: a generated Arabic–English TMX of {units} units ({size:.0} MB, real sentences recombined), release build.\n"
    );
    println!("| step | time | throughput | peak RSS |");
    println!("|---|---|---|---|");
    println!("| TMX reader alone (parse, no store) | {parse_secs:.1} s | {:.0} MB/s | |", size / parse_secs);
    println!(
        "| match keys + tokens alone (normalize both sides) | {:.1} s | {:.0} MB/s | |",
        key_secs,
        size / key_secs
    );
    match (built.import_secs, built.peak_mb) {
        (Some(secs), Some(peak)) => println!(
            "| `tm import` end to end: parse, store, keys, word index, commit, checkpoint | {secs:.1} s | {:.1} MB/s | {peak:.0} MB |",
            size / secs
        ),
        _ => println!(
            "| `tm import` | (reused an earlier import; delete {} to re-measure) | | |",
            dir.display()
        ),
    }
    println!(
        "| `tm export` | {export_secs:.1} s | {:.0} MB/s ({:.0} MB written) | {export_peak:.0} MB |",
        mb(export_bytes) / export_secs,
        mb(export_bytes)
    );
    println!();
    println!(
        "Memory file: {:.0} MB for {} units, of which the word index (postings) {:.0} MB ({:.0} % of the TMX size).",
        mb(stats.size_bytes),
        stats.units,
        mb(stats.index_bytes),
        100.0 * stats.index_bytes as f64 / built.tmx_bytes as f64
    );
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

/// Best score by brute force, on units held in memory as token-id sequences
/// (one global vocabulary), with the same scorer as lookup.
struct BruteForce {
    units: Vec<Vec<u32>>,
    vocabulary: std::collections::HashMap<String, u32>,
}

impl BruteForce {
    fn load(memory_path: &Path) -> BruteForce {
        let conn = rusqlite::Connection::open(memory_path).unwrap();
        let mut statement = conn.prepare("SELECT ar_key FROM unit WHERE ar_key IS NOT NULL").unwrap();
        let mut rows = statement.query([]).unwrap();
        let mut vocabulary = std::collections::HashMap::new();
        let mut units = Vec::new();
        while let Some(row) = rows.next().unwrap() {
            let key: String = row.get(0).unwrap();
            units.push(
                fuzzy::token_texts(&key)
                    .into_iter()
                    .map(|t| {
                        let next = vocabulary.len() as u32;
                        *vocabulary.entry(t.to_string()).or_insert(next)
                    })
                    .collect(),
            );
        }
        BruteForce { units, vocabulary }
    }

    fn best(&self, query: &str, min: u8) -> Option<u8> {
        let key = match_key(query);
        let ids: Vec<u32> = fuzzy::token_texts(&key)
            .iter()
            .map(|t| self.vocabulary.get(*t).copied().unwrap_or(u32::MAX))
            .collect();
        let (shortest, longest) = fuzzy::length_window(ids.len(), min);
        let mut best = None;
        for unit in &self.units {
            // The window only skips units that cannot reach `min`.
            if unit.len() < shortest || unit.len() > longest {
                continue;
            }
            let longest_len = ids.len().max(unit.len());
            let distance =
                rapidfuzz::distance::levenshtein::distance(ids.iter().copied(), unit.iter().copied());
            let score = (100 * (longest_len - distance) / longest_len) as u8;
            if score >= min && best.is_none_or(|b| score > b) {
                best = Some(score);
            }
        }
        best
    }
}

fn lookup_section(dir: &Path, pool: &[Pair], units: usize, query_count: usize) {
    let queries = queries(pool, query_count);
    let brute_count: usize =
        std::env::var("DRAGOMAN_BENCH_BRUTE").ok().and_then(|v| v.parse().ok()).unwrap_or(query_count);
    println!("## Fuzzy lookup\n");
    println!(
        "`cargo bench --bench memory -- lookup`: {query_count} generated Arabic queries (recombined real sentences, a third with a word dropped) in one warm process, `--min 70 --limit 5`, release build, 2-core machine shared with other jobs.\n"
    );
    println!(
        "| units | p50 | p90 | p99 | max | queries with a match ≥ 70 | best score = brute force (of {brute_count}) | index | RSS after |"
    );
    println!("|---|---|---|---|---|---|---|---|---|");
    let mut medians = Vec::new();
    for size in [units / 10, units] {
        let built = build(dir, pool, size);
        let memory = Memory::open(&built.memory_path).unwrap();
        let stats = memory.stats().unwrap();
        let options = LookupOptions { min: 70, limit: 5, lang: None };
        // Warm the page cache as a long-running process would be.
        for query in queries.iter().take(50) {
            memory.lookup(query, &options).unwrap();
        }
        let mut latencies = Vec::with_capacity(queries.len());
        let mut best_found = Vec::with_capacity(queries.len());
        for query in &queries {
            let start = Instant::now();
            let found = memory.lookup(query, &options).unwrap();
            latencies.push(start.elapsed().as_secs_f64() * 1000.0);
            // Lookup reports 100 only for an exact match of the original and
            // caps the rest at 99; brute force sees word scores, so both are
            // compared with that cap.
            best_found.push(found.first().map(|m| m.score.min(99)));
        }
        let brute = BruteForce::load(&built.memory_path);
        let agree = queries
            .iter()
            .zip(&best_found)
            .take(brute_count)
            .filter(|(query, found)| brute.best(query, 70).map(|s| s.min(99)) == **found)
            .count();
        let matched = best_found.iter().filter(|b| b.is_some()).count();
        let mut sorted = latencies.clone();
        sorted.sort_by(f64::total_cmp);
        medians.push(percentile(&sorted, 0.5));
        println!(
            "| {} | {:.2} ms | {:.2} ms | {:.2} ms | {:.1} ms | {matched} | {agree} ({:.1} %) | {:.0} MB | {:.0} MB |",
            stats.units,
            percentile(&sorted, 0.5),
            percentile(&sorted, 0.9),
            percentile(&sorted, 0.99),
            sorted[sorted.len() - 1],
            100.0 * agree as f64 / brute_count.min(queries.len()) as f64,
            mb(stats.index_bytes),
            peak_rss_mb(),
        );
    }
    println!();
    println!(
        "From {} to {} units (×10) the median grows ×{:.1}: candidates come from the postings of each query's rarest words, so cost follows how many units share those words, not the memory size.",
        units / 10,
        units,
        medians[1] / medians[0]
    );
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with('-')).collect();
    let part = args.first().map(String::as_str).unwrap_or("all");
    let units: usize =
        std::env::var("DRAGOMAN_BENCH_UNITS").ok().and_then(|v| v.parse().ok()).unwrap_or(1_000_000);
    let query_count: usize =
        std::env::var("DRAGOMAN_BENCH_QUERIES").ok().and_then(|v| v.parse().ok()).unwrap_or(1_000);
    let dir =
        PathBuf::from(std::env::var("DRAGOMAN_BENCH_DIR").unwrap_or_else(|_| "/tmp/dragoman-bench".into()));
    std::fs::create_dir_all(&dir).unwrap();
    let pool = pool();
    if part == "all" || part == "store" {
        store_section(&dir, &pool, units);
        println!();
    }
    if part == "all" || part == "lookup" {
        lookup_section(&dir, &pool, units, query_count);
    }
}
