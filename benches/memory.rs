//! Benchmark placeholder: filled in by the memory work.
fn main() {}
