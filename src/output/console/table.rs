//! Aligned text tables that fit a width, and the short numbers in their cells.
//!
//! Numbers follow one convention everywhere on the console: rates and counts with SI prefixes
//! (`k`, `M`, `G`: powers of 1000; throughput in bit/s), byte amounts (queues, backlogs, totals)
//! with binary prefixes (`KiB`, `MiB`: powers of 1024).

/// A number in at most four significant characters with an SI suffix: `999`, `1.23k`, `45.6M`.
pub fn human(v: f64) -> String {
    const UNITS: [&str; 6] = ["", "k", "M", "G", "T", "P"];
    if !v.is_finite() {
        return "-".into();
    }
    let mut v = v;
    let mut unit = 0;
    while v.abs() >= 999.5 && unit + 1 < UNITS.len() {
        v /= 1000.0;
        unit += 1;
    }
    if unit == 0 {
        if v.fract() == 0.0 || v.abs() >= 100.0 {
            format!("{v:.0}")
        } else {
            format!("{v:.1}")
        }
    } else if v.abs() >= 99.95 {
        format!("{v:.0}{}", UNITS[unit])
    } else if v.abs() >= 9.995 {
        format!("{v:.1}{}", UNITS[unit])
    } else {
        format!("{v:.2}{}", UNITS[unit])
    }
}

/// A byte amount with a binary prefix: `512B`, `1.50KiB`, `45.6MiB`.
pub fn human_bytes(v: f64) -> String {
    const UNITS: [&str; 6] = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
    if !v.is_finite() {
        return "-".into();
    }
    let mut v = v;
    let mut unit = 0;
    while v.abs() >= 1023.5 && unit + 1 < UNITS.len() {
        v /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{v:.0}B")
    } else if v.abs() >= 99.95 {
        format!("{v:.0}{}", UNITS[unit])
    } else if v.abs() >= 9.995 {
        format!("{v:.1}{}", UNITS[unit])
    } else {
        format!("{v:.2}{}", UNITS[unit])
    }
}

/// How a column's cells are aligned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    /// Names: left-aligned, shortened with `…` when the table does not fit.
    Left,
    /// Numbers: right-aligned, never shortened.
    Right,
}

/// A column: its header, how it is aligned, and its priority (0 is kept longest; the highest
/// number is dropped first when the table is too wide).
#[derive(Debug, Clone)]
pub struct Column {
    /// The header.
    pub header: String,
    /// Alignment of the cells.
    pub align: Align,
    /// Drop order: higher first.
    pub priority: u8,
}

impl Column {
    /// A left-aligned column.
    pub fn left(header: &str, priority: u8) -> Column {
        Column {
            header: header.to_owned(),
            align: Align::Left,
            priority,
        }
    }

    /// A right-aligned column.
    pub fn right(header: &str, priority: u8) -> Column {
        Column {
            header: header.to_owned(),
            align: Align::Right,
            priority,
        }
    }
}

/// Left-aligned cells are not shortened below this many characters.
const MIN_LEFT: usize = 8;

/// A table of rows under column headers.
#[derive(Debug, Clone)]
pub struct Table {
    /// The columns.
    pub columns: Vec<Column>,
    /// The rows so far, one cell per column.
    pub rows: Vec<Vec<String>>,
}

/// `text` cut to `width` characters, the last one `…` when something was cut.
pub fn clip(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_owned();
    }
    if width == 0 {
        return String::new();
    }
    let mut out: String = text.chars().take(width - 1).collect();
    out.push('…');
    out
}

impl Table {
    /// A table with these columns.
    pub fn new(columns: Vec<Column>) -> Table {
        Table {
            columns,
            rows: Vec::new(),
        }
    }

    /// Add a row.
    pub fn row(&mut self, row: Vec<String>) {
        self.rows.push(row);
    }

