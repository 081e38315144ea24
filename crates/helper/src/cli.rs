//! Command-line arguments.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::serve::DEFAULT_PORT;

#[derive(Debug, Parser)]
#[command(
    name = "acr-health-helper",
    version,
    about = "Checks the path from this machine to a container registry, and serves the acr-health page."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the acr-health page and the helper API on 127.0.0.1.
    Serve(ServeArgs),
}

#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// Port to listen on, on 127.0.0.1 (0 picks a free port).
    #[arg(long, default_value_t = DEFAULT_PORT)]
    pub port: u16,

    /// Folder of the built page to serve at `/`.
    #[arg(long, default_value = "dist")]
    pub dist: PathBuf,

    /// Another web origin allowed to call the API, such as https://portal.example (repeatable).
    #[arg(long = "allow-origin", value_name = "ORIGIN")]
    pub allow_origin: Vec<String>,

    /// JSON config file: {"allowed_origins": ["https://portal.example"]}.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Do not open the page in a browser; only print its address.
    #[arg(long)]
    pub no_open: bool,
}
