//! A frame: what the console shows for one display interval, and its rendering to lines of a
//! given width and height. Rendering is a pure function of the frame and the size, so the
//! terminal view is tested at any size without a terminal.

use super::table::{Table, clip};

/// One reader's part of a frame: a title line, a table, and how many rows of it were left out
/// before rendering (idle rows hidden, sockets beyond those ranked).
#[derive(Debug, Clone)]
pub struct Section {
    /// The title line (`ip: 59 interfaces, 3 active`).
    pub title: String,
    /// The table, if the section has one.
    pub table: Option<Table>,
    /// What the "… N more" line says follows the count, e.g. `idle interfaces hidden`.
    pub more_what: &'static str,
    /// Rows left out before rendering, counted in the "… N more" line.
    pub left_out: usize,
}

/// A frame: a header line and the sections of the readers, in reader order.
#[derive(Debug, Clone, Default)]
pub struct Frame {
    /// The header line.
    pub header: String,
    /// The sections.
    pub sections: Vec<Section>,
}

/// The frame as lines of at most `width` characters; with a `height`, at most that many lines,
/// the tables' rows shared out among the sections (each cut table ends in a "… N more" line).
pub fn render(frame: &Frame, width: usize, height: Option<usize>) -> Vec<String> {
    let width = width.max(1);
    let rows: Vec<usize> = frame
        .sections
        .iter()
        .map(|s| s.table.as_ref().map_or(0, |t| t.rows.len()))
        .collect();
    // Lines every section takes whatever its rows: its title, its table's header.
    let fixed: usize = 1 + frame
        .sections
        .iter()
        .map(|s| 1 + usize::from(s.table.is_some()) + usize::from(s.left_out > 0))
        .sum::<usize>();
    let mut allot = rows.clone();
    if let Some(height) = height {
        // Share the lines left one at a time among the sections that still have rows, so a
        // long table cannot push the others off the screen.
        let mut left = height.saturating_sub(fixed);
        allot = vec![0; rows.len()];
        loop {
            let mut gave = false;
            for i in 0..rows.len() {
                if left == 0 {
                    break;
                }
                if allot[i] < rows[i] {
                    allot[i] += 1;
                    left -= 1;
                    gave = true;
                }
            }
            if !gave || left == 0 {
                break;
            }
        }
        // A cut table needs a line for its "… N more": take it from its own rows.
        for i in 0..rows.len() {
            if allot[i] < rows[i] && frame.sections[i].left_out == 0 {
                allot[i] = allot[i].saturating_sub(1);
            }
        }
    }
    let mut out = Vec::new();
    out.push(clip(&frame.header, width));
    for (section, shown) in frame.sections.iter().zip(allot) {
        out.push(clip(&section.title, width));
        let Some(table) = &section.table else {
            if section.left_out > 0 {
                let line = format!("… {} more ({})", section.left_out, section.more_what);
                out.push(clip(&line, width));
            }
            continue;
        };
        table.render(width, shown, &mut out);
        let more = table.rows.len() - shown.min(table.rows.len()) + section.left_out;
        if more > 0 {
            let what = if shown < table.rows.len() {
                "not shown"
            } else {
                section.more_what
            };
            out.push(clip(&format!("… {more} more ({what})"), width));
        }
    }
    if let Some(height) = height {
        out.truncate(height);
    }
    out
}
