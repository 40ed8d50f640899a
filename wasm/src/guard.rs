//! The boundary: every export answers with a JSON envelope, never a panic.
//!
//! `{"ok": true, "value": …}` or `{"ok": false, "error": {"code", "message"}}`.
//! Natively (tests, benchmarks) a panic is caught and turned into an
//! `internal` error. In the browser the `wasm-release` profile aborts on
//! panic, so the hook installed here records the message first; the worker
//! reads it with `lastPanic()` after the trap and starts a fresh instance.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Mutex;

use serde::Serialize;

/// Why an export could not answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ApiError {
    /// `bad-input` (the request JSON is malformed) or `internal` (a bug).
    pub code: &'static str,
    /// What went wrong, for people.
    pub message: String,
}

impl ApiError {
    /// The request could not be read.
    pub fn bad_input(message: impl Into<String>) -> Self {
        ApiError {
            code: "bad-input",
            message: message.into(),
        }
    }

    /// A bug in keyward.
    pub fn internal(message: impl Into<String>) -> Self {
        ApiError {
            code: "internal",
            message: message.into(),
        }
    }
}

#[derive(Serialize)]
struct Success<'a, T> {
    ok: bool,
    value: &'a T,
}

#[derive(Serialize)]
struct Failure<'a> {
    ok: bool,
    error: &'a ApiError,
}

static LAST_PANIC: Mutex<Option<String>> = Mutex::new(None);

/// Run one export's body and answer with its envelope.
pub fn respond<T: Serialize>(body: impl FnOnce() -> Result<T, ApiError>) -> String {
    install_panic_hook();
    let outcome = catch_unwind(AssertUnwindSafe(body));
    let result = match outcome {
        Ok(result) => result,
        Err(payload) => Err(ApiError::internal(panic_text(payload.as_ref()))),
    };
    let json = match &result {
        Ok(value) => serde_json::to_string(&Success { ok: true, value }),
        Err(error) => serde_json::to_string(&Failure { ok: false, error }),
    };
    json.unwrap_or_else(|e| {
        let error = ApiError::internal(format!("could not encode the answer: {e}"));
        serde_json::to_string(&Failure {
            ok: false,
            error: &error,
        })
        .unwrap_or_default()
    })
}

/// Parse an export's JSON input, or say why it is malformed.
pub fn read_input<T: serde::de::DeserializeOwned>(json: &str) -> Result<T, ApiError> {
    serde_json::from_str(json).map_err(|e| ApiError::bad_input(format!("invalid request: {e}")))
}

/// The message of the last panic, if any (taken, so it is reported once).
pub fn take_last_panic() -> Option<String> {
    LAST_PANIC.lock().ok().and_then(|mut slot| slot.take())
}

fn panic_text(payload: &(dyn std::any::Any + Send)) -> String {
    let text = payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_string());
    format!("keyward crashed: {text}")
}

#[cfg(target_arch = "wasm32")]
fn install_panic_hook() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        std::panic::set_hook(Box::new(|info| {
            let text = panic_text(info.payload());
            let place = info
                .location()
                .map(|l| format!(" at {}:{}", l.file(), l.line()))
                .unwrap_or_default();
            if let Ok(mut slot) = LAST_PANIC.lock() {
                *slot = Some(format!("{text}{place}"));
            }
        }));
    });
}

#[cfg(not(target_arch = "wasm32"))]
fn install_panic_hook() {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_is_wrapped_as_ok() {
        assert_eq!(respond(|| Ok(3)), r#"{"ok":true,"value":3}"#);
    }

    #[test]
    fn an_error_is_a_value() {
        let out = respond::<()>(|| Err(ApiError::bad_input("nope")));
        assert_eq!(
            out,
            r#"{"ok":false,"error":{"code":"bad-input","message":"nope"}}"#
        );
    }

    #[test]
    fn a_panic_becomes_an_internal_error() {
        let out = respond::<()>(|| panic!("boom"));
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["ok"], false);
        assert_eq!(v["error"]["code"], "internal");
        assert!(v["error"]["message"].as_str().unwrap().contains("boom"));
    }

    #[test]
    fn malformed_input_is_reported_not_panicked() {
        let err = read_input::<Vec<u8>>("{").unwrap_err();
        assert_eq!(err.code, "bad-input");
    }
}
