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
//! `-- lookup` the lookup section, `-- bounds` the former worst cases of
//! issue #20 (all three by default). Environment:
//! `DRAGOMAN_BENCH_UNITS` (default 1,000,000; lookup also runs at a tenth of
//! it), `DRAGOMAN_BENCH_QUERIES` (default 1,000), `DRAGOMAN_BENCH_DIR`
//! (default /tmp/dragoman-bench; generated files are reused between runs).

use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use dragoman::memory::{ImportOptions, LanguagePair, LookupOptions, Memory, TmxSource, fuzzy};
use dragoman::normalize::match_key;
use dragoman::tmx::{TmxReader, TmxWriter, TranslationUnit, Variant, WriterOptions};

#[path = "common/rng.rs"]
mod rng;
use rng::Rng;

#[path = "common/allocator.rs"]
mod allocator;

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

/// Half the queries are units of the memory's first tenth (so in both
/// memories) edited as an editor would (a word dropped, replaced or none),
/// half are new recombinations that share only parts with the memory.
fn queries(pool: &[Pair], count: usize, smallest_memory: usize) -> Vec<String> {
    let mut in_memory = Vec::new();
    let mut rng = Rng(0x5EED_0001);
    let stride = (smallest_memory / count.max(1)).max(1);
    for i in 0..smallest_memory {
        let (ar, _) = generate_pair(pool, &mut rng);
        if i % stride == 0 && in_memory.len() < count / 2 {
            in_memory.push(ar);
        }
    }
    let mut rng = Rng(0x0C0F_FEE5);
    let mut queries = Vec::with_capacity(count);
    for i in 0..count {
        let text = match in_memory.get(i / 2).filter(|_| i % 2 == 0) {
            Some(text) => text.clone(),
            None => generate_pair(pool, &mut rng).0,
        };
        let mut words: Vec<&str> = text.split_whitespace().collect();
        match rng.below(3) {
            0 if words.len() > 3 => {
                words.remove(rng.below(words.len()));
            }
            1 if words.len() > 3 => {
                let other = &pool[rng.below(pool.len())].ar;
                let at = rng.below(words.len());
                words[at] = &other[0];
            }
            _ => {}
        }
        queries.push(words.join(" "));
    }
    queries
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

/// CPU time of this process's main thread so far, in seconds (fine
/// resolution; single-threaded steps and lookups): on a
/// machine shared with other jobs wall time overstates the cost.
fn cpu_secs() -> f64 {
    std::fs::read_to_string("/proc/self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse::<f64>().ok())
        .map_or(f64::NAN, |ns| ns / 1e9)
}

/// CPU time of the whole process (all threads, user + system) so far, in
/// seconds; clock-tick resolution, fine for imports lasting seconds.
fn process_cpu_secs() -> f64 {
    stat_cpu_secs("self", false)
}

/// CPU seconds (user + system) of process `pid` from /proc/PID/stat, with
/// `children` also those of its children it has waited for.
fn stat_cpu_secs(pid: &str, children: bool) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // Fields after the command name (which may hold spaces) start at `state`.
    let fields: Vec<&str> =
        stat.rsplit_once(')').map_or(vec![], |(_, rest)| rest.split_whitespace().collect());
    let ticks = |i: usize| fields.get(i).and_then(|f| f.parse::<f64>().ok()).unwrap_or(f64::NAN);
    // utime and stime are fields 14 and 15 of stat(5), cutime and cstime
    // 16 and 17; `state` is field 3.
    let own = ticks(11) + ticks(12);
    if children { (own + ticks(13) + ticks(14)) / 100.0 } else { own / 100.0 }
}

/// The parent pid of process `pid`.
fn parent_pid(pid: &str) -> Option<String> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    stat.rsplit_once(')')?.1.split_whitespace().nth(1).map(str::to_string)
}

/// CPU seconds the whole PostgreSQL server has used so far (the postmaster,
/// every live child, and the children it has reaped): what the server's
/// side of an import costs, next to the client's [`process_cpu_secs`].
/// `None` when the server's processes cannot be read (a remote server).
fn server_cpu_secs(postmaster: Option<&str>) -> Option<f64> {
    let postmaster = postmaster?;
    let mut total = stat_cpu_secs(postmaster, true);
    if total.is_nan() {
        return None;
    }
    for entry in std::fs::read_dir("/proc").ok()?.flatten() {
        let pid = entry.file_name().to_string_lossy().into_owned();
        if pid.bytes().all(|b| b.is_ascii_digit()) && parent_pid(&pid).as_deref() == Some(postmaster) {
            let child = stat_cpu_secs(&pid, false);
            if !child.is_nan() {
                total += child;
            }
        }
    }
    Some(total)
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
    /// Wall and CPU seconds, when this run imported it.
    import_secs: Option<(f64, f64)>,
    peak_mb: Option<f64>,
}

