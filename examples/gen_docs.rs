//! Write the man page and shell completions, generated from the command-line definition.
//!
//! usage: cargo run --example gen_docs -- OUTDIR
//! writes OUTDIR/netstatspy.1, OUTDIR/netstatspy.bash, OUTDIR/_netstatspy (zsh),
//! OUTDIR/netstatspy.fish

use std::path::PathBuf;
use std::process::ExitCode;

use clap::CommandFactory;
use clap_complete::Shell;
use netstatspy::cli::Cli;

fn main() -> ExitCode {
    let Some(dir) = std::env::args_os().nth(1).map(PathBuf::from) else {
        eprintln!("usage: gen_docs OUTDIR");
        return ExitCode::from(2);
    };
    if let Err(e) = std::fs::create_dir_all(&dir) {
        eprintln!("gen_docs: cannot create {}: {e}", dir.display());
        return ExitCode::from(1);
    }
    let mut cmd = Cli::command();
    let mut page = Vec::new();
    if let Err(e) = clap_mangen::Man::new(cmd.clone()).render(&mut page) {
        eprintln!("gen_docs: man page: {e}");
        return ExitCode::from(1);
    }
    if let Err(e) = std::fs::write(dir.join("netstatspy.1"), page) {
        eprintln!("gen_docs: cannot write the man page: {e}");
        return ExitCode::from(1);
    }
    for shell in [Shell::Bash, Shell::Zsh, Shell::Fish] {
        if let Err(e) = clap_complete::generate_to(shell, &mut cmd, "netstatspy", &dir) {
            eprintln!("gen_docs: {shell} completions: {e}");
            return ExitCode::from(1);
        }
    }
    println!(
        "wrote the man page and bash, zsh and fish completions to {}",
        dir.display()
    );
    ExitCode::SUCCESS
}
