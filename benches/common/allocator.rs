//! The allocator the `dragoman` binary uses (see src/main.rs), so that a
//! bench measures what a user runs.

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