/// Imports `tmx` into a new memory at `memory_path`: (wall, CPU) seconds.
fn timed_import(tmx: &Path, memory_path: &Path, no_index: bool) -> (f64, f64) {
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", memory_path.display()));
    }
    let (start, cpu) = (Instant::now(), process_cpu_secs());
    let mut memory = Memory::open_or_create(memory_path).unwrap();
    let input = std::fs::File::open(tmx).unwrap();
    let options = ImportOptions { no_index, ..ImportOptions::default() };
    memory
        .import(vec![TmxSource { name: tmx.display().to_string(), input: Box::new(input) }], &options)
        .unwrap();
    drop(memory); // includes the checkpoint into the memory file
    (start.elapsed().as_secs_f64(), process_cpu_secs() - cpu)
}

/// The generated TMX of `units` units (written on first use, then reused).
fn generated_tmx(dir: &Path, pool: &[Pair], units: usize) -> PathBuf {
    let tmx = dir.join(format!("gen-v{GENERATOR_VERSION}-{units}.tmx"));
    if !tmx.exists() {
        eprintln!("generating {units} units into {}", tmx.display());
        generate_tmx(&tmx, pool, units);
    }
    tmx
}

/// The memory of the first `units` generated units, imported (or reused).
fn build(dir: &Path, pool: &[Pair], units: usize) -> Built {
    let tmx = generated_tmx(dir, pool, units);
    let tmx_bytes = std::fs::metadata(&tmx).unwrap().len();
    let memory_path = dir.join(format!("gen-v{GENERATOR_VERSION}-{units}.sqlite"));
    let done = dir.join(format!("gen-v{GENERATOR_VERSION}-{units}.imported"));
    if memory_path.exists() && done.exists() {
        return Built { memory_path, tmx_bytes, import_secs: None, peak_mb: None };
    }
    eprintln!("importing {}", tmx.display());
    reset_peak_rss();
    let import_secs = timed_import(&tmx, &memory_path, false);
    let peak = peak_rss_mb();
    std::fs::write(&done, "").unwrap();
    Built { memory_path, tmx_bytes, import_secs: Some(import_secs), peak_mb: Some(peak) }
}

