//! What the lints know about CloudTrail records: field names and their types.

/// Field paths that occur in CloudTrail records (the selectors people write).
pub const KNOWN_FIELDS: &[&str] = &[
    "eventVersion",
    "userIdentity",
    "userIdentity.type",
    "userIdentity.principalId",
    "userIdentity.arn",
    "userIdentity.accountId",
    "userIdentity.accessKeyId",
    "userIdentity.userName",
    "userIdentity.invokedBy",
    "userIdentity.identityProvider",
    "userIdentity.credentialId",
    "userIdentity.sessionContext",
    "userIdentity.sessionContext.attributes",
    "userIdentity.sessionContext.attributes.mfaAuthenticated",
    "userIdentity.sessionContext.attributes.creationDate",
    "userIdentity.sessionContext.sessionIssuer",
    "userIdentity.sessionContext.sessionIssuer.type",
    "userIdentity.sessionContext.sessionIssuer.userName",
    "userIdentity.sessionContext.sessionIssuer.arn",
    "userIdentity.sessionContext.sessionIssuer.principalId",
    "userIdentity.sessionContext.sessionIssuer.accountId",
    "eventTime",
    "eventSource",
    "eventName",
    "awsRegion",
    "sourceIPAddress",
    "userAgent",
    "errorCode",
    "errorMessage",
    "requestParameters",
    "responseElements",
    "responseElements.ConsoleLogin",
    "additionalEventData",
    "additionalEventData.MFAUsed",
    "additionalEventData.LoginTo",
    "additionalEventData.MobileVersion",
    "requestID",
    "eventID",
    "readOnly",
    "resources",
    "eventType",
    "apiVersion",
    "managementEvent",
    "recipientAccountId",
    "serviceEventDetails",
    "sharedEventID",
    "vpcEndpointId",
    "eventCategory",
    "tlsDetails",
    "sessionCredentialFromConsole",
];

/// JSON booleans in a CloudTrail record: test them with `IS TRUE` / `IS FALSE`.
pub const BOOLEAN_FIELDS: &[&str] = &["readOnly", "managementEvent"];

/// Fields many records lack: `!=` on them never matches those records. Fields that are
/// always present for the events that use them (`additionalEventData.MFAUsed` on
/// `ConsoleLogin`) are left out, so the CIS patterns are not flagged.
pub const OPTIONAL_FIELDS: &[&str] = &[
    "userIdentity.invokedBy",
    "userIdentity.userName",
    "userIdentity.accessKeyId",
    "userIdentity.sessionContext",
    "errorCode",
    "errorMessage",
    "vpcEndpointId",
];

/// The number of parts of the deepest known field path.
pub fn known_field_depth() -> usize {
    KNOWN_FIELDS
        .iter()
        .map(|f| f.split('.').count())
        .max()
        .unwrap_or(1)
}

/// True when `path` is, or lies under, one of `fields`.
pub fn is_under(path: &str, fields: &[&str]) -> bool {
    fields
        .iter()
        .any(|f| path == *f || (path.starts_with(f) && path.as_bytes().get(f.len()) == Some(&b'.')))
}

/// The correctly cased known field when `path` differs from one only in case.
pub fn case_fix(path: &str) -> Option<&'static str> {
    if KNOWN_FIELDS.contains(&path) {
        return None;
    }
    KNOWN_FIELDS
        .iter()
        .copied()
        .find(|known| known.eq_ignore_ascii_case(path))
}
