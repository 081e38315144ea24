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
    /// Check a registry from this machine and print the result.
    Check(CheckArgs),
}

/// Output formats of `check`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    /// `<check> : OK` lines, with code, meaning and fixes under each failure.
    Text,
    /// The report as JSON, the same as the API's.
    Json,
}

/// Languages of the text output.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum LangArg {
    En,
    Ko,
}

#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("arm_source").args(["arm_token_stdin", "arm_from_az"])))]
pub struct CheckArgs {
    /// Registry name (myreg), login server (myreg.azurecr.io) or URL (http://127.0.0.1:5000).
    pub registry: String,

    /// Cloud that a bare registry name belongs to.
    #[arg(long, default_value = "AzureCloud", value_parser = ["AzureCloud", "AzureChinaCloud", "AzureUSGovernment"])]
    pub cloud: String,

    /// Output format.
    #[arg(long, short = 'o', value_enum, default_value_t = OutputFormat::Text)]
    pub output: OutputFormat,

    /// Language of the text output [default: from LC_ALL, LC_MESSAGES or LANG, else en].
    #[arg(long, value_enum)]
    pub lang: Option<LangArg>,

    /// Allow the pull check to download an image.
    #[arg(long, short = 'y')]
    pub yes: bool,

    /// Image for the pull check [default: mcr.microsoft.com/mcr/hello-world:latest].
    #[arg(long, value_name = "IMAGE")]
    pub image: Option<String>,

    /// Accepted for scripts written for `az acr check-health`. Every check runs even after
    /// another failed, so this changes nothing; the exit status still reports any failure.
    #[arg(long)]
    pub ignore_errors: bool,

    /// User name for the registry (admin user, token user, or the null GUID for a refresh
    /// token); the password is read from standard input.
    #[arg(long, short = 'u', value_name = "USER", requires = "password_stdin")]
    pub username: Option<String>,

    /// Read the password for --username from standard input.
    #[arg(long, requires = "username")]
    pub password_stdin: bool,

    /// Read an Azure AD access token (for Azure Resource Manager) from standard input.
    #[arg(long, conflicts_with_all = ["username", "refresh_token_stdin"])]
    pub aad_token_stdin: bool,

    /// Azure AD tenant of the token read with --aad-token-stdin.
    #[arg(long, value_name = "TENANT", requires = "aad_token_stdin")]
    pub tenant: Option<String>,

    /// Read an ACR refresh token from standard input.
    #[arg(long, conflicts_with = "username")]
    pub refresh_token_stdin: bool,

    /// Read an Azure Resource Manager access token from standard input and run the ARM checks.
    /// With --password-stdin, --aad-token-stdin or --refresh-token-stdin, the registry secret
    /// is the first line and the ARM token the second.
    #[arg(long)]
    pub arm_token_stdin: bool,

    /// Run the ARM checks with a token from this machine's Azure CLI login
    /// (`az account get-access-token`; the program AZ_COMMAND names, else az on PATH).
    #[arg(long, conflicts_with = "arm_token_stdin")]
    pub arm_from_az: bool,

    /// ARM base URL [default: the cloud's, such as https://management.azure.com]. Only the
    /// Azure management hosts, and http or https on this machine with a port, are accepted.
    #[arg(long, value_name = "URL", requires = "arm_source")]
    pub arm_url: Option<String>,

    /// The registry's resource name in Azure [default: the login server's first label, else
    /// the registry whose login server is the one checked].
    #[arg(long, value_name = "NAME", requires = "arm_source")]
    pub arm_registry: Option<String>,

    /// Extra CA certificates (PEM) to trust for the registry and ARM, on top of the system's.
    #[arg(long, value_name = "FILE", env = "ACR_HEALTH_CA_FILE")]
    pub ca_file: Option<PathBuf>,

    /// Time allowed for each registry and ARM request, in seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 15)]
    pub timeout: u64,
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

    /// Extra CA certificates (PEM) to trust for the registry, on top of the system's.
    #[arg(long, value_name = "FILE", env = "ACR_HEALTH_CA_FILE")]
    pub ca_file: Option<PathBuf>,

    /// Do not open the page in a browser; only print its address.
    #[arg(long)]
    pub no_open: bool,
}