fn store_section(dir: &Path, pool: &[Pair], units: usize) {
    let tmx = generated_tmx(dir, pool, units);
    // The store-only import is the figure with a target: repeated, since one
    // run on this shared machine can be a fifth slower than the next.
    let repeat: usize =
        std::env::var("DRAGOMAN_BENCH_REPEAT").ok().and_then(|v| v.parse().ok()).unwrap_or(5).max(1);
    let store_only_path = dir.join("store-only.sqlite");
    let mut store_only_runs = Vec::new();
    let mut store_only_peak = 0f64;
    for run in 0..repeat {
        eprintln!("importing without the index ({}/{repeat})", run + 1);
        // Lets the write-back and block freeing of the previous import (this
        // run's, or the word-index build's) settle first.
        std::thread::sleep(std::time::Duration::from_secs(3));
        reset_peak_rss();
        store_only_runs.push(timed_import(&tmx, &store_only_path, true));
        store_only_peak = store_only_peak.max(peak_rss_mb());
    }
    store_only_runs.sort_by(|a, b| a.0.total_cmp(&b.0));
    let store_only = store_only_runs[store_only_runs.len() / 2];
    // After the store-only runs: its heavy writes slowed the runs after it.
    let built = build(dir, pool, units);
    let (reindex_wall, reindex_cpu) = {
        let (start, cpu) = (Instant::now(), cpu_secs());
        Memory::open(&store_only_path).unwrap().reindex().unwrap();
        (start.elapsed().as_secs_f64(), cpu_secs() - cpu)
    };
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", store_only_path.display()));
    }

    let (start, cpu) = (Instant::now(), cpu_secs());
    let mut reader = TmxReader::new(std::fs::File::open(&tmx).unwrap(), "gen").unwrap();
    let mut read = 0usize;
    let mut sample: Vec<String> = Vec::new();
    while let Some(unit) = reader.next_unit().unwrap() {
        read += 1;
        if sample.len() < 40_000 {
            sample.extend(unit.variants.iter().map(|v| v.seg.plain_text()));
        }
    }
    let parse_secs = start.elapsed().as_secs_f64();
    let parse_cpu = cpu_secs() - cpu;
    // Match keys and tokens of a sample of segments, scaled to the file.
    let cpu = cpu_secs();
    for text in &sample {
        std::hint::black_box(fuzzy::token_texts(&match_key(text)).len());
    }
    let key_secs = (cpu_secs() - cpu) * (2 * read) as f64 / sample.len().max(1) as f64;

    let memory = Memory::open(&built.memory_path).unwrap();
    let stats = memory.stats().unwrap();
    let out = dir.join("export.tmx");
    reset_peak_rss();
    let (start, cpu) = (Instant::now(), cpu_secs());
    {
        let mut file = std::io::BufWriter::new(std::fs::File::create(&out).unwrap());
        memory.export(&mut file, &LanguagePair::default()).unwrap();
        file.flush().unwrap();
    }
    let export_secs = start.elapsed().as_secs_f64();
    let export_cpu = cpu_secs() - cpu;
    let export_peak = peak_rss_mb();
    let export_bytes = std::fs::metadata(&out).unwrap().len();
    let _ = std::fs::remove_file(&out);

    let size = mb(built.tmx_bytes);
    println!("## Translation memory: import and export\n");
    println!(
        "`cargo bench --bench memory -- store`: a generated Arabic–English TMX of {units} units ({size:.0} MB, real sentences recombined), release build.\n"
    );
    println!(
        "Wall time is what a user waits on this shared 2-core machine (other jobs were running); CPU time is the process's total over all its threads (an import parses, prepares and stores units on three threads, so on an idle multi-core machine its wall time can be below its CPU time). The store-only import runs first, {repeat} times, each after a 3-second pause; an import run right after gigabytes of earlier writes is slower on this virtual machine (its disk is still writing them back), which is why the word-index import comes after it and why its figure varies more.\n"
    );
    println!("| step | wall | CPU | MB/s (wall) | MB/s (CPU) | peak RSS |");
    println!("|---|---|---|---|---|---|");
    let row = |step: &str, wall: f64, cpu: f64, bytes: f64, peak: String| {
        let wall_cells = if wall.is_nan() {
            "– | ".to_string()
        } else {
            format!("{wall:.1} s | {cpu:.1} s | {:.1}", bytes / wall)
        };
        let wall_cells = if wall.is_nan() { format!("– | {cpu:.1} s | –") } else { wall_cells };
        println!("| {step} | {wall_cells} | {:.1} | {peak} |", bytes / cpu);
    };
    row("TMX reader alone (tmx module: parse to units)", parse_secs, parse_cpu, size, String::new());
    row("match keys + tokens alone (normalize both sides; sampled)", f64::NAN, key_secs, size, String::new());
    row(
        &format!(
            "`tm import --no-index` (store-only: parse, store with match keys, commit, checkpoint), median of {repeat} runs"
        ),
        store_only.0,
        store_only.1,
        size,
        format!("{store_only_peak:.0} MB"),
    );
    row("`tm reindex` after it (word index alone)", reindex_wall, reindex_cpu, size, String::new());
    match (built.import_secs, built.peak_mb) {
        (Some((wall, cpu)), Some(peak)) => {
            row("`tm import` with the word index, end to end", wall, cpu, size, format!("{peak:.0} MB"))
        }
        _ => println!(
            "| `tm import` | (reused an earlier import; delete {} to re-measure) | | | | |",
            dir.display()
        ),
    }
    row("`tm export`", export_secs, export_cpu, mb(export_bytes), format!("{export_peak:.0} MB"));
    println!();
    let walls: Vec<String> = store_only_runs.iter().map(|(wall, _)| format!("{wall:.2}")).collect();
    println!(
        "Store-only import, every run (wall seconds, fastest first): {}; fastest {:.1} MB/s, median {:.1} MB/s, slowest {:.1} MB/s.\n",
        walls.join(", "),
        size / store_only_runs[0].0,
        size / store_only.0,
        size / store_only_runs[store_only_runs.len() - 1].0
    );
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
        let memory = Memory::open(memory_path).unwrap();
        let mut vocabulary = std::collections::HashMap::new();
        let mut units = Vec::new();
        memory
            .for_each_unit(&mut |unit| {
                // A generated unit has one Arabic variant: its match key is
                // the one the memory stored and lookup scores.
                let Some(ar) = unit.variant(dragoman::lang::Lang::Ar) else { return };
                let key = match_key(&ar.seg.plain_text());
                units.push(
                    fuzzy::token_texts(&key)
                        .into_iter()
                        .map(|t| {
                            let next = vocabulary.len() as u32;
                            *vocabulary.entry(t.to_string()).or_insert(next)
                        })
                        .collect(),
                );
            })
            .unwrap();
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
    let queries = queries(pool, query_count, units / 10);
    let brute_count: usize =
        std::env::var("DRAGOMAN_BENCH_BRUTE").ok().and_then(|v| v.parse().ok()).unwrap_or(query_count);
    println!("## Fuzzy lookup\n");
    println!(
        "`cargo bench --bench memory -- lookup`: {query_count} generated Arabic queries (half are edited units of the memory, half new recombinations; a third get a word dropped, a third a word replaced) in one warm process, `--min 70 --limit 5`, release build, 2-core machine shared with other jobs.\n"
    );
    println!(
        "| units | p50 | p90 | p99 | max | CPU p99 | queries with a match ≥ 70 | best score = brute force (of {brute_count}) | index | RSS after |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|");
    let mut medians = Vec::new();
    for size in [units / 10, units] {
        let built = build(dir, pool, size);
        let memory = Memory::open(&built.memory_path).unwrap();
        let stats = memory.stats().unwrap();
        let options = LookupOptions { min: 70, limit: 5, lang: Some(dragoman::lang::Lang::Ar) };
        // Warm the page cache as a long-running process would be.
        for query in queries.iter().take(50) {
            memory.lookup(query, &options).unwrap();
        }
        let mut latencies = Vec::with_capacity(queries.len());
        let mut cpu_latencies = Vec::with_capacity(queries.len());
        let mut best_found = Vec::with_capacity(queries.len());
        for query in &queries {
            let (start, cpu) = (Instant::now(), cpu_secs());
            let found = memory.lookup(query, &options).unwrap();
            latencies.push(start.elapsed().as_secs_f64() * 1000.0);
            cpu_latencies.push((cpu_secs() - cpu) * 1000.0);
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
        cpu_latencies.sort_by(f64::total_cmp);
        medians.push(percentile(&sorted, 0.5));
        println!(
            "| {} | {:.2} ms | {:.2} ms | {:.2} ms | {:.1} ms | {:.2} ms | {matched} | {agree} ({:.1} %) | {:.0} MB | {:.0} MB |",
            stats.units,
            percentile(&sorted, 0.5),
            percentile(&sorted, 0.9),
            percentile(&sorted, 0.99),
            sorted[sorted.len() - 1],
            percentile(&cpu_latencies, 0.99),
            100.0 * agree as f64 / brute_count.min(queries.len()) as f64,
            mb(stats.index_bytes),
            peak_rss_mb(),
        );
    }
    println!();
    println!(
        "From {} to {} units (×10) the median wall latency grows ×{:.1}. Latency is wall time on a machine shared with other jobs (a query preempted mid-way shows up in p99); CPU p99 is the lookup's own cost (per-query CPU time has scheduler-tick resolution, too coarse for the median). Candidates come from the postings of each query's rarest words within the length window `--min` allows, and are all rescored exactly, so agreement with brute force is by construction (lookup caps scores at 99 unless the original text is identical; both sides are compared with that cap).",
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
    if part == "import" {
        import_only(&dir, &pool, units);
    }
    if part == "postgres" {
        postgres_section(&dir, &pool);
    }
    if part == "all" || part == "bounds" {
        bounds_section(&dir);
    }
}

/// `-- bounds`: the former worst cases of issue #20 that the memory
/// handles, each with wall time and peak RSS: huge units (import batches
/// bounded in bytes), millions of bad units under `--skip-bad` (only the
/// first errors kept), re-adding a large document (linear), and a query of a
/// whole megabyte (refused at once). Sizes: `DRAGOMAN_BENCH_BAD_UNITS`
/// (default 2,000,000), `DRAGOMAN_BENCH_HUGE_MB` (default 27).
fn bounds_section(dir: &Path) {
    let env =
        |name: &str, default: usize| std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default);
    let bad_units = env("DRAGOMAN_BENCH_BAD_UNITS", 2_000_000);
    let huge_mb = env("DRAGOMAN_BENCH_HUGE_MB", 27);
    println!("| input (generated) | what | wall | peak RSS |");
    println!("|---|---|---|---|");
    let row = |input: String, what: String, secs: f64| {
        println!("| {input} | {what} | {secs:.2} s | {:.0} MB |", peak_rss_mb());
    };
    let header = "<tmx version=\"1.4\"><header srclang=\"ar\"/><body>\n";

    // 20 units of `huge_mb` MB each.
    let huge = dir.join(format!("huge-{huge_mb}.tmx"));
    if !huge.exists() {
        let mut out = std::io::BufWriter::new(std::fs::File::create(&huge).unwrap());
        out.write_all(header.as_bytes()).unwrap();
        let words = "قتل ثلاثة مدنيين في الرقة ".repeat(huge_mb * 1_000_000 / 2 / 46);
        let english = "three civilians were killed in Raqqa ".repeat(huge_mb * 1_000_000 / 2 / 37);
        for i in 0..20 {
            writeln!(out, "<tu tuid=\"huge:{i}\"><tuv xml:lang=\"ar\"><seg>{i} {words}</seg></tuv><tuv xml:lang=\"en\"><seg>{i} {english}</seg></tuv></tu>").unwrap();
        }
        out.write_all(b"</body></tmx>\n").unwrap();
    }
    let memory_path = dir.join("bounds.sqlite");
    remove_memory(&memory_path);
    reset_peak_rss();
    let start = Instant::now();
    let sources = vec![TmxSource {
        name: huge.display().to_string(),
        input: Box::new(std::io::BufReader::new(std::fs::File::open(&huge).unwrap())),
    }];
    let outcome = dragoman::memory::import_into(&memory_path, sources, &ImportOptions::default()).unwrap();
    assert_eq!(outcome.units, 20);
    row(format!("TMX of 20 units of {huge_mb} MB each"), "`tm import`".into(), start.elapsed().as_secs_f64());
    remove_memory(&memory_path);

    // Bad units, skipped.
    let bad = dir.join(format!("bad-{bad_units}.tmx"));
    if !bad.exists() {
        let mut out = std::io::BufWriter::new(std::fs::File::create(&bad).unwrap());
        out.write_all(header.as_bytes()).unwrap();
        for i in 0..bad_units {
            writeln!(out, "<tu tuid=\"bad:{i}\"><tuv xml:lang=\"ar\"><seg>قال</seg></tuv><tuv xml:lang=\"en\"><note>no segment</note></tuv></tu>").unwrap();
        }
        out.write_all(b"</body></tmx>\n").unwrap();
    }
    reset_peak_rss();
    let start = Instant::now();
    let sources = vec![TmxSource {
        name: bad.display().to_string(),
        input: Box::new(std::io::BufReader::new(std::fs::File::open(&bad).unwrap())),
    }];
    let options = ImportOptions { skip_bad: true, ..ImportOptions::default() };
    let outcome = dragoman::memory::import_into(&memory_path, sources, &options).unwrap();
    assert_eq!(outcome.report.files[0].skipped_total, bad_units);
    row(
        format!("TMX of {bad_units} bad units"),
        "`tm import --skip-bad`".into(),
        start.elapsed().as_secs_f64(),
    );
    remove_memory(&memory_path);

    // Re-adding a document of 20k units.
    let units: Vec<TranslationUnit> = (0..20_000)
        .map(|i| TranslationUnit {
            tuid: Some(format!("long:{}", i + 1)),
            attributes: vec![("creationdate".into(), "20170601T120000Z".into())],
            props: Vec::new(),
            notes: Vec::new(),
            variants: vec![
                Variant::from_text("ar", &format!("قال المرصد إن {i} مدنيين قتلوا في الرقة.")),
                Variant::from_text(
                    "en",
                    &format!("The observatory said {i} civilians were killed in Raqqa."),
                ),
            ],
        })
        .collect();
    let mut memory = Memory::open_or_create(&memory_path).unwrap();
    memory.replace_document("long", &units).unwrap();
    reset_peak_rss();
    let start = Instant::now();
    let again = memory.replace_document("long", &units).unwrap();
    assert_eq!(again.unchanged, 20_000);
    row(
        "a document of 20,000 units".into(),
        "`tm add` again (replace)".into(),
        start.elapsed().as_secs_f64(),
    );

    // A 1 MB query.
    let query = "قتل ثلاثة مدنيين في الرقة ".repeat(1_000_000 / 46);
    reset_peak_rss();
    let start = Instant::now();
    let refused = memory.lookup(&query, &LookupOptions { min: 1, ..LookupOptions::default() });
    assert!(refused.is_err());
    row("a 1 MB query".into(), "`tm lookup --min 1` (refused)".into(), start.elapsed().as_secs_f64());
    drop(memory);
    remove_memory(&memory_path);
}

