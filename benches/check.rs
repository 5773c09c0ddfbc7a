//! Benchmark placeholder: filled in by the check work.
fn main() {}
