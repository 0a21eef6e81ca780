//! The terminal behind the in-place view: alternate screen, hidden cursor, keys read in raw
//! mode when standard input is a terminal (`q` or Ctrl-C stops the run as SIGINT does), size
//! and resize events. Whatever ends the run — its end, `q`, a signal, an error — the terminal
//! is given back as it was: [`Terminal::restore`] at the end, or its `Drop`.

use std::io::{self, IsTerminal, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use crossterm::event::{Event, KeyCode, KeyEventKind, KeyModifiers};
use crossterm::{cursor, execute, queue, terminal};

/// The terminal's size (columns, lines); [`size_from_env`] when it does not tell.
pub fn size() -> (usize, usize) {
    match terminal::size() {
        Ok((w, h)) if w > 0 && h > 0 => (usize::from(w), usize::from(h)),
        _ => size_from_env(),
    }
}

/// The size `COLUMNS` and `LINES` give, else 80 × 24.
pub fn size_from_env() -> (usize, usize) {
    let env = |name: &str, default: usize| {
        std::env::var(name)
            .ok()
            .and_then(|v| v.trim().parse::<usize>().ok())
            .filter(|v| *v > 0)
            .unwrap_or(default)
    };
    (env("COLUMNS", 80), env("LINES", 24))
}

/// The terminal, taken over for the run.
pub struct Terminal {
    raw: bool,
    restored: bool,
}

impl Terminal {
    /// Take the terminal over. With standard input a terminal, keys are read on a thread of
    /// their own: `q` (or Ctrl-C, which raw mode delivers as a key) sets `stop`; a second
    /// Ctrl-C gives the terminal back and ends the process at once (exit 130), as a second
    /// SIGINT does. Resizes set `resized`.
    pub fn start(stop: Arc<AtomicBool>, resized: Arc<AtomicBool>) -> io::Result<Terminal> {
        let mut out = io::stdout();
        execute!(out, terminal::EnterAlternateScreen, cursor::Hide)?;
        let raw = io::stdin().is_terminal() && terminal::enable_raw_mode().is_ok();
        let term = Terminal {
            raw,
            restored: false,
        };
        if raw {
            std::thread::Builder::new()
                .name("console-keys".into())
                .spawn(move || keys(&stop, &resized))?;
        }
        Ok(term)
    }

    /// Give the terminal back: leave raw mode and the alternate screen, show the cursor.
    pub fn restore(mut self) {
        self.give_back();
    }

    fn give_back(&mut self) {
        if self.restored {
            return;
        }
        self.restored = true;
        give_back(self.raw);
    }
}

fn give_back(raw: bool) {
    if raw {
        let _ = terminal::disable_raw_mode();
    }
    let _ = execute!(io::stdout(), cursor::Show, terminal::LeaveAlternateScreen);
}

impl Drop for Terminal {
    fn drop(&mut self) {
        self.give_back();
    }
}

fn keys(stop: &AtomicBool, resized: &AtomicBool) {
    loop {
        match crossterm::event::read() {
            Ok(Event::Key(key)) if key.kind == KeyEventKind::Press => {
                let ctrl_c =
                    key.code == KeyCode::Char('c') && key.modifiers.contains(KeyModifiers::CONTROL);
                if ctrl_c && stop.load(Ordering::Relaxed) {
                    give_back(true);
                    std::process::exit(130);
                }
                if ctrl_c || matches!(key.code, KeyCode::Char('q' | 'Q')) {
                    stop.store(true, Ordering::Relaxed);
                }
            }
            Ok(Event::Resize(..)) => resized.store(true, Ordering::Relaxed),
            Ok(_) => {}
            Err(_) => return,
        }
    }
}

/// Draw `lines` from the top of the screen, each line cleared to its end and the lines below
/// the last cleared, without scrolling: the screen is updated in place. `drawn` holds how many
/// lines the previous frame had.
pub fn draw(out: &mut impl Write, lines: &[String], drawn: &mut usize) -> io::Result<()> {
    for (row, line) in lines.iter().enumerate() {
        let row = u16::try_from(row).unwrap_or(u16::MAX);
        queue!(
            out,
            cursor::MoveTo(0, row),
            crossterm::style::Print(line),
            terminal::Clear(terminal::ClearType::UntilNewLine)
        )?;
    }
    if lines.len() < *drawn {
        let row = u16::try_from(lines.len()).unwrap_or(u16::MAX);
        queue!(
            out,
            cursor::MoveTo(0, row),
            terminal::Clear(terminal::ClearType::FromCursorDown)
        )?;
    }
    *drawn = lines.len();
    Ok(())
}
