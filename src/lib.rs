//! dragoman: a translation memory and bilingual publishing tool for Arabic
//! news translated into English.
//!
//! The data flow, one module per step (see ARCHITECTURE.md):
//! text → [`segment`] → [`align`] → [`memory`] (via [`tmx`] for exchange)
//! and [`glossary`] → [`check`] → [`publish`]; [`workflow`] runs them in
//! order for every front end, and [`render`] turns their reports into
//! text. The binary's command line only parses, calls and prints.

pub mod align;
pub mod check;
pub mod glossary;
pub mod hash;
pub mod lang;
pub mod memory;
pub mod normalize;
pub mod pair;
pub mod project;
pub mod publish;
pub mod render;
pub mod segment;
pub mod terminology;
pub mod textio;
pub mod tmx;
pub mod workflow;
pub mod xliff;
