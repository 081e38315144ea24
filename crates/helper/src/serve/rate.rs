//! A per-client request limit over a fixed window.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Counts requests per client address in fixed windows.
///
/// Every local process shares the loopback address, so this limits a hostile page's pairing
/// guesses and floods rather than telling users apart.
pub struct RateLimiter {
    max: u32,
    window: Duration,
    clients: Mutex<HashMap<IpAddr, Window>>,
}

struct Window {
    started: Instant,
    count: u32,
}

/// Entries kept before old windows are dropped.
const MAX_TRACKED_CLIENTS: usize = 1024;

impl RateLimiter {
    pub fn new(max: u32, window: Duration) -> RateLimiter {
        RateLimiter {
            max,
            window,
            clients: Mutex::new(HashMap::new()),
        }
    }

    /// Records one request from `client`. Returns `Err(retry_after)` when the client is over
    /// its limit for the current window.
    pub fn check(&self, client: IpAddr, now: Instant) -> Result<(), Duration> {
        let mut clients = self
            .clients
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());

        if clients.len() >= MAX_TRACKED_CLIENTS {
            let window = self.window;
            clients.retain(|_, w| now.duration_since(w.started) < window);
        }

        let entry = clients.entry(client).or_insert(Window {
            started: now,
            count: 0,
        });
        if now.duration_since(entry.started) >= self.window {
            entry.started = now;
            entry.count = 0;
        }
        if entry.count >= self.max {
            return Err(self
                .window
                .saturating_sub(now.duration_since(entry.started)));
        }
        entry.count += 1;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::Ipv4Addr;

    #[test]
    fn check_limits_within_window() {
        let limiter = RateLimiter::new(2, Duration::from_secs(10));
        let client = IpAddr::V4(Ipv4Addr::LOCALHOST);
        let start = Instant::now();
        assert!(limiter.check(client, start).is_ok());
        assert!(limiter.check(client, start).is_ok());
        assert!(limiter
            .check(client, start + Duration::from_secs(1))
            .is_err());
    }

    #[test]
    fn check_resets_after_window() {
        let limiter = RateLimiter::new(1, Duration::from_secs(10));
        let client = IpAddr::V4(Ipv4Addr::LOCALHOST);
        let start = Instant::now();
        assert!(limiter.check(client, start).is_ok());
        assert!(limiter
            .check(client, start + Duration::from_secs(11))
            .is_ok());
    }

    #[test]
    fn check_counts_clients_apart() {
        let limiter = RateLimiter::new(1, Duration::from_secs(10));
        let start = Instant::now();
        assert!(limiter
            .check(IpAddr::V4(Ipv4Addr::LOCALHOST), start)
            .is_ok());
        assert!(limiter
            .check(IpAddr::V4(Ipv4Addr::new(127, 0, 0, 2)), start)
            .is_ok());
    }
}