fn remove_memory(path: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
}

/// `-- import`: only the two imports into scratch memories, for profiling
/// (`perf record`) and quick before/after comparisons.
fn import_only(dir: &Path, pool: &[Pair], units: usize) {
    let tmx = generated_tmx(dir, pool, units);
    let size = mb(std::fs::metadata(&tmx).unwrap().len());
    let scratch = dir.join("import-only.sqlite");
    let modes: &[(&str, bool)] = match std::env::var("DRAGOMAN_BENCH_INDEX").as_deref() {
        Ok("0") => &[("store-only", true)],
        Ok("1") => &[("with index", false)],
        _ => &[("store-only", true), ("with index", false)],
    };
    for &(label, no_index) in modes {
        reset_peak_rss();
        let (wall, cpu) = timed_import(&tmx, &scratch, no_index);
        println!(
            "{label}: {units} units, {size:.0} MB: wall {wall:.2} s ({:.1} MB/s), CPU {cpu:.2} s ({:.1} MB/s), peak RSS {:.0} MB, memory {:.0} MB",
            size / wall,
            size / cpu,
            peak_rss_mb(),
            mb(std::fs::metadata(&scratch).map_or(0, |m| m.len()))
        );
    }
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", scratch.display()));
    }
}

// PostgreSQL beside SQLite (`-- postgres`): the same generated TMX imported
// into both, the same queries looked up in both. The server is the one of
// `DRAGOMAN_BENCH_PG_URL` (a `postgres://` URL; the bench uses schema
// `dragoman_bench` and replaces it), or else a private one started as the
// tests start theirs (local, fsync off). `DRAGOMAN_BENCH_PG_UNITS` (default
// 120,000) and `DRAGOMAN_BENCH_PG_QUERIES` (default 300) size it.

