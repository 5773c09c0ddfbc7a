//! Benchmark placeholder: filled in by the align work.
fn main() {}
