//! Where `aws:CurrentTime` comes from when a request has no time of its own.

use std::sync::Arc;

use crate::context::Instant;

/// A clock for `aws:CurrentTime` / `aws:EpochTime`.
pub type Clock = Arc<dyn Fn() -> Option<Instant> + Send + Sync>;

/// The system clock (`None` on `wasm32-unknown-unknown`, which has none:
/// inject one with [`crate::AuthorizerBuilder::clock`]).
pub fn system_clock() -> Option<Instant> {
    #[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
    {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .ok()?;
        Some(Instant {
            seconds: i64::try_from(now.as_secs()).ok()?,
            nanos: now.subsec_nanos(),
        })
    }
    #[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
    {
        None
    }
}
