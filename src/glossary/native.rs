//! The native glossary format: UTF-8, tab-separated, `#` lines are
//! comments, blank lines ignored. Columns:
//! `source ⇥ target ⇥ comment ⇥ variants ⇥ accepted ⇥ forbidden ⇥ type ⇥ flags ⇥ note ⇥ short`.
//!
//! The first three are OmegaT's, so OmegaT reads a native file as it is (it
//! skips `#` lines and ignores extra columns). Columns 4–10 may be missing;
//! lists inside a column are `|`-separated. `short` (added last, so older
//! files and readers keep their columns) lists short and subsequent forms and
//! acronyms (`Assad`, `UN`): good after a long form, not before it. Flags:
//! `ambiguous`, `derived`, `one-form` (the house picks the approved form:
//! accepted forms are not to be mixed with it).

use super::{Entry, TermType};

/// The header comment line naming the columns.
pub const HEADER: &str = "# source\ttarget\tcomment\tvariants\taccepted\tforbidden\ttype\tflags\tnote\tshort";

const COLUMNS: usize = 10;

/// The flags column's words.
pub const FLAGS: [&str; 3] = ["ambiguous", "derived", "one-form"];

/// A malformed line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineProblem {
    /// 1-based line number.
    pub line: usize,
    pub message: String,
}

/// Every entry that parsed and every line that did not.
#[derive(Debug, Clone, Default)]
pub struct Parsed {
    pub entries: Vec<Entry>,
    pub problems: Vec<LineProblem>,
}

/// Parses a whole native file, collecting malformed lines instead of
/// stopping at the first (what `glossary lint` needs).
pub fn parse_all(text: &str, name: &str) -> Parsed {
    let mut parsed = Parsed::default();
    for (index, raw) in text.split('\n').enumerate() {
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        match parse_line(line) {
            Ok(mut entry) => {
                entry.origin = Some((name.to_string(), index + 1));
                parsed.entries.push(entry);
            }
            Err(message) => parsed.problems.push(LineProblem { line: index + 1, message }),
        }
    }
    parsed
}

fn parse_line(line: &str) -> Result<Entry, String> {
    let columns: Vec<&str> = line.split('\t').map(str::trim).collect();
    if columns.len() < 2 {
        let hint = if spaces_separate_columns(line) {
            " (columns are separated by tabs, not spaces: an editor may have turned the tab into spaces)"
        } else if line.contains(',') {
            " (is the file tab-separated? CSV files are imported with `dragoman glossary import`)"
        } else {
            ""
        };
        return Err(format!("expected at least 2 tab-separated columns (source, target), found 1{hint}"));
    }
    if columns.len() > COLUMNS {
        return Err(format!(
            "found {} tab-separated columns, at most {COLUMNS} are allowed \
             (source, target, comment, variants, accepted, forbidden, type, flags, note, short)",
            columns.len()
        ));
    }
    let column = |i: usize| columns.get(i).copied().unwrap_or("");
    if column(0).is_empty() {
        return Err("the source term (column 1) is empty".to_string());
    }
    if column(1).is_empty() {
        return Err(format!("the target (column 2) of `{}` is empty", column(0)));
    }
    let kind = TermType::from_name(column(6)).ok_or_else(|| {
        format!(
            "unknown type `{}` in column 7 (expected one of: {})",
            column(6),
            TermType::ALL.map(TermType::name).join(", ")
        )
    })?;
    let mut entry = Entry::new(column(0), column(1));
    entry.comment = column(2).to_string();
    entry.variants = split_list(column(3));
    entry.accepted = split_list(column(4));
    entry.forbidden = split_list(column(5));
    entry.kind = kind;
    for flag in split_list(column(7)) {
        match flag.to_ascii_lowercase().as_str() {
            "ambiguous" => entry.ambiguous = true,
            "derived" => entry.derived = true,
            "one-form" => entry.one_form = true,
            _ => {
                return Err(format!(
                    "unknown flag `{flag}` in column 8 (expected one of: {})",
                    FLAGS.join(", ")
                ));
            }
        }
    }
    entry.note = column(8).to_string();
    entry.short = split_list(column(9));
    Ok(entry)
}

/// Whether spaces stand where the tab between the columns should be: a
/// run of two or more (an editor's tab stop), or a space between the Arabic
/// term and the English one (`حمص Homs`).
fn spaces_separate_columns(line: &str) -> bool {
    let line = line.trim();
    if line.contains("  ") {
        return true;
    }
    let arabic = |c: char| crate::lang::is_arabic_letter(c);
    let first_latin = line.find(|c: char| c.is_ascii_alphabetic());
    match first_latin {
        Some(at) => {
            let (before, after) = line.split_at(at);
            before.chars().any(arabic) && before.ends_with(' ') && !after.chars().any(arabic)
        }
        None => false,
    }
}

fn split_list(column: &str) -> Vec<String> {
    column.split('|').map(str::trim).filter(|s| !s.is_empty()).map(str::to_string).collect()
}

