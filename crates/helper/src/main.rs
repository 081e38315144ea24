//! `acr-health-helper`: parses arguments, then hands over to `serve` or `check`.

use std::io::IsTerminal;
use std::process::ExitCode;
use std::sync::Arc;

use acr_health_helper::check;
use acr_health_helper::cli::{Cli, Command, ServeArgs};
use acr_health_helper::command::HostEnv;
use acr_health_helper::pairing::PairingSecret;
use acr_health_helper::registry::{self, proxy::ProxyEnv};
use acr_health_helper::run::RunContext;
use acr_health_helper::serve::{self, origins, Origin, ServeConfig};
use clap::Parser;
use tracing_subscriber::filter::LevelFilter;

fn main() -> ExitCode {
    // Help, version and usage errors exit here, before anything touches the environment.
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            let _ = err.print();
            return if err.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };

    // `check` prints its report on stdout; its logs stay at warnings unless RUST_LOG sets a level.
    let default_level = match cli.command {
        Command::Serve(_) => "info",
        Command::Check(_) => "warn",
    };
    init_logging(default_level);

    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => {
            tracing::error!(cause = %err, "failed to start the async runtime");
            return ExitCode::FAILURE;
        }
    };

    match cli.command {
        Command::Serve(args) => match runtime.block_on(serve_command(args)) {
            Ok(()) => ExitCode::SUCCESS,
            Err(err) => {
                tracing::error!(cause = %format!("{err:#}"), "serve failed");
                eprintln!("error: {err:#}");
                ExitCode::FAILURE
            }
        },
        Command::Check(args) => ExitCode::from(runtime.block_on(check::check(args))),
    }
}

/// Logs go to stderr. `RUST_LOG` sets the level (`error`, `warn`, `info`, `debug`, `trace` or
/// `off`); an unknown value keeps the default.
fn init_logging(default_level: &str) {
    let parse = |text: &str| text.trim().parse::<LevelFilter>().ok();
    let level = std::env::var("RUST_LOG")
        .ok()
        .and_then(|value| parse(&value))
        .or_else(|| parse(default_level))
        .unwrap_or(LevelFilter::INFO);
    tracing_subscriber::fmt()
        .with_max_level(level)
        .with_ansi(std::io::stderr().is_terminal())
        .with_writer(std::io::stderr)
        .init();
}

async fn serve_command(args: ServeArgs) -> anyhow::Result<()> {
    let mut extra_origins = Vec::new();
    for text in &args.allow_origin {
        extra_origins.push(Origin::parse(text)?);
    }
    if let Some(path) = &args.config {
        extra_origins.extend(origins::load_config_file(path)?);
    }

    let (listener, port) = serve::bind(args.port)
        .await
        .map_err(|err| anyhow::anyhow!("failed to listen on 127.0.0.1:{}: {err}", args.port))?;
    let config = ServeConfig {
        port,
        dist: args.dist,
        extra_origins,
        secret: PairingSecret::generate()?,
        limits: serve::Limits::default(),
        context: Arc::new(RunContext::new(
            HostEnv::from_process(),
            ProxyEnv::from_process(),
            args.ca_file.as_deref(),
            registry::DEFAULT_TIMEOUT,
        )?),
    };

    let url = serve::AppState::new(&config).pairing_url();
    println!("url: {url}");
    if !args.no_open {
        acr_health_helper::browser::open(&url);
    }

    serve::run(listener, config, shutdown_signal()).await?;
    Ok(())
}

/// Completes on Ctrl-C or, on Unix, SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(err) = tokio::signal::ctrl_c().await {
            tracing::error!(cause = %err, "failed to listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut stream) => {
                stream.recv().await;
            }
            Err(err) => {
                tracing::error!(cause = %err, "failed to listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();

    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutdown requested");
}
