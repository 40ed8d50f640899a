//! Stable codes of the diagnostics lowering reports (`policy::…`).

/// An element name the policy language does not have.
pub const UNKNOWN_ELEMENT: &str = "policy::unknown-element";
/// A value of the wrong JSON type.
pub const WRONG_TYPE: &str = "policy::wrong-type";
/// No `Statement` element.
pub const MISSING_STATEMENT: &str = "policy::missing-statement";
/// An empty `Statement` array.
pub const NO_STATEMENTS: &str = "policy::no-statements";
/// A `Version` other than the two AWS knows.
pub const INVALID_VERSION: &str = "policy::invalid-version";
/// A statement without `Effect`.
pub const MISSING_EFFECT: &str = "policy::missing-effect";
/// An `Effect` other than `Allow` or `Deny`.
pub const INVALID_EFFECT: &str = "policy::invalid-effect";
/// A statement without `Action` or `NotAction`.
pub const MISSING_ACTION: &str = "policy::missing-action";
/// Both an element and its `Not…` form in one statement.
pub const CONFLICTING_ELEMENTS: &str = "policy::conflicting-elements";
/// An action that is not `*` or `service:action`.
pub const INVALID_ACTION: &str = "policy::invalid-action";
/// A resource that is not `*` or an ARN.
pub const INVALID_RESOURCE: &str = "policy::invalid-resource";
/// A principal that AWS would not accept.
pub const INVALID_PRINCIPAL: &str = "policy::invalid-principal";
/// An IAM group named as a principal.
pub const GROUP_PRINCIPAL: &str = "policy::group-principal";
/// A condition operator the policy language does not have.
pub const UNKNOWN_OPERATOR: &str = "policy::unknown-operator";
/// A condition value that does not fit its operator's type.
pub const INVALID_CONDITION_VALUE: &str = "policy::invalid-condition-value";
/// An empty list where at least one value is needed.
pub const EMPTY_VALUE: &str = "policy::empty-value";
/// A malformed `${…}` policy variable.
pub const INVALID_VARIABLE: &str = "policy::invalid-variable";
/// Lowering stopped after too many errors.
pub const TOO_MANY_ERRORS: &str = "policy::too-many-errors";

/// Every code above, for registries and documentation.
pub const ALL_CODES: &[&str] = &[
    UNKNOWN_ELEMENT,
    WRONG_TYPE,
    MISSING_STATEMENT,
    NO_STATEMENTS,
    INVALID_VERSION,
    MISSING_EFFECT,
    INVALID_EFFECT,
    MISSING_ACTION,
    CONFLICTING_ELEMENTS,
    INVALID_ACTION,
    INVALID_RESOURCE,
    INVALID_PRINCIPAL,
    GROUP_PRINCIPAL,
    UNKNOWN_OPERATOR,
    INVALID_CONDITION_VALUE,
    EMPTY_VALUE,
    INVALID_VARIABLE,
    TOO_MANY_ERRORS,
];
