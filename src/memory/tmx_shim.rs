//! TEMPORARY stand-ins for the TMX module's `SegContent::plain_text`,
//! `SegContent::from_text` and `tmx::format_date` until it lands; removed on
//! merge.

use crate::tmx::SegContent;

pub(crate) trait SegText {
    fn plain_text(&self) -> String;
    fn from_text(text: &str) -> SegContent;
}

impl SegText for SegContent {
    fn plain_text(&self) -> String {
        let mut out = String::new();
        let mut skip_depth = 0usize;
        let mut rest = self.xml.as_str();
        while let Some(open) = rest.find(['<', '&']) {
            if skip_depth == 0 {
                out.push_str(&rest[..open]);
            }
            rest = &rest[open..];
            if rest.starts_with('<') {
                let close = rest.find('>').map_or(rest.len(), |i| i + 1);
                let tag = &rest[..close];
                let name: String =
                    tag.trim_start_matches(['<', '/']).chars().take_while(|c| c.is_alphanumeric()).collect();
                let native = matches!(name.as_str(), "bpt" | "ept" | "it" | "ph" | "ut");
                if native && !tag.ends_with("/>") {
                    if tag.starts_with("</") {
                        skip_depth = skip_depth.saturating_sub(1);
                    } else {
                        skip_depth += 1;
                    }
                }
                rest = &rest[close..];
            } else {
                let end = rest.find(';').map_or(rest.len(), |i| i + 1);
                let entity = &rest[..end];
                if skip_depth == 0 {
                    out.push_str(match entity {
                        "&lt;" => "<",
                        "&gt;" => ">",
                        "&amp;" => "&",
                        "&quot;" => "\"",
                        "&apos;" => "'",
                        other => other,
                    });
                }
                rest = &rest[end..];
            }
        }
        if skip_depth == 0 {
            out.push_str(rest);
        }
        out
    }

    fn from_text(text: &str) -> SegContent {
        let mut xml = String::with_capacity(text.len());
        for c in text.chars() {
            match c {
                '<' => xml.push_str("&lt;"),
                '>' => xml.push_str("&gt;"),
                '&' => xml.push_str("&amp;"),
                c => xml.push(c),
            }
        }
        SegContent { xml }
    }
}

pub(crate) fn format_date(time: std::time::SystemTime) -> String {
    let secs = time.duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    let (days, rem) = ((secs / 86_400) as i64, secs % 86_400);
    // Howard Hinnant's civil-from-days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}{month:02}{day:02}T{:02}{:02}{:02}Z", rem / 3600, rem % 3600 / 60, rem % 60)
}
