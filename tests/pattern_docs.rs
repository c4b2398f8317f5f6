//! Every worked example on AWS's CloudWatch Logs filter-pattern pages, current and
//! archived, with the outcome the page states. Sources (see docs/pattern-language.md):
//!
//! - `now`: *Filter pattern syntax for metric filters, subscription filters, filter log
//!   events, and Live Tail* (docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html)
//! - `json`, `unstr`, `regex`: the pages split out of it (matching-terms-json-log-events,
//!   the unstructured-events page, regex-expressions)
//! - `2022`, `2020`, `2018`: awsdocs/amazon-cloudwatch-logs-user-guide
//!   `doc_source/FilterAndPatternSyntax.md` at 5bd7d24 (2022-03), 5ae5c9a (2020-09) and
//!   e9343db (2018-03, first upload)
//!
//! Where a page gives a pattern but no event, the event is ours and says so. Where pages
//! disagree or state an outcome trailwatch does not follow, the example is in
//! `DISAGREEMENTS` with the reason.

use trailwatch::pattern::{LogEvent, analyze};

#[derive(Debug, Clone, Copy, PartialEq)]
enum Outcome {
    Match,
    NoMatch,
    /// CloudWatch refuses the pattern (PutMetricFilter fails).
    Refused,
}
use Outcome::{Match, NoMatch, Refused};

struct Example {
    source: &'static str,
    pattern: &'static str,
    event: &'static str,
    outcome: Outcome,
}

const fn ex(
    source: &'static str,
    pattern: &'static str,
    event: &'static str,
    outcome: Outcome,
) -> Example {
    Example {
        source,
        pattern,
        event,
        outcome,
    }
}

/// The JSON event of the current page (`now`, `json`), on one line as the page asks.
const TRAIL: &str = r#"{"eventType": "UpdateTrail", "sourceIPAddress": "111.111.111.111", "arrayKey": ["value", "another value"], "objectList": [{"name": "a", "id": 1}, {"name": "b", "id": 2}], "SomeObject": null, "cluster.name": "c"}"#;
/// The 2018–2020 version of that event: `ThisFlag` instead of `cluster.name`.
const TRAIL_2020: &str = r#"{"eventType": "UpdateTrail", "sourceIPAddress": "111.111.111.111", "arrayKey": ["value", "another value"], "objectList": [{"name": "a", "id": 1}, {"name": "b", "id": 2}], "SomeObject": null, "ThisFlag": true}"#;
/// The compound-expression event (every version).
const USERS: &str = r#"{"user": {"id": 1, "email": "John.Stiles@example.com"}, "users": [{"id": 2, "email": "John.Doe@example.com"}, {"id": 3, "email": "Jane.Doe@example.com"}], "actions": ["GET", "PUT", "DELETE"], "coordinates": [[0, 1, 2], [4, 5, 6], [7, 8, 9]]}"#;
/// The space-delimited event of the current page.
const ACCESS: &str =
    r#"127.0.0.1 Prod frank [10/Oct/2000:13:25:15 -0700] "GET /index.html HTTP/1.0" 404 1534"#;
/// The 2018–2020 pages' access log (three lines) and extraction example. The page writes
/// the extraction event with `\"` (copied from a JSON string); its quotes are plain ones.
const APACHE_200: &str =
    r#"127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] "GET /apache_pb.gif HTTP/1.0" 200 1534"#;
const APACHE_500: &str =
    r#"127.0.0.1 - frank [10/Oct/2000:13:35:22 -0700] "GET /apache_pb.gif HTTP/1.0" 500 5324"#;
const APACHE_404: &str =
    r#"127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] "GET /index.html HTTP/1.0" 404 1534"#;
/// The current page's four-line application log.
const GET: &str = "INFO 09/25/2014 12:00:00 GET /service/resource/67 1200";
const POST: &str = "INFO 09/25/2014 12:00:01 POST /service/resource/67/part/111 1310";
const WARNING: &str = "WARNING 09/25/2014 12:00:02 Invalid user request";
const FAILED: &str = "ERROR 09/25/2014 12:00:02 Failed to process request";

