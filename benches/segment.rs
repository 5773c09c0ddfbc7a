//! Benchmark placeholder: filled in by the segment work.
fn main() {}
