//! The beads file: one bead a line, two tab-separated columns, each a
//! comma-separated list of 0-based document-wide sentence indices
//! (`6<TAB>6,7,8,9,10`; `5<TAB>` is an omission, `<TAB>7` an addition).
//! Printed by `dragoman align --format beads`, corrected by hand, read back
//! by `--beads FILE`.

use super::Bead;

/// A line of a beads file that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{name}:{line}: {message}")]
pub struct BeadsError {
    /// The file as named to the user.
    pub name: String,
    /// 1-based line number.
    pub line: usize,
    pub message: String,
}

/// Formats beads as a beads file (every line ends with a newline).
pub fn format_beads(beads: &[Bead]) -> String {
    let mut out = String::new();
    for bead in beads {
        push_indices(&mut out, &bead.source);
        out.push('\t');
        push_indices(&mut out, &bead.target);
        out.push('\n');
    }
    out
}

fn push_indices(out: &mut String, indices: &[usize]) {
    for (k, index) in indices.iter().enumerate() {
        if k > 0 {
            out.push(',');
        }
        out.push_str(&index.to_string());
    }
}

/// Reads a beads file. Blank lines are skipped, spaces around indices and
/// Windows line ends are tolerated; anything else that is not the format is
/// an error naming `name:line`. Read beads have confidence 1 (a person
/// checked them) and no evidence. Whether the beads cover the texts is
/// checked where the texts are known ([`crate::pair`]).
pub fn parse_beads(text: &str, name: &str) -> Result<Vec<Bead>, BeadsError> {
    let mut beads = Vec::new();
    for (number, line) in text.lines().enumerate() {
        let error = |message: String| BeadsError { name: name.to_string(), line: number + 1, message };
        let line = line.strip_suffix('\r').unwrap_or(line);
        // Blank lines and `#` comments (what `align --annotate` writes
        // before each bead) carry no bead.
        if !line.contains('\t') && line.trim().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        let columns: Vec<&str> = line.split('\t').collect();
        if columns.len() != 2 {
            return Err(error(format!(
                "expected two tab-separated columns (source indices, target indices), found {}",
                columns.len()
            )));
        }
        let source = parse_column(columns[0]).map_err(|m| error(format!("source column: {m}")))?;
        let target = parse_column(columns[1]).map_err(|m| error(format!("target column: {m}")))?;
        if source.is_empty() && target.is_empty() {
            return Err(error("both columns are empty; a bead needs at least one sentence".to_string()));
        }
        beads.push(Bead { source, target, confidence: 1.0, evidence: Vec::new() });
    }
    Ok(beads)
}

fn parse_column(column: &str) -> Result<Vec<usize>, String> {
    if column.trim().is_empty() {
        return Ok(Vec::new());
    }
    let mut indices: Vec<usize> = Vec::new();
    for item in column.split(',') {
        let item = item.trim();
        let index: usize = item.parse().map_err(|_| {
            if item.is_empty() {
                "empty index between commas".to_string()
            } else {
                format!("`{item}` is not a sentence index (expected a number from 0)")
            }
        })?;
        if let Some(&previous) = indices.last()
            && index != previous + 1
        {
            return Err(format!("indices must be consecutive and ascending, found {previous} then {index}"));
        }
        indices.push(index);
    }
    Ok(indices)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bead(source: &[usize], target: &[usize]) -> Bead {
        Bead { source: source.to_vec(), target: target.to_vec(), confidence: 1.0, evidence: Vec::new() }
    }

    #[test]
    fn round_trips_the_example_format() {
        let beads = vec![bead(&[5], &[5]), bead(&[6], &[6, 7, 8, 9, 10]), bead(&[7], &[]), bead(&[], &[11])];
        let text = format_beads(&beads);
        assert_eq!(text, "5\t5\n6\t6,7,8,9,10\n7\t\n\t11\n");
        assert_eq!(parse_beads(&text, "gold.align").unwrap(), beads);
    }

    #[test]
    fn tolerates_hand_editing_noise() {
        let beads = parse_beads("0\t0\r\n\n1, 2\t 1\n", "f").unwrap();
        assert_eq!(beads, vec![bead(&[0], &[0]), bead(&[1, 2], &[1])]);
    }

    #[test]
    fn errors_name_file_and_line() {
        let cases = [
            ("0\t0\n1 1\n", "f.align:2: expected two tab-separated columns"),
            (
                "0\t0\t0\n",
                "f.align:1: expected two tab-separated columns (source indices, target indices), found 3",
            ),
            ("0\tx\n", "f.align:1: target column: `x` is not a sentence index"),
            ("0,,1\t0\n", "f.align:1: source column: empty index between commas"),
            (
                "3,1\t0\n",
                "f.align:1: source column: indices must be consecutive and ascending, found 3 then 1",
            ),
            ("-1\t0\n", "f.align:1: source column: `-1` is not a sentence index"),
            ("\t\n", "f.align:1: both columns are empty"),
        ];
        for (text, expected) in cases {
            let message = parse_beads(text, "f.align").unwrap_err().to_string();
            assert!(message.starts_with(expected), "{text:?}: {message}");
        }
    }
}
