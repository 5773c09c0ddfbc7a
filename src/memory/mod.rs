//! The translation memory: an SQLite store of translation units.
//!
//! Owns: the schema and its migrations, import (atomic) and export, the
//! normalized index for fuzzy lookup and concordance. The only module that
//! knows SQL.
