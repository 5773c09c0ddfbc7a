/// mimalloc rather than the system allocator: an import allocates and frees
/// a few dozen small strings per unit on three threads, and mimalloc made
/// a 1M-unit import about 15 % faster (benches/memory.rs).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
