//! CloudWatch's matching rules, one test per trap, each with the reason CloudWatch
//! behaves so (sources in docs/pattern-language.md).

use serde_json::{Value, json};
use trailwatch::pattern::{LogEvent, Pattern, parse};

fn pattern(text: &str) -> Pattern {
    match parse(text) {
        Ok(p) => p,
        Err(e) => panic!("{text:?} should parse: {e:?}"),
    }
}

fn matches(text: &str, record: Value) -> bool {
    pattern(text).matches(&LogEvent::from_json(record))
}

fn matches_text(text: &str, message: &str) -> bool {
    pattern(text).matches(&LogEvent::from_text(message))
}

fn root_event() -> Value {
    json!({
        "eventVersion": "1.08",
        "userIdentity": {"type": "Root", "principalId": "123456789012", "arn": "arn:aws:iam::123456789012:root", "accountId": "123456789012"},
        "eventSource": "iam.amazonaws.com",
        "eventName": "CreateUser",
        "eventType": "AwsApiCall",
        "readOnly": false,
        "sourceIPAddress": "198.51.100.7",
        "resources": [{"ARN": "arn:aws:iam::123456789012:user/alice"}, {"ARN": "arn:aws:iam::123456789012:user/bob"}],
        "requestParameters": {"userName": "alice", "count": 3},
        "responseElements": null
    })
}

