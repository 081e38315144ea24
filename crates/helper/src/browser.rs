//! Opening the page in the user's browser.

use std::process::{Command, Stdio};

/// Opens `url` with the platform's URL handler, without a shell. A failure is logged and
/// otherwise ignored: the address is printed on stdout anyway.
///
/// NOTE: the URL, with its pairing secret, is an argument of the opener process, so other local
/// processes of the same user can read it while that process runs.
pub fn open(url: &str) {
    let mut command = if cfg!(target_os = "macos") {
        Command::new("open")
    } else if cfg!(windows) {
        let mut command = Command::new("rundll32");
        command.arg("url.dll,FileProtocolHandler");
        command
    } else {
        Command::new("xdg-open")
    };
    command
        .arg(url)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    match command.spawn() {
        Ok(_) => tracing::info!("opened the page in the browser"),
        Err(err) => {
            tracing::warn!(cause = %err, "failed to open a browser; open the printed url by hand")
        }
    }
}