const EXAMPLES: &[Example] = &[
    // ---- regex (now, regex) ----
    ex(
        "now",
        "%AUTHORIZED%",
        "[ERROR 401] UNAUTHORIZED REQUEST",
        Match,
    ),
    ex(
        "now",
        "%AUTHORIZED%",
        "[SUCCESS 200] AUTHORIZED REQUEST",
        Match,
    ),
    ex("now", "%^[hc]at%", "hat", Match),
    ex("now", "%^[hc]at%", "cat", Match),
    ex("now", "%^[hc]at%", "that", NoMatch), // "only at the beginning of a string"
    ex("now", "%[hc]at$%", "that", Match),
    ex("now", "%[hc]at$%", "cats", NoMatch), // "only at the end of a string"
    ex("now", "%colou?r%", "color", Match),
    ex("now", "%colou?r%", "colour", Match),
    ex("now", "%[abc]%", "b", Match),
    ex("now", "%[a-z]%", "q", Match),
    ex("now", "%[abcx-z]%", "y", Match),
    ex("now", "%[abcx-z]%", "m", NoMatch),
    ex("now", "%a{3,5}%", "aaa", Match),
    ex("now", "%a{3,5}%", "aaaa", Match),
    ex("now", "%a{3,5}%", "aaaaa", Match),
    ex("now", "%a{3,5}%", "aa", NoMatch),
    ex("now", "%gra|ey%", "gray", Match),
    ex("now", "%gra|ey%", "grey", Match),
    ex(
        "now",
        "%^starting|^initializing|^shutting down%",
        "starting up",
        Match,
    ),
    ex(
        "now",
        "%^starting|^initializing|^shutting down%",
        "initializing cache",
        Match,
    ),
    ex(
        "now",
        "%^starting|^initializing|^shutting down%",
        "shutting down",
        Match,
    ),
    ex(
        "now",
        "%^starting|^initializing|^shutting down%",
        "skipping initializing now",
        NoMatch,
    ),
    // The page writes `%abcc|ab[^c]$` without its closing `%` (see DISAGREEMENTS).
    ex("now", "%abcc|ab[^c]$%", "abcc", Match),
    ex("now", "%abcc|ab[^c]$%", "aba", Match),
    ex("now", "%abcc|ab[^c]$%", "aac", NoMatch),
    ex("now", r"%\[.\]%", "[a]", Match),
    ex("now", r"%\[.\]%", "[7]", Match),
    ex("now", r"%\[.\]%", "[@]", Match),
    ex("now", r"%\[.\]%", "[]]", Match),
    ex("now", r"%\[.\]%", "[ ]", Match),
    ex("now", r"%10\.10\.0\.1%", "10.10.0.1", Match),
    ex("now", r"%10\.10\.0\.1%", "10010,051", NoMatch),
    ex("now", "%10.10.0.1%", "10010,051", Match), // "can match 10010,051"
    ex("now", "%ab*c%", "ac", Match),
    ex("now", "%ab*c%", "abc", Match),
    ex("now", "%ab*c%", "abbbc", Match),
    ex("now", "%ab[0-9]*%", "ab", Match),
    ex("now", "%ab[0-9]*%", "ab129", Match),
    ex("now", "%ab+c%", "abbc", Match),
    ex("now", "%ab+c%", "ac", NoMatch),
    ex("now", "%.at%", "4at", Match),
    ex("now", "%.at%", "#at", Match),
    ex("now", "%.at%", " at", Match),
    ex("now", r"%\d%", "a1", Match),
    ex("now", r"%\d%", "abc", NoMatch),
    ex("now", r"%\D%", "123", NoMatch),
    ex("now", r"%\s%", "a\tb", Match),
    ex("now", r"%\S%", "   ", NoMatch),
    ex("now", r"%\w%", "_", Match),
    ex("now", r"%\W%", "abc_9", NoMatch),
    ex("now", r"%\x3A%", "a:b", Match),
    ex("now", r"%\x28%", "f(x)", Match),
    ex("now", "%something!%", "something!", Refused),
    ex("now", "%(Put|Delete)Policy%", "PutPolicy", Refused), // "( and ) … are not supported"
    ex("now", "%über%", "über", Refused), // "Multi-byte characters are not supported"
    ex("regex", "%[Ee]rror|[Ff]ail%", "error: disk", Match),
    ex("regex", "%[Ee]rror|[Ff]ail%", "Failed", Match),
    ex(
        "regex",
        r"%\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}%",
        "from 10.0.12.7",
        Match,
    ),
    // ---- unstructured (now, unstr) ----
    ex("now", "ERROR", "[ERROR 400] BAD REQUEST", Match),
    ex("now", "ERROR", "[ERROR 420] INVALID ARGUMENTS", Match),
    ex(
        "now",
        "ERROR ARGUMENTS",
        "[ERROR 419] MISSING ARGUMENTS",
        Match,
    ),
    ex("now", "ERROR ARGUMENTS", "[ERROR 400] BAD REQUEST", NoMatch),
    ex(
        "now",
        "ERROR ARGUMENTS",
        "[ERROR 401] UNAUTHORIZED REQUEST",
        NoMatch,
    ),
    ex("now", "?ERROR ?ARGUMENTS", "[ERROR 400] BAD REQUEST", Match),
    ex(
        "now",
        "?ERROR ?ARGUMENTS",
        "[ERROR 420] INVALID ARGUMENTS",
        Match,
    ),
    ex(
        "unstr",
        "?ERROR ?ARGUMENTS",
        "[INFO] INVALID ARGUMENTS PROVIDED",
        Match,
    ),
    // "If you combine "?" with other filter patterns, all question mark terms will be ignored."
    ex(
        "now",
        "?ERROR ?ARGUMENTS REQUEST",
        "[INFO] REQUEST FAILED",
        Match,
    ),
    ex(
        "now",
        "?ERROR ?ARGUMENTS REQUEST",
        "[WARN] UNAUTHORIZED REQUEST",
        Match,
    ),
    ex(
        "now",
        "?ERROR ?ARGUMENTS REQUEST",
        "[ERROR] 400 BAD REQUEST",
        Match,
    ),
    ex(
        "now",
        "\"INTERNAL SERVER ERROR\"",
        "[ERROR 500] INTERNAL SERVER ERROR",
        Match,
    ),
    ex(
        "now",
        "ERROR -ARGUMENTS",
        "[ERROR 401] UNAUTHORIZED REQUEST",
        Match,
    ),
    ex(
        "now",
        "ERROR -ARGUMENTS",
        "[ERROR 419] MISSING ARGUMENTS",
        NoMatch,
    ),
    ex(
        "now",
        "ERROR -ARGUMENTS",
        "[ERROR 420] INVALID ARGUMENTS",
        NoMatch,
    ),
    // "You can match everything in your log events with double quotation marks."
    ex("now", "\" \"", "[ERROR 400] BAD REQUEST", Match),
    ex("now", "\" \"", "nospaceshere", Match),
    ex("now", "\" \"", TRAIL, Match),
    ex("2020", "\"\"", "nospaceshere", Match), // "The filter pattern "" matches all log events."
    // The 2018–2020 pages quote patterns in prose ("The filter pattern "ERROR" matches").
    ex(
        "2020",
        "ERROR",
        "[ERROR] A fatal exception has occurred",
        Match,
    ),
    ex("2020", "ERROR", "Exiting with ERRORCODE: -1", Match),
    ex(
        "2020",
        "ERROR -Exiting",
        "Exiting with ERRORCODE: -1",
        NoMatch,
    ),
    ex(
        "2020",
        "ERROR Exception",
        "[ERROR] Caught IllegalArgumentException",
        Match,
    ),
    ex(
        "2020",
        "ERROR Exception",
        "[ERROR] Unhandled Exception",
        Match,
    ),
    ex(
        "2020",
        "\"ERROR\" \"Exception\"",
        "[ERROR] Unhandled Exception",
        Match,
    ), // ca5f125
    ex(
        "2020",
        "Failed to process the request",
        "[WARN] Failed to process the request",
        Match,
    ),
    ex(
        "2020",
        "Failed to process the request",
        "[ERROR] Unable to continue: Failed to process the request",
        Match,
    ),
    ex(
        "2018",
        "?Error ?fatal",
        "[Error] Unhandled Exception",
        Match,
    ),
    ex(
        "2018",
        "?Error ?fatal",
        "[ERROR] A fatal exception has occurred",
        Match,
    ),
    ex(
        "2018",
        "?Error ?fatal",
        "[ERROR] Caught IllegalArgumentException",
        NoMatch,
    ),
    ex(
        "2018",
        "?Error ?fatal",
        "Exiting with ERRORCODE: -1",
        NoMatch,
    ),
    ex("2020", "ERROR", "ERROR WARN message", Match),
    ex("2020", "ERROR", "ERROR message", Match),
    ex("2020", "ERROR", "WARN message", NoMatch),
    ex("2020", "?ERROR ?WARN", "WARN message", Match),
    ex("2020", "ERROR WARN", "ERROR WARN message", Match),
    ex("2020", "ERROR WARN", "ERROR message", NoMatch),
    ex("2020", "ERROR -WARN", "ERROR message", Match),
    ex("2020", "ERROR -WARN", "ERROR WARN message", NoMatch),
    // "Metric filter terms that include characters other than alphanumeric or underscore
    // must be placed inside double quotes" (2018–2020).
    ex("2020", "user@example.com", "user@example.com", Refused),
    ex("2020", "\"user@example.com\"", "user@example.com", Match),
    // ---- space-delimited, 2018–2020 OR examples ----
    ex("2020", "[w1=ERROR, w2]", "ERROR message", Match),
    ex("2020", "[w1=ERROR, w2]", "WARN message", NoMatch),
    ex("2020", "[w1=ERROR || w1=WARN, w2]", "ERROR message", Match),
    ex("2020", "[w1=ERROR || w1=WARN, w2]", "WARN message", Match),
    ex("2020", "{$.foo = bar}", r#"{"foo": "bar"}"#, Match),
    ex("2020", "{$.foo = bar}", r#"{"foo": "baz"}"#, NoMatch),
    ex("2020", "{$.foo = baz }", r#"{"foo": "baz"}"#, Match),
    ex(
        "2020",
        "{$.foo = bar || $.foo = baz }",
        r#"{"foo": "bar"}"#,
        Match,
    ),
    ex(
        "2020",
        "{$.foo = bar || $.foo = baz }",
        r#"{"foo": "baz"}"#,
        Match,
    ),
    // ---- JSON (now, json) ----
    ex("now", r#"{ $.eventType = "UpdateTrail" }"#, TRAIL, Match),
    ex(
        "json",
        r#"{ $.eventType = "UpdateTrail" }"#,
        r#"{"eventType": "UpdateTrail", "source": "cloudtrail"}"#,
        Match,
    ),
    ex("now", "{ $.sourceIPAddress != 123.123.* }", TRAIL, Match),
    ex("now", r#"{ $.arrayKey[0] = "value" }"#, TRAIL, Match),
    ex("now", "{ $.eventType = %Trail% }", TRAIL, Match),
    ex("now", "{ $.arrayKey[*] = %val.{2}% }", TRAIL, Match),
    ex(
        "now",
        r"{ $.* = %111\.111\.111\.1[0-9]{1,2}% }",
        TRAIL,
        Match,
    ),
    ex("now", r#"{ $.['cluster.name'] = "c" }"#, TRAIL, Match),
    // "Property selectors are alphanumeric strings that support hyphen ("-") and
    // underscore ("_") characters"; other keys take the bracket notation.
    ex(
        "now",
        "{ $.aws:region = x }",
        r#"{"aws:region": "x"}"#,
        Refused,
    ),
    ex(
        "now",
        "{ $.['aws:region'] = x }",
        r#"{"aws:region": "x"}"#,
        Match,
    ),
    ex(
        "now",
        "{ $.request-id_2 = x }",
        r#"{"request-id_2": "x"}"#,
        Match,
    ),
    ex("now", "{ $.SomeObject IS NULL }", TRAIL, Match),
    ex("now", "{ $.SomeOtherObject NOT EXISTS }", TRAIL, Match),
    // "The variables IS NOT and EXISTS currently aren't supported."
    ex("now", "{ $.SomeObject IS NOT NULL }", TRAIL, Refused),
    ex("now", "{ $.SomeObject EXISTS }", TRAIL, Refused),
    // "You can only use up to one wildcard selector in a property selector, and up to
    // three wildcard selectors in a filter pattern with compound expressions."
    ex("now", "{ $.objectList[*].* = 1 }", TRAIL, Refused),
    ex(
        "now",
        "{ $.a[*] = 1 || $.b[*] = 1 || $.c[*] = 1 || $.objectList[*].id = 1 }",
        TRAIL,
        Refused,
    ),
    ex(
        "now",
        "{ $.a[*] = 1 || $.b[*] = 1 || $.objectList[*].id = 1 }",
        TRAIL,
        Match,
    ),
    // "There is a limit of 2 regex for each filter pattern" (also the API reference).
    ex(
        "now",
        "{ $.a = %x% || $.b = %y% || $.eventType = %Trail% }",
        TRAIL,
        Refused,
    ),
    ex(
        "now",
        "{ $.a = %x% || $.eventType = %Trail% }",
        TRAIL,
        Match,
    ),
    ex("2020", "{ $.objectList[1].id = 2 }", TRAIL_2020, Match),
    ex("2020", "{ $.ThisFlag IS TRUE }", TRAIL_2020, Match),
    ex("2020", "{ $.ThisFlag IS FALSE }", TRAIL_2020, NoMatch),
    // "both {$.users = 1} and {$.users != 1} will fail to match a log event where users is
    // an array"
    ex("2020", "{$.users = 1}", r#"{"users": [1, 2, 3]}"#, NoMatch),
    ex("2020", "{$.users != 1}", r#"{"users": [1, 2, 3]}"#, NoMatch),
    // `*` wildcards (2014–2020): "*Event will match PutEvent and GetEvent. Event* will
    // match EventId and EventName. Ev*ent will only match the actual string Ev*ent."
    ex(
        "2020",
        "{ $.name = *Event }",
        r#"{"name": "PutEvent"}"#,
        Match,
    ),
    ex(
        "2020",
        "{ $.name = *Event }",
        r#"{"name": "GetEvent"}"#,
        Match,
    ),
    ex(
        "2020",
        "{ $.name = Event* }",
        r#"{"name": "EventId"}"#,
        Match,
    ),
    ex(
        "2020",
        "{ $.name = Event* }",
        r#"{"name": "EventName"}"#,
        Match,
    ),
    ex(
        "2020",
        "{ $.name = Ev*ent }",
        r#"{"name": "Ev*ent"}"#,
        Match,
    ),
    ex(
        "2020",
        "{ $.name = Ev*ent }",
        r#"{"name": "Event"}"#,
        NoMatch,
    ),
    ex(
        "2020",
        "{ $.name = Ev*ent }",
        r#"{"name": "EvXYent"}"#,
        NoMatch,
    ),
    // "Strings that have unicode and other characters such as '@,' '$,' '\,' etc. must be
    // enclosed in double quotes to be valid."
    ex(
        "2020",
        "{ $.email = John@example.com }",
        r#"{"email": "John@example.com"}"#,
        Refused,
    ),
    ex(
        "2020",
        r#"{ $.email = "John@example.com" }"#,
        r#"{"email": "John@example.com"}"#,
        Match,
    ),
    ex("2020", "{ $.price = 5$ }", r#"{"price": "5$"}"#, Refused),
    ex(
        "2020",
        r"{ $.path = C:\temp }",
        r#"{"path": "C:\\temp"}"#,
        Refused,
    ),
    ex(
        "2020",
        "{ $.city = Zürich }",
        r#"{"city": "Zürich"}"#,
        Refused,
    ),
    ex(
        "2020",
        r#"{ $.city = "Zürich" }"#,
        r#"{"city": "Zürich"}"#,
        Match,
    ),
    // Metric value example: `{ $.latency = * }` with metricValue `$.latency`.
    ex(
        "2020",
        "{ $.latency = * }",
        r#"{"latency": 50, "requestType": "GET"}"#,
        Match,
    ),
    // ---- numbers: the pages give patterns only; the events are ours ----
    ex("now", "{ $.bandwidth > 75 }", r#"{"bandwidth": 76}"#, Match),
    ex("now", "{ $.latency < 50 }", r#"{"latency": 50}"#, NoMatch),
    ex(
        "now",
        "{ $.refreshRate >= 60 }",
        r#"{"refreshRate": 60}"#,
        Match,
    ),
    ex(
        "now",
        "{ $.responseTime <= 5 }",
        r#"{"responseTime": 5.5}"#,
        NoMatch,
    ),
    ex(
        "now",
        "{ $.errorCode = 400}",
        r#"{"errorCode": 400}"#,
        Match,
    ),
    ex(
        "now",
        "{ $.errorCode != 500 }",
        r#"{"errorCode": 400}"#,
        Match,
    ),
    ex(
        "now",
        "{ $.number[0] = 1e+3 }",
        r#"{"number": [1000]}"#,
        Match,
    ),
    ex(
        "now",
        "{ $.number[0] != 1e-3 }",
        r#"{"number": [0.001]}"#,
        NoMatch,
    ),
    ex(
        "2022",
        "{ $.number[0] = 1e-3 }",
        r#"{"number": [0.001]}"#,
        Match,
    ),
    ex("2020", "{ $.latency >= 500 }", r#"{"latency": 500}"#, Match),
    ex(
        "2020",
        "{ $.numbers[0] < 10e3 }",
        r#"{"numbers": [9999]}"#,
        Match,
    ),
    ex(
        "2020",
        "{ $.numbers[0] < 10e-3 }",
        r#"{"numbers": [0.001]}"#,
        Match,
    ),
    ex(
        "2020",
        "{ $.numbers[0] < 10e-3 }",
        r#"{"numbers": [1]}"#,
        NoMatch,
    ),
    ex(
        "2020",
        "{ $.processes[4].averageRuntime <= 55.5 }",
        r#"{"processes": [{}, {}, {}, {}, {"averageRuntime": 55.5}]}"#,
        Match,
    ),
    // "An integer with an optional + or - sign": `+1000` is the number 1000.
    ex(
        "2020",
        "{ $.latency > +1000 }",
        r#"{"latency": 1001}"#,
        Match,
    ),
    ex(
        "2020",
        "{ $.latency > +1000 }",
        r#"{"latency": 1000}"#,
        NoMatch,
    ),
    ex(
        "2020",
        "{ $.latency > +1000 }",
        r#"{"latency": "1001"}"#,
        NoMatch,
    ),
    ex(
        "2020",
        "{ $.latency = +1e3 }",
        r#"{"latency": 1000}"#,
        Match,
    ),
    // ---- compound expressions: `() > && > ||` ----
    ex(
        "now",
        r#"{ ($.user.id = 1) && ($.users[0].email = "John.Doe@example.com") }"#,
        USERS,
        Match,
    ),
    ex(
        "now",
        r#"{ $.user.email = "John.Stiles@example.com" || $.coordinates[0][1] = "nonmatch" && $.actions[2] = "nonmatch" }"#,
        USERS,
        Match,
    ),
    ex(
        "now",
        r#"{ ($.user.email = "John.Stiles@example.com" || $.coordinates[0][1] = "nonmatch") && $.actions[2] = "nonmatch" }"#,
        USERS,
        NoMatch,
    ),
    ex(
        "now",
        r#"{ ($.user.id = 2 && $.users[0].email = "nonmatch") || $.actions[2] = "GET" }"#,
        USERS,
        NoMatch,
    ),
    ex(
        "2018",
        r#"{ $.user.email = "John.Stiles@example.com" || $.coordinates[0][1] = nonmatch && $.actions[2] = nomatch }"#,
        USERS,
        Match,
    ),
    ex(
        "2018",
        r#"{ ($.user.email = "John.Stiles@example.com" || $.coordinates[0][1] = nonmatch) && $.actions[2] = nomatch }"#,
        USERS,
        NoMatch,
    ),
    // ---- space-delimited (now) ----
    ex(
        "now",
        r"[ip=%127\.0\.0\.[1-9]%, user, username, timestamp, request =*.html*, status_code = 4*, bytes]",
        ACCESS,
        Match,
    ),
    ex(
        "now",
        "[..., request =*.html*, status_code = 4*, bytes]",
        ACCESS,
        Match,
    ),
    ex(
        "now",
        "[ip, user, username, timestamp, request =*.html*, status_code = 404 || status_code = 410, bytes]",
        ACCESS,
        Match,
    ),
    ex("now", "[w1=ERROR, w2]", FAILED, Match),
    ex("now", "[w1=ERROR, w2]", WARNING, NoMatch),
    ex("now", "[w1=ERROR, w2]", GET, NoMatch),
    ex("now", "[w1=ERROR || w1=WARNING, w2]", WARNING, Match),
    ex("now", "[w1=ERROR || w1=WARNING, w2]", FAILED, Match),
    ex("now", "[w1=ERROR || w1=WARNING, w2]", GET, NoMatch),
    ex("now", "[w1!=ERROR && w1!=WARNING, w2]", GET, Match),
    ex("now", "[w1!=ERROR && w1!=WARNING, w2]", POST, Match),
    ex("now", "[w1!=ERROR && w1!=WARNING, w2]", WARNING, NoMatch),
    ex("now", "[w1!=ERROR && w1!=WARNING, w2]", FAILED, NoMatch),
    ex(
        "now",
        "[logLevel, date, time, method, url=%/service/resource/[0-9]+$%, response_time]",
        GET,
        Match,
    ),
    ex(
        "now",
        "[logLevel, date, time, method, url=%/service/resource/[0-9]+$%, response_time]",
        POST,
        NoMatch,
    ),
    ex(
        "now",
        "[logLevel, date, time, method, url=%/service/resource/[0-9]+/part/[0-9]+$%, response_time]",
        POST,
        Match,
    ),
    ex(
        "now",
        "[logLevel, date, time, method, url=%/service/resource/[0-9]+/part/[0-9]+$%, response_time]",
        GET,
        NoMatch,
    ),
    // ---- space-delimited (2018–2020), on the three-line access log ----
    ex("2020", "[..., status_code, bytes]", APACHE_200, Match),
    ex(
        "2020",
        "[ip, user, ..., status_code, bytes]",
        APACHE_200,
        Match,
    ),
    ex("2020", "[ip, user, ...]", APACHE_200, Match),
    ex(
        "2020",
        "[ip, user, username, timestamp, request, status_code, bytes > 1000]",
        APACHE_500,
        Match,
    ),
    ex(
        "2020",
        "[ip, user, username, timestamp, request, status_code = 200, bytes]",
        APACHE_200,
        Match,
    ),
    ex(
        "2020",
        "[ip, user, username, timestamp, request, status_code = 200, bytes]",
        APACHE_500,
        NoMatch,
    ),
    ex(
        "2020",
        "[ip, user, username, timestamp, request, status_code = 4*, bytes]",
        APACHE_500,
        NoMatch,
    ),
    ex(
        "2020",
        "[ip, user, username, timestamp, request = *html*, status_code = 4*, bytes]",
        APACHE_404,
        Match,
    ),
    ex(
        "2020",
        "[ip, user, username, timestamp, request, status_code = 403 || status_code = 404, bytes]",
        APACHE_404,
        Match,
    ),
    ex(
        "2018",
        "[ip, user, username, timestamp, request, status_code = 4* && status_code != 403, bytes]",
        APACHE_404,
        Match,
    ),
    // A field compared with two prefixes at once never matches.
    ex(
        "2018",
        "[ip, user, username, timestamp, request, status_code = 4* && status_code = 5*, bytes]",
        APACHE_404,
        NoMatch,
    ),
    // The trailing comma is a seventh, unnamed field: the page extracts it as `$7`.
    ex(
        "2020",
        "[..., request=*.html*, status_code=4*,]",
        APACHE_404,
        Match,
    ),
    ex(
        "2020",
        "[..., request=*.html*, status_code=4*,]",
        APACHE_200,
        NoMatch,
    ),
    // ---- limits from the API reference: `filterPattern` is 0–1024 characters ----
    ex("api", "", "anything", Match),
];

/// Examples whose stated outcome trailwatch does not reproduce, each with the reason.
/// The assertion is trailwatch's outcome.
const DISAGREEMENTS: &[(Example, &str)] = &[
    (
        ex(
            "2020",
            "[w1!=ERROR&&w1!=WARN, w2]",
            "ERROR WARN message",
            NoMatch,
        ),
        "the 2018–2020 page says this \"matches lines containing both ERROR and WARN (pattern 1)\"; \
         its first word is ERROR, so `w1!=ERROR` is false, and the current page says the same \
         pattern returns events whose first word is neither",
    ),
    (
        ex(
            "2018",
            "[w1=!ERROR&&w1=!WARN, w2]",
            "ERROR WARN message",
            NoMatch,
        ),
        "the May 2018 spelling of the example above: `=!ERROR` compares with the text `!ERROR`",
    ),
    (
        ex("2022", "[w1=ERROR || W1=WARNING, w2]", WARNING, Refused),
        "a typo (`W1`) the current page corrects to `w1`; a condition naming another field is \
         \"Invalid filter pattern\" (awsdocs/amazon-cloudwatch-logs-user-guide#21)",
    ),
    (
        ex(
            "2018",
            "[ip, user, username, timestamp, request, status_code = 4* && bytes > 1000]",
            APACHE_404,
            Refused,
        ),
        "shown as an example until 2020, but CloudWatch answers it with \"Invalid filter \
         pattern\" (awsdocs/amazon-cloudwatch-logs-user-guide#21) and the page dropped it",
    ),
    (
        ex("now", "%abcc|ab[^c]$", "abcc", Refused),
        "the page omits the closing `%`; the intended regex is tested above",
    ),
    (
        ex(
            "2018",
            "\"ERROR\" - \"Exiting\"",
            "[ERROR] A fatal exception has occurred",
            Refused,
        ),
        "the page quotes patterns in prose, so the pattern is `ERROR -Exiting` (tested above); \
         read literally, `-` followed by a space excludes nothing and is refused",
    ),
];

fn outcome(pattern: &str, event: &str) -> Outcome {
    let analysis = analyze(pattern);
    if analysis.refusal().is_some() {
        return Refused;
    }
    match &analysis.pattern {
        Some(parsed) if parsed.matches(&LogEvent::from_text(event)) => Match,
        Some(_) => NoMatch,
        None => Refused,
    }
}

#[test]
fn every_documented_example_has_its_documented_outcome() {
    let wrong: Vec<String> = EXAMPLES
        .iter()
        .filter_map(|e| {
            let got = outcome(e.pattern, e.event);
            (got != e.outcome).then(|| {
                format!(
                    "[{}] {:?} on {:?}: documented {:?}, trailwatch {:?}",
                    e.source, e.pattern, e.event, e.outcome, got
                )
            })
        })
        .collect();
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn disagreements_keep_trailwatchs_outcome() {
    for (e, reason) in DISAGREEMENTS {
        assert_eq!(
            outcome(e.pattern, e.event),
            e.outcome,
            "[{}] {:?}: {reason}",
            e.source,
            e.pattern
        );
    }
}

#[test]
fn refusals_name_the_documented_limit() {
    let long = format!(
        "{{ {} }}",
        vec!["$.eventName = \"CreateUser\""; 40].join(" || ")
    );
    assert!(long.chars().count() > 1024);
    for (pattern, code) in [
        (long.as_str(), "too-long"),
        (
            "{ $.a = %a% || $.b = %b% || $.c = %c% }",
            "too-many-regexes",
        ),
        ("{ $.a[*].b[*] = 1 }", "too-many-wildcard-selectors"),
        ("{ $.a = x@y }", "needs-quotes"),
        ("{ $.a@b = 1 }", "needs-brackets"),
        ("{ $.a == 1 }", "syntax"),
    ] {
        let analysis = analyze(pattern);
        let refusal = analysis.refusal();
        assert_eq!(refusal.map(|d| d.code), Some(code), "{pattern}");
    }
    // Exactly at the limits: accepted.
    let at_limit = format!("{{ $.a = \"{}\" }}", "x".repeat(1024 - 12));
    assert_eq!(at_limit.chars().count(), 1024);
    assert!(analyze(&at_limit).refusal().is_none());
    assert!(analyze("{ $.a = %a% || $.b = %b% }").refusal().is_none());
    assert!(
        analyze("{ $.a[*] = 1 || $.b[*] = 1 || $.c.* = 1 }")
            .refusal()
            .is_none()
    );
}

#[test]
fn a_value_that_must_be_quoted_comes_with_the_quoted_pattern() {
    let analysis = analyze("{ $.userIdentity.arn = arn:aws:iam::1:user/a@b && $.x = 1 }");
    let refusal = analysis.refusal().expect("refused");
    assert_eq!(
        refusal.fix.as_deref(),
        Some(r#"{ $.userIdentity.arn = "arn:aws:iam::1:user/a@b" && $.x = 1 }"#)
    );
    assert!(
        analyze(refusal.fix.as_deref().unwrap_or(""))
            .refusal()
            .is_none()
    );
}
