//! Aligned text tables and the short numbers in their cells.

use std::fmt::Write as _;

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

/// A table: first column left-aligned, the others right-aligned.
pub struct Table {
    headers: Vec<String>,
    /// The rows so far.
    pub rows: Vec<Vec<String>>,
}

impl Table {
    /// A table with these column headers.
    pub fn new(headers: &[&str]) -> Table {
        Table {
            headers: headers.iter().map(|h| (*h).to_owned()).collect(),
            rows: Vec::new(),
        }
    }

    /// Add a row.
    pub fn row(&mut self, row: Vec<String>) {
        self.rows.push(row);
    }

    /// Append the table to `out`.
    pub fn render(&self, out: &mut String) {
        let n = self.headers.len();
        let mut widths: Vec<usize> = self.headers.iter().map(|h| h.chars().count()).collect();
        for row in &self.rows {
            for (w, cell) in widths.iter_mut().zip(row) {
                *w = (*w).max(cell.chars().count());
            }
        }
        for line in std::iter::once(&self.headers).chain(&self.rows) {
            let mut text = String::new();
            for (i, cell) in line.iter().take(n).enumerate() {
                let w = widths[i];
                if i == 0 {
                    let _ = write!(text, "{cell:<w$}");
                } else {
                    let _ = write!(text, "  {cell:>w$}");
                }
            }
            out.push_str(text.trim_end());
            out.push('\n');
        }
    }
}
