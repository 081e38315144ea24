//! `lab`: runs the acr-health lab for the demo and for manual testing.

use std::path::PathBuf;
use std::process::ExitCode;

use acr_health_lab::{ArmScenario, Lab, LabConfig, Mode, Scenario};
use clap::{Args, Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "lab",
    version,
    about = "A real registry behind an ACR-style front, with switchable faults"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Print every registry scenario, then every ARM scenario: what it imitates and the code the
    /// checks must report.
    List,
    /// Start the lab, print one JSON line with its addresses and credentials, run until SIGINT or SIGTERM.
    #[command(visible_alias = "serve")]
    Up(UpArgs),
}

#[derive(Args)]
struct UpArgs {
    /// Scenario to start with (see `lab list`).
    #[arg(long, default_value = "healthy")]
    scenario: String,
    /// ARM scenario to start with: the registry state the ARM listener describes (see `lab list`).
    #[arg(long, default_value = "found")]
    arm_scenario: String,
    /// Serve plain HTTP (the default), which any browser reaches without trusting a CA.
    #[arg(long, conflicts_with = "tls")]
    plain_http: bool,
    /// Serve TLS with a lab CA generated at start; its PEM path is printed as `ca_pem`.
    #[arg(long)]
    tls: bool,
    /// Delay added before every response, in milliseconds.
    #[arg(long, default_value_t = 0)]
    latency_ms: u64,
    /// Registry clock offset in minutes, used by the clock-skew scenario.
    #[arg(long, default_value_t = 0, allow_negative_numbers = true)]
    skew_minutes: i64,
    /// Login server port on 127.0.0.1; 0 picks an ephemeral port.
    #[arg(long, default_value_t = 5000)]
    login_port: u16,
    /// Storage listener port on 127.0.0.1; 0 picks an ephemeral port.
    #[arg(long, default_value_t = 5001)]
    storage_port: u16,
    /// Control API port on 127.0.0.1; 0 picks an ephemeral port.
    #[arg(long, default_value_t = 5100)]
    control_port: u16,
    /// ARM listener port on 127.0.0.1, printed as `arm_url`. Ephemeral by default, so labs
    /// started with ephemeral ports never compete for it.
    #[arg(long, default_value_t = 0)]
    arm_port: u16,
    /// Directory for config, storage, CA and logs; kept after exit. Defaults to a new directory
    /// under the system temporary directory.
    #[arg(long)]
    state_dir: Option<PathBuf>,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .init();

    match cli.command {
        Command::List => {
            for (scenario, _) in Scenario::ALL {
                println!("{}", scenario.describe());
            }
            println!();
            println!("ARM scenarios (--arm-scenario):");
            for (scenario, _) in ArmScenario::ALL {
                println!("{}", scenario.describe());
            }
            ExitCode::SUCCESS
        }
        Command::Up(args) => match up(args) {
            Ok(()) => ExitCode::SUCCESS,
            Err(error) => {
                eprintln!("lab: {error:#}");
                ExitCode::from(1)
            }
        },
    }
}

fn up(args: UpArgs) -> anyhow::Result<()> {
    let scenario: Scenario = args.scenario.parse()?;
    let arm_scenario: ArmScenario = args.arm_scenario.parse()?;
    // A state directory the lab made for itself is removed when `up` returns after a clean
    // stop; one given with `--state-dir` is kept.
    let (state_dir, _temporary) = match args.state_dir {
        Some(dir) => (dir, None),
        None => {
            let temporary = tempfile::Builder::new()
                .prefix("acr-health-lab-")
                .tempdir()?;
            (temporary.path().to_path_buf(), Some(temporary))
        }
    };
    let config = LabConfig {
        scenario,
        arm_scenario,
        mode: if args.tls { Mode::Tls } else { Mode::PlainHttp },
        latency_ms: args.latency_ms,
        skew_minutes: args.skew_minutes,
        login_port: args.login_port,
        storage_port: args.storage_port,
        control_port: args.control_port,
        arm_port: args.arm_port,
        state_dir: Some(state_dir),
    };
    let lab = Lab::start(config)?;

    // Listen for SIGINT and SIGTERM before printing the ready line, so that a signal sent as
    // soon as the caller reads it stops the lab cleanly instead of killing it.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let (mut interrupt, mut terminate) = {
        let _context = runtime.enter();
        (
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::interrupt())?,
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?,
        )
    };
    println!("{}", lab.summary());

    // Wait for either signal; dropping the lab then stops distribution.
    runtime.block_on(async {
        tokio::select! {
            _ = interrupt.recv() => {}
            _ = terminate.recv() => {}
        }
    });
    tracing::info!("signal received, stopping");
    drop(lab);
    Ok(())
}
