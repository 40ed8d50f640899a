//! Model → normalized JSON text. (Placeholder.)

use crate::model::Policy;

/// Print `policy` as normalized, pretty JSON.
pub fn to_json_string(policy: &Policy) -> String {
    let _ = policy;
    String::new()
}
