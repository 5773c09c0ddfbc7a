//! Glossary exchange formats (CSV, TSV, TBX 2008, TBX v3): placeholder until the formats work lands.