/// Writes entries in the native format, with the header line. Tabs and line
/// breaks inside fields (possible in imported data) become spaces so that
/// every entry stays one line.
pub fn write_native(entries: &[Entry]) -> String {
    let mut out = String::from(HEADER);
    out.push('\n');
    for entry in entries {
        let mut flags = Vec::new();
        if entry.ambiguous {
            flags.push("ambiguous".to_string());
        }
        if entry.derived {
            flags.push("derived".to_string());
        }
        if entry.one_form {
            flags.push("one-form".to_string());
        }
        let mut fields = vec![
            clean(&entry.source),
            clean(&entry.target),
            clean(&entry.comment),
            join_list(&entry.variants),
            join_list(&entry.accepted),
            join_list(&entry.forbidden),
            entry.kind.name().to_string(),
            flags.join("|"),
            clean(&entry.note),
        ];
        // Files without short forms keep OmegaT's and older readers' nine columns.
        if !entry.short.is_empty() {
            fields.push(join_list(&entry.short));
        }
        out.push_str(&fields.join("\t"));
        out.push('\n');
    }
    out
}

fn clean(field: &str) -> String {
    field.replace(['\t', '\n', '\r'], " ").trim().to_string()
}

fn join_list(items: &[String]) -> String {
    items.iter().map(|item| clean(item).replace('|', "/")).collect::<Vec<_>>().join("|")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_full_and_omegat_only_lines() {
        let text = format!(
            "{HEADER}\n\
             الرقة\tRaqqa\tcity\t\t\tRaqa|Raqqah|al-Raqqa\tplace\t\tHouse style\n\
             \n\
             # a comment\n\
             حمص\tHoms\r\n\
             داعش\tISIS\t\tتنظيم الدولة | الدولة الإسلامية\t\tISIL|Daesh\tgroup\tderived\tHouse style\n"
        );
        let parsed = parse_all(&text, "g.txt");
        assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
        assert_eq!(parsed.entries.len(), 3);
        let raqqa = &parsed.entries[0];
        assert_eq!(raqqa.forbidden, ["Raqa", "Raqqah", "al-Raqqa"]);
        assert_eq!(raqqa.kind, TermType::Place);
        assert_eq!(raqqa.origin, Some(("g.txt".to_string(), 2)));
        let homs = &parsed.entries[1];
        assert_eq!((homs.target.as_str(), homs.kind), ("Homs", TermType::Other));
        assert_eq!(homs.origin, Some(("g.txt".to_string(), 5)));
        let isis = &parsed.entries[2];
        assert_eq!(isis.variants, ["تنظيم الدولة", "الدولة الإسلامية"]);
        assert!(isis.derived && !isis.ambiguous);
    }

    #[test]
    fn the_tenth_column_lists_short_forms() {
        let text = "الأمم المتحدة\tUnited Nations\t\t\t\t\torganization\tone-form\tnote\tUN | U.N.\n";
        let parsed = parse_all(text, "g.txt");
        assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
        let un = &parsed.entries[0];
        assert_eq!(un.short, ["UN", "U.N."]);
        assert!(un.one_form);
        assert!(un.good_renderings().any(|r| r == "U.N."));
        assert!(un.is_short_form("U.N.") && !un.is_short_form("United Nations"));
        let eleven = format!("{}\textra\n", text.trim_end());
        assert!(parse_all(&eleven, "g.txt").problems[0].message.contains("at most 10"));
    }

    #[test]
    fn a_persons_surname_is_a_short_form_without_a_listing() {
        let mut assad = Entry::new("بشار الأسد", "Bashar al-Assad");
        assert!(assad.surnames().is_empty(), "only people have surnames");
        assad.kind = TermType::Person;
        assert_eq!(assad.surnames(), ["al-Assad", "Assad"]);
        assert!(assad.is_short_form("Assad") && !assad.is_short_form("Bashar Assad"));
        let mut envoy = Entry::new("ستافان دي ميستورا", "Staffan de Mistura");
        envoy.kind = TermType::Person;
        assert_eq!(envoy.surnames(), ["de Mistura"]);
        let mut putin = Entry::new("بوتين", "Putin");
        putin.kind = TermType::Person;
        assert!(putin.surnames().is_empty());
    }

    #[test]
    fn reports_malformed_lines_with_numbers() {
        let text =
            "الرقة Raqqa\n\tRaqqa\nحمص\tHoms\t\t\t\t\tcity\nحلب\tAleppo\t\t\t\t\tplace\tmaybe\nمنبج\t\n";
        let problems = parse_all(text, "g.txt").problems;
        let lines: Vec<usize> = problems.iter().map(|p| p.line).collect();
        assert_eq!(lines, [1, 2, 3, 4, 5]);
        assert!(problems[0].message.contains("at least 2 tab-separated columns"));
        for spaced in ["حمص Homs", "الرقة    Raqqa", "دير الزور Deir ez-Zor"] {
            let message = parse_all(spaced, "g.txt").problems[0].message.clone();
            assert!(message.contains("tabs, not spaces"), "{spaced}: {message}");
        }
        for other in ["حمص", "Homs,حمص"] {
            assert!(!parse_all(other, "g.txt").problems[0].message.contains("not spaces"), "{other}");
        }
        assert!(problems[2].message.contains("unknown type `city`"));
        assert!(problems[3].message.contains("unknown flag `maybe`"));
    }

    #[test]
    fn writes_what_it_reads() {
        let text = format!(
            "{HEADER}\nالمشلب\tal-Mashlab\tneighbourhood\tمشلب\t\tMashlab|Meshleb\tplace\tambiguous|derived\tHouse style\n\
             بشار الأسد\tBashar al-Assad\t\t\tBashar Assad\t\tperson\tone-form\t\tAssad|President Assad\n"
        );
        let entries = parse_all(&text, "a").entries;
        let written = write_native(&entries);
        assert_eq!(written, text);
        let again = parse_all(&written, "a").entries;
        assert_eq!(again, entries);
    }
}
