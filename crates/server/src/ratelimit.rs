//! Per-credential rate limit: a token bucket per authenticated host. Written here because
//! the key (the host id) is only known after the tenant check, inside the extractor, where
//! tower middleware keyed by IP (tower_governor) cannot see it; the map is bounded.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

use crate::error::Error;

/// Token buckets by host id.
#[derive(Debug)]
pub struct Limiter {
    per_second: f64,
    burst: f64,
    buckets: Mutex<HashMap<i64, (f64, Instant)>>,
}

const MAX_TRACKED: usize = 200_000;

impl Limiter {
    /// A limiter allowing `per_second` requests per host with bursts of `burst`.
    #[must_use]
    pub fn new(per_second: f64, burst: f64) -> Self {
        Self {
            per_second,
            burst,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes one token for the host.
    ///
    /// # Errors
    /// 429 when the host's bucket is empty.
    pub fn check(&self, host: i64) -> Result<(), Error> {
        let now = Instant::now();
        let mut map = self
            .buckets
            .lock()
            .map_err(|_| Error::internal("rate limiter"))?;
        if map.len() >= MAX_TRACKED && !map.contains_key(&host) {
            map.retain(|_, (tokens, at)| {
                *tokens + now.duration_since(*at).as_secs_f64() * self.per_second < self.burst
            });
        }
        let (tokens, at) = map.entry(host).or_insert((self.burst, now));
        *tokens =
            (*tokens + now.duration_since(*at).as_secs_f64() * self.per_second).min(self.burst);
        *at = now;
        if *tokens < 1.0 {
            return Err(Error::coded(
                429,
                "too_many_requests",
                format!("> {}/s", self.per_second),
            ));
        }
        *tokens -= 1.0;
        Ok(())
    }
}