    /// The header line and the first `rows` rows, fitted to `width` characters: columns are
    /// dropped by priority, then names shortened, and a line never exceeds `width`.
    pub fn render(&self, width: usize, rows: usize, out: &mut Vec<String>) {
        let n = self.columns.len();
        let shown = &self.rows[..rows.min(self.rows.len())];
        let mut widths: Vec<usize> = self
            .columns
            .iter()
            .map(|c| c.header.chars().count())
            .collect();
        for row in shown {
            for (w, cell) in widths.iter_mut().zip(row) {
                *w = (*w).max(cell.chars().count());
            }
        }
        let mut keep = vec![true; n];
        let total = |keep: &[bool], widths: &[usize]| -> usize {
            let cols: Vec<usize> = (0..n).filter(|&i| keep[i]).map(|i| widths[i]).collect();
            cols.iter().sum::<usize>() + 2 * cols.len().saturating_sub(1)
        };
        // Drop the least important columns (the rightmost of equal priority first), keeping
        // at least one.
        while total(&keep, &widths) > width && keep.iter().filter(|k| **k).count() > 1 {
            let Some(victim) = (0..n)
                .filter(|&i| keep[i])
                .max_by_key(|&i| (self.columns[i].priority, i))
            else {
                break;
            };
            if self.columns[victim].priority == 0 {
                break;
            }
            keep[victim] = false;
        }
        // Then shorten names, widest first.
        while total(&keep, &widths) > width {
            let Some(widest) = (0..n)
                .filter(|&i| keep[i] && self.columns[i].align == Align::Left)
                .filter(|&i| widths[i] > MIN_LEFT)
                .max_by_key(|&i| widths[i])
            else {
                break;
            };
            let excess = total(&keep, &widths) - width;
            widths[widest] = widths[widest].saturating_sub(excess).max(MIN_LEFT);
        }
        let headers: Vec<&str> = self.columns.iter().map(|c| c.header.as_str()).collect();
        let mut emit = |cells: &mut dyn Iterator<Item = &str>| {
            let mut text = String::new();
            let mut first = true;
            for (i, cell) in cells.enumerate().take(n) {
                if !keep[i] {
                    continue;
                }
                if !first {
                    text.push_str("  ");
                }
                first = false;
                let w = widths[i];
                let cell = clip(cell, w);
                match self.columns[i].align {
                    Align::Left => text.push_str(&format!("{cell:<w$}")),
                    Align::Right => text.push_str(&format!("{cell:>w$}")),
                }
            }
            out.push(clip(text.trim_end(), width));
        };
        emit(&mut headers.iter().copied());
        for row in shown {
            emit(&mut row.iter().map(String::as_str));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn binary_prefixes() {
        assert_eq!(human_bytes(0.0), "0B");
        assert_eq!(human_bytes(1023.0), "1023B");
        assert_eq!(human_bytes(1536.0), "1.50KiB");
        assert_eq!(human_bytes(10.0 * 1024.0 * 1024.0), "10.0MiB");
    }

    #[test]
    fn columns_are_dropped_by_priority_and_lines_never_exceed_the_width() {
        let mut t = Table::new(vec![
            Column::left("name", 0),
            Column::right("first", 0),
            Column::right("extra", 2),
            Column::right("more", 1),
        ]);
        t.row(vec![
            "a-very-long-interface-name".into(),
            "1".into(),
            "2".into(),
            "3".into(),
        ]);
        let mut out = Vec::new();
        t.render(200, 10, &mut out);
        assert!(
            out[0].contains("extra") && out[0].contains("more"),
            "{out:?}"
        );
        for width in 1..60 {
            let mut out = Vec::new();
            t.render(width, 10, &mut out);
            assert!(
                out.iter().all(|l| l.chars().count() <= width),
                "{width}: {out:?}"
            );
        }
        let mut out = Vec::new();
        t.render(40, 10, &mut out);
        assert!(
            !out[0].contains("extra") && out[0].contains("more"),
            "{out:?}"
        );
    }
}