#[path = "../tests/postgres_server/mod.rs"]
mod postgres_server;

fn postgres_section(dir: &Path, pool: &[Pair]) {
    use dragoman::memory::MemoryLocation;
    let env_usize = |name: &str, default: usize| -> usize {
        std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
    };
    let units = env_usize("DRAGOMAN_BENCH_PG_UNITS", 120_000);
    let query_count = env_usize("DRAGOMAN_BENCH_PG_QUERIES", 300);
    let url = match std::env::var("DRAGOMAN_BENCH_PG_URL") {
        // The URL as given (with its password, if any), in the bench's schema.
        Ok(url) if url.contains('?') => format!("{url}&schema=dragoman_bench"),
        Ok(url) => format!("{url}?schema=dragoman_bench"),
        Err(_) => postgres_server::url("dragoman_bench").expect("no PostgreSQL server binaries"),
    };
    let tmx = generated_tmx(dir, pool, units);
    let size = mb(std::fs::metadata(&tmx).unwrap().len());
    let queries = queries(pool, query_count, units);
    let sqlite_path = dir.join("pg-side-by-side.sqlite");
    let mut backends = vec![
        ("SQLite", MemoryLocation::Path(sqlite_path.clone())),
        ("PostgreSQL", MemoryLocation::parse(&url).unwrap()),
    ];
    // `DRAGOMAN_BENCH_PG_ONLY=1`: PostgreSQL alone (1M units, profiling).
    if std::env::var("DRAGOMAN_BENCH_PG_ONLY").is_ok_and(|v| v == "1") {
        backends.remove(0);
    }
    let postmaster = postmaster_pid(&url);
    println!("## Shared memory: SQLite and PostgreSQL side by side\n");
    println!(
        "`cargo bench --bench memory -- postgres`: {units} generated units ({size:.0} MB of TMX) imported into each backend (PostgreSQL: a local server, `COPY … (FORMAT binary)` over a TCP connection to 127.0.0.1), then {query_count} generated Arabic queries in one warm process, `--min 70 --limit 5`, release build, 2-core machine shared with other jobs (client and server share it).\n"
    );
    println!(
        "| backend | import, store only (`--no-index`) | CPU client + server | import with the word index | CPU client + server | lookup mean | p50 | p99 | max | same results as SQLite |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|");
    let options = LookupOptions { min: 70, limit: 5, lang: Some(dragoman::lang::Lang::Ar) };
    let mut reference: Vec<Vec<dragoman::memory::FuzzyMatch>> = Vec::new();
    for (name, location) in &backends {
        // Store-only first (`--no-index`: the `COPY` path alone), then the
        // import with the word index that the lookups use.
        let mut walls = Vec::new();
        let mut cpus = Vec::new();
        let mut memory = None;
        for no_index in [true, false] {
            match location {
                MemoryLocation::Path(path) => {
                    for suffix in ["", "-wal", "-shm"] {
                        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
                    }
                }
                MemoryLocation::Postgres(_) => postgres_drop_schema(&url),
            }
            drop(memory.take());
            let is_pg = matches!(location, MemoryLocation::Postgres(_));
            let server_cpu = || if is_pg { server_cpu_secs(postmaster.as_deref()) } else { Some(0.0) };
            let (client_before, server_before) = (process_cpu_secs(), server_cpu());
            let start = Instant::now();
            let mut opened = Memory::open_or_create_location(location).unwrap();
            let input = std::fs::File::open(&tmx).unwrap();
            let import = ImportOptions { no_index, ..ImportOptions::default() };
            opened
                .import(vec![TmxSource { name: tmx.display().to_string(), input: Box::new(input) }], &import)
                .unwrap();
            walls.push(start.elapsed().as_secs_f64());
            let server = server_cpu().zip(server_before).map(|(after, before)| after - before);
            cpus.push((process_cpu_secs() - client_before, server));
            memory = Some(opened);
        }
        let memory = memory.unwrap();
        for query in queries.iter().take(30) {
            memory.lookup(query, &options).unwrap();
        }
        let mut latencies = Vec::with_capacity(queries.len());
        let mut results = Vec::with_capacity(queries.len());
        for query in &queries {
            let start = Instant::now();
            let found = memory.lookup(query, &options).unwrap();
            latencies.push(start.elapsed().as_secs_f64() * 1000.0);
            results.push(found);
        }
        let same = if *name == "SQLite" {
            reference = results;
            "(reference)".to_string()
        } else if reference.is_empty() {
            "(not compared)".to_string()
        } else {
            let equal = reference.iter().zip(&results).filter(|(a, b)| a == b).count();
            format!("{equal} of {}", queries.len())
        };
        let mean = latencies.iter().sum::<f64>() / latencies.len() as f64;
        latencies.sort_by(f64::total_cmp);
        let cpu = |(client, server): (f64, Option<f64>)| match server {
            Some(server) if *name != "SQLite" => format!("{client:.1} + {server:.1} s"),
            _ => format!("{client:.1} s"),
        };
        println!(
            "| {name} | {:.1} s ({:.1} MB/s) | {} | {:.1} s ({:.1} MB/s) | {} | {mean:.2} ms | {:.2} ms | {:.2} ms | {:.1} ms | {same} |",
            walls[0],
            size / walls[0],
            cpu(cpus[0]),
            walls[1],
            size / walls[1],
            cpu(cpus[1]),
            percentile(&latencies, 0.5),
            percentile(&latencies, 0.99),
            latencies[latencies.len() - 1],
        );
    }
    let _ = std::fs::remove_file(&sqlite_path);
    println!();
}

/// The server's postmaster pid, from `postmaster.pid` in its data
/// directory; `None` for a server whose files this process cannot read.
fn postmaster_pid(url: &str) -> Option<String> {
    let base = url.split('?').next().unwrap();
    let mut client = postgres::Client::connect(base, postgres::NoTls).ok()?;
    let dir: String = client.query_one("SHOW data_directory", &[]).ok()?.get(0);
    let pid = std::fs::read_to_string(Path::new(&dir).join("postmaster.pid")).ok()?;
    pid.lines().next().map(|line| line.trim().to_string())
}

/// Drops the bench's schema through a plain connection (the memory API
/// never drops a memory that holds units).
fn postgres_drop_schema(url: &str) {
    let base = url.split('?').next().unwrap();
    let mut client = postgres::Client::connect(base, postgres::NoTls).unwrap();
    client.batch_execute("DROP SCHEMA IF EXISTS dragoman_bench CASCADE").unwrap();
}