#[test]
fn missing_field_fails_every_comparison_including_not_equal() {
    // The record has no userIdentity.invokedBy. CloudWatch's console test returns "no
    // match" for `!=` on it (azul #5884): a real project missed root events this way.
    assert!(!matches(
        r#"{ $.userIdentity.invokedBy != "cloudfront.amazonaws.com" }"#,
        root_event()
    ));
    assert!(!matches(
        r#"{ $.userIdentity.invokedBy = "*" }"#,
        root_event()
    ));
    // NOT EXISTS is the way to test absence.
    assert!(matches(
        r#"{ $.userIdentity.invokedBy NOT EXISTS }"#,
        root_event()
    ));
    assert!(!matches(r#"{ $.eventName NOT EXISTS }"#, root_event()));
}

#[test]
fn cis_root_pattern_needs_not_exists() {
    let cis = r#"{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }"#;
    assert!(matches(cis, root_event()));
    let mut service = root_event();
    service["userIdentity"]["invokedBy"] = json!("support.amazonaws.com");
    assert!(!matches(cis, service));
}

#[test]
fn string_false_is_not_the_boolean_false() {
    // JSON booleans are tested with IS TRUE / IS FALSE; `= "false"` compares a string with
    // a boolean and never matches (reported as an alarm that never fired).
    assert!(!matches(r#"{ $.readOnly = "false" }"#, root_event()));
    assert!(!matches(r#"{ $.readOnly = false }"#, root_event()));
    assert!(!matches(r#"{ $.readOnly != "true" }"#, root_event()));
    assert!(matches(r#"{ $.readOnly IS FALSE }"#, root_event()));
    assert!(!matches(r#"{ $.readOnly IS TRUE }"#, root_event()));
}

#[test]
fn values_and_selectors_are_case_sensitive() {
    // "Filter patterns are case sensitive."
    assert!(matches(r#"{ $.eventName = "CreateUser" }"#, root_event()));
    assert!(!matches(r#"{ $.eventName = "createuser" }"#, root_event()));
    assert!(!matches(r#"{ $.eventname = "CreateUser" }"#, root_event()));
}

#[test]
fn equality_matches_the_whole_value_and_star_is_a_wildcard() {
    // "The items in the JSON log event data must exactly match the metric filter."
    assert!(!matches(r#"{ $.eventName = "Create" }"#, root_event()));
    assert!(matches(r#"{ $.eventName = "Create*" }"#, root_event()));
    assert!(matches(r#"{ $.eventName = "*User" }"#, root_event()));
    assert!(matches(r#"{ $.eventName = * }"#, root_event()));
    // Unquoted values with dots and stars are accepted (AWS's own examples use them).
    assert!(matches(
        r#"{ $.eventSource = iam.amazonaws.com }"#,
        root_event()
    ));
    assert!(matches(
        r#"{ $.sourceIPAddress != 123.123.* }"#,
        root_event()
    ));
}

#[test]
fn quoted_json_pattern_is_a_literal_term() {
    // A pattern starting with `"` is a quoted term: the message must contain that text.
    let quoted = r#""{ $.eventName = CreateUser }""#;
    assert!(matches!(pattern(quoted), Pattern::Terms(_)));
    assert!(!matches(quoted, root_event()));
    // A quoted value is a literal string, never a regex (aws-cdk #30451).
    assert!(!matches(r#"{ $.eventName = "%User%" }"#, root_event()));
}

#[test]
fn and_binds_tighter_than_or() {
    // Documented: "() > && > ||", and the documentation's worked example only works so:
    // T || (F && F) is true, (T || F) && F would be false.
    let record = json!({"user": {"email": "John.Stiles@example.com"}, "coordinates": [[0, 1]], "actions": ["GET", "PUT", "DELETE"]});
    assert!(matches(
        r#"{ $.user.email = "John.Stiles@example.com" || $.coordinates[0][1] = "nonmatch" && $.actions[2] = "nonmatch" }"#,
        record.clone()
    ));
    assert!(!matches(
        r#"{ ($.user.email = "John.Stiles@example.com" || $.coordinates[0][1] = "nonmatch") && $.actions[2] = "nonmatch" }"#,
        record
    ));
}

#[test]
fn cis_unauthorized_v15_excludes_only_the_access_denied_branch() {
    // `A || B && C && D` is `A || (B && C && D)`: every *UnauthorizedOperation matches,
    // AccessDenied only when not from delivery.logs and not HeadBucket.
    let cis = r#"{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") && ($.sourceIPAddress!="delivery.logs.amazonaws.com") && ($.eventName!="HeadBucket") }"#;
    let unauthorized = json!({"errorCode": "Client.UnauthorizedOperation", "eventName": "HeadBucket", "sourceIPAddress": "delivery.logs.amazonaws.com"});
    let denied = json!({"errorCode": "AccessDenied", "eventName": "GetObject", "sourceIPAddress": "198.51.100.7"});
    let head_bucket = json!({"errorCode": "AccessDenied", "eventName": "HeadBucket", "sourceIPAddress": "198.51.100.7"});
    let delivery = json!({"errorCode": "AccessDenied", "eventName": "GetBucketAcl", "sourceIPAddress": "delivery.logs.amazonaws.com"});
    assert!(matches(cis, unauthorized));
    assert!(matches(cis, denied));
    assert!(!matches(cis, head_bucket));
    assert!(!matches(cis, delivery));
}

#[test]
fn selector_on_array_or_object_never_matches() {
    // "both {$.users = 1} and {$.users != 1} will fail to match" when users is an array.
    assert!(!matches(r#"{ $.resources = "x" }"#, root_event()));
    assert!(!matches(r#"{ $.resources != "x" }"#, root_event()));
    assert!(!matches(r#"{ $.userIdentity != "x" }"#, root_event()));
    // Indexes and wildcard selectors reach into arrays.
    assert!(matches(
        r#"{ $.resources[1].ARN = "*:user/bob" }"#,
        root_event()
    ));
    assert!(!matches(r#"{ $.resources[2].ARN = "*" }"#, root_event()));
    assert!(matches(
        r#"{ $.resources[*].ARN = "*:user/bob" }"#,
        root_event()
    ));
    assert!(matches(
        r#"{ $.requestParameters.* = "alice" }"#,
        root_event()
    ));
    // Bracket notation for keys with dots.
    assert!(matches(
        r#"{ $.['cluster.name'] = "c1" }"#,
        json!({"cluster.name": "c1"})
    ));
}

#[test]
fn is_null_and_numbers() {
    assert!(matches(r#"{ $.responseElements IS NULL }"#, root_event()));
    assert!(!matches(r#"{ $.eventName IS NULL }"#, root_event()));
    assert!(matches(
        r#"{ $.requestParameters.count >= 3 }"#,
        root_event()
    ));
    assert!(matches(
        r#"{ $.requestParameters.count < 3.5 }"#,
        root_event()
    ));
    assert!(matches(
        r#"{ $.requestParameters.count = 3e0 }"#,
        root_event()
    ));
    assert!(!matches(
        r#"{ $.requestParameters.count > 3 }"#,
        root_event()
    ));
    // Strict typing: a number never equals a string field (documentation is silent).
    assert!(!matches(r#"{ $.eventVersion = 1.08 }"#, root_event()));
    // "Use the asterisk as a wild card to match numbers."
    assert!(matches(
        r#"{ $.requestParameters.count = 3* }"#,
        root_event()
    ));
}

#[test]
fn regex_values_search_unanchored() {
    // `{ $.eventType = %Trail% }` matches "UpdateTrail": a regex is a search.
    assert!(matches(r#"{ $.eventName = %User% }"#, root_event()));
    assert!(!matches(r#"{ $.eventName = %^User% }"#, root_event()));
    assert!(matches(r#"{ $.eventName = %^Create[A-Z]% }"#, root_event()));
    assert!(matches(r#"{ $.eventName != %Delete% }"#, root_event()));
}

#[test]
fn json_pattern_never_matches_a_non_json_message() {
    assert!(!matches_text(r#"{ $.eventName = * }"#, "plain text line"));
    assert!(matches_text(
        r#"{ $.eventName = "A" }"#,
        r#"{"eventName":"A"}"#
    ));
}

#[test]
fn terms_are_case_sensitive_substrings() {
    // Every AWS example matches inside longer words: ERROR matches "ERRORCODE".
    assert!(matches_text("ERROR", "Exiting with ERRORCODE: -1"));
    assert!(!matches_text("ERROR", "error: lower case"));
    assert!(matches_text(
        "ERROR Exception",
        "[ERROR] Caught IllegalArgumentException"
    ));
    assert!(!matches_text("ERROR Exception", "[ERROR] Caught nothing"));
    assert!(matches_text(
        r#""INTERNAL SERVER ERROR""#,
        "500 INTERNAL SERVER ERROR here"
    ));
    assert!(!matches_text(
        r#""INTERNAL SERVER ERROR""#,
        "INTERNAL ERROR SERVER"
    ));
}

#[test]
fn optional_and_excluded_terms() {
    assert!(matches_text("?ERROR ?WARN", "WARN disk"));
    assert!(!matches_text("?ERROR ?WARN", "INFO disk"));
    assert!(matches_text("ERROR -Exiting", "ERROR bad"));
    assert!(!matches_text("ERROR -Exiting", "ERROR Exiting now"));
    // "If you combine ? with other filter patterns, all question mark terms will be
    // ignored": `?ERROR ?ARGUMENTS REQUEST` matches every event containing REQUEST.
    assert!(matches_text("?ERROR ?ARGUMENTS REQUEST", "REQUEST ok"));
    assert!(!matches_text("?ERROR ?ARGUMENTS REQUEST", "ERROR only"));
}

#[test]
fn empty_pattern_matches_everything() {
    assert!(matches("", root_event()));
    assert!(matches("   ", json!({})));
    assert!(matches_text("", "anything"));
}

#[test]
fn space_delimited_fields() {
    let line =
        r#"127.0.0.1 Prod frank [10/Oct/2000:13:25:15 -0700] "GET /index.html HTTP/1.0" 404 1534"#;
    assert!(matches_text(
        "[ip, user, username, timestamp, request, status_code, bytes]",
        line
    ));
    assert!(matches_text(
        r#"[ip, user, username, timestamp, request = "*html*", status_code = 4*, bytes]"#,
        line
    ));
    assert!(matches_text(
        "[ip, user, username, timestamp, request, status_code = 404 || status_code = 410, bytes > 1000]",
        line
    ));
    assert!(!matches_text(
        "[ip, user, username, timestamp, request, status_code, bytes > 2000]",
        line
    ));
    assert!(matches_text("[..., status_code = 404, bytes]", line));
    assert!(matches_text("[ip = %127\\.0\\.0\\.[1-9]%, ...]", line));
    assert!(matches_text(
        r#"[ip, user, username, timestamp = "10/Oct/2000:13:25:15 -0700", ...]"#,
        line
    ));
    // Too few tokens never match.
    assert!(!matches_text("[a, b, c]", "one two"));
    // The last field takes the rest: the documentation applies `[w1=ERROR, w2]` to a
    // six-word line.
    assert!(matches_text(
        "[w1 = ERROR, w2]",
        "ERROR 09/25/2014 12:00:02 Failed to process request"
    ));
    assert!(!matches_text(
        "[w1 = ERROR, w2]",
        "INFO 09/25/2014 12:00:02 fine"
    ));
    assert!(matches_text(
        "[w1 != ERROR && w1 != WARNING, w2]",
        "INFO started"
    ));
}

#[test]
fn pathological_space_delimited_input_stays_bounded() {
    // Several ellipses over a long line: alignment is capped, not exponential.
    let line = "a ".repeat(5_000);
    let p = pattern("[..., x = b, ..., y = c, ..., z = d, ...]");
    assert!(!p.matches(&LogEvent::from_text(line)));
}
