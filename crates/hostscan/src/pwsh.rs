//! Reading what PowerShell's `ConvertTo-Json` writes, with the quirks real Windows adds:
//!
//! * **One result is not wrapped in an array.** `Get-X | ConvertTo-Json` writes `{…}` for a
//!   single object, `[…]` for several and nothing for none: [`many`] takes all three.
//! * **Dates.** Windows PowerShell 5.1 writes `DateTime` as `"\/Date(1732780800000)\/"`
//!   (milliseconds since 1970, UTC), and as `{"value": "\/Date(…)\/", "DateTime": "Donnerstag,
//!   28. November 2024 09:00:00"}` when the object carries extended-type members; PowerShell 7
//!   writes ISO 8601. Some classes hold dates as strings: `Win32_QuickFixEngineering.
//!   InstalledOn` as `"11/28/2026"` or, on localised systems, `"28.11.2026"`, and on some
//!   systems as a hexadecimal FILETIME; uninstall entries as `"20261128"`; Security Center
//!   as RFC 1123. [`date`] reads them all.
//! * **Depth truncation.** `ConvertTo-Json` stops at depth 2 by default and writes deeper
//!   objects as their `ToString()` (`"System.Object[]"`, a SID's text): [`sid`] accepts both
//!   the object (`{"Value": "S-1-…"}`) and the string.
//! * **Enums are numbers** (`"Enabled": 1`); [`enum_name`] maps numbers or names.

use serde_json::Value;
use time::{Date, Month, OffsetDateTime, PrimitiveDateTime, Time};

use praxcheck_model::UnknownReason;

/// The items of a result: nothing (`null`), one object, or an array.
#[must_use]
pub fn many(v: &Value) -> Vec<&Value> {
    match v {
        Value::Null => Vec::new(),
        Value::Array(a) => a.iter().filter(|x| !x.is_null()).collect(),
        other => vec![other],
    }
}

/// A property by name, ignoring ASCII case (PowerShell property names are case-insensitive
/// and classes differ in spelling: `displayName` vs `DisplayName`).
#[must_use]
pub fn prop<'a>(v: &'a Value, name: &str) -> Option<&'a Value> {
    let obj = v.as_object()?;
    obj.get(name).or_else(|| {
        obj.iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v)
    })
}

/// A text property (numbers are written as text); empty strings count as absent.
#[must_use]
pub fn text(v: &Value, name: &str) -> Option<String> {
    match prop(v, name)? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// An integer property (numbers or numeric text).
#[must_use]
pub fn int(v: &Value, name: &str) -> Option<i64> {
    as_int(prop(v, name)?)
}

/// An integer from a number or numeric text.
#[must_use]
pub fn as_int(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n
            .as_i64()
            .or_else(|| n.as_u64().and_then(|u| i64::try_from(u).ok()))
            // Doubles are truncated toward zero, within range.
            .or_else(|| {
                n.as_f64()
                    .filter(|f| f.is_finite() && f.abs() < 9.0e15)
                    .map(|f| format!("{f:.0}"))
                    .and_then(|s| s.parse().ok())
            }),
        Value::String(s) => s.trim().parse().ok(),
        Value::Bool(b) => Some(i64::from(*b)),
        _ => None,
    }
}

/// A boolean property: `true`/`false`, `1`/`0`, `"True"`/`"False"`, `"1"`/`"0"`.
#[must_use]
pub fn boolean(v: &Value, name: &str) -> Option<bool> {
    match prop(v, name)? {
        Value::Bool(b) => Some(*b),
        Value::Number(n) => n.as_i64().map(|i| i != 0),
        Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
            "true" | "1" | "yes" => Some(true),
            "false" | "0" | "no" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

/// An enum property as a name: a number is mapped through `names`, a string is kept.
#[must_use]
pub fn enum_name(v: &Value, name: &str, names: &[(i64, &str)]) -> Option<String> {
    match prop(v, name)? {
        Value::String(s) if !s.is_empty() => {
            // "NotConfigured" stays; numeric text is mapped.
            match s.trim().parse::<i64>() {
                Ok(i) => names
                    .iter()
                    .find(|(n, _)| *n == i)
                    .map(|(_, s)| (*s).to_owned()),
                Err(_) => Some(s.trim().to_owned()),
            }
        }
        other => {
            let i = as_int(other)?;
            names
                .iter()
                .find(|(n, _)| *n == i)
                .map(|(_, s)| (*s).to_owned())
        }
    }
}

/// A security identifier: a string `S-1-…`, or a `SecurityIdentifier` object (`{"Value":
/// "S-1-…", "AccountDomainSid": …}`), whatever depth truncation left of it.
#[must_use]
pub fn sid(v: &Value, name: &str) -> Option<String> {
    let p = prop(v, name)?;
    let s = match p {
        Value::String(s) => s.clone(),
        Value::Object(_) => text(p, "Value")?,
        _ => return None,
    };
    let s = s.trim();
    s.starts_with("S-1-").then(|| s.to_owned())
}

/// A list of strings: an array, or one string (a single value is not wrapped), or the
/// `"System.Object[]"` that depth truncation leaves (then `None`: the values are lost).
#[must_use]
pub fn strings(v: &Value, name: &str) -> Option<Vec<String>> {
    let p = prop(v, name)?;
    // Windows PowerShell 5.1 writes some arrays as {"value": [...], "Count": n}.
    let p = match p {
        Value::Object(o) if o.get("value").is_some_and(Value::is_array) => o.get("value")?,
        other => other,
    };
    match p {
        Value::Array(a) => Some(
            a.iter()
                .filter_map(|x| match x {
                    Value::String(s) => Some(s.trim().to_owned()),
                    Value::Number(n) => Some(n.to_string()),
                    _ => None,
                })
                .collect(),
        ),
        Value::String(s) if s.starts_with("System.") && s.ends_with("[]") => None,
        Value::String(s) => Some(vec![s.trim().to_owned()]),
        Value::Number(n) => Some(vec![n.to_string()]),
        _ => None,
    }
}

/// A date property in any of the forms Windows writes (see the module documentation).
#[must_use]
pub fn date(v: &Value, name: &str) -> Option<OffsetDateTime> {
    date_value(prop(v, name)?)
}

/// A date from a JSON value in any of the forms Windows writes.
#[must_use]
pub fn date_value(v: &Value) -> Option<OffsetDateTime> {
    match v {
        Value::String(s) => parse_date_text(s),
        Value::Object(_) => prop(v, "value")
            .and_then(date_value)
            .or_else(|| prop(v, "DateTime").and_then(date_value)),
        Value::Number(n) => n.as_i64().and_then(|ms| {
            OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000).ok()
        }),
        _ => None,
    }
}

fn month_from_name(s: &str) -> Option<Month> {
    let m = match s.get(..3)?.to_ascii_lowercase().as_str() {
        "jan" => Month::January,
        "feb" => Month::February,
        "mar" | "mär" => Month::March,
        "apr" => Month::April,
        "may" | "mai" => Month::May,
        "jun" => Month::June,
        "jul" => Month::July,
        "aug" => Month::August,
        "sep" => Month::September,
        "oct" | "okt" => Month::October,
        "nov" => Month::November,
        "dec" | "dez" => Month::December,
        _ => return None,
    };
    Some(m)
}

fn ymd(y: i32, m: u8, d: u8) -> Option<Date> {
    Date::from_calendar_date(y, Month::try_from(m).ok()?, d).ok()
}

fn hms(s: &str) -> Option<Time> {
    let mut it = s.split(':');
    let h: u8 = it.next()?.trim().parse().ok()?;
    let m: u8 = it.next()?.trim().parse().ok()?;
    let sec: u8 = it
        .next()
        .map(|x| x.split('.').next().unwrap_or("0"))
        .unwrap_or("0")
        .trim()
        .parse()
        .ok()?;
    Time::from_hms(h, m, sec).ok()
}

fn utc(d: Date, t: Time) -> OffsetDateTime {
    PrimitiveDateTime::new(d, t).assume_utc()
}

/// Parses a date written as text by Windows or PowerShell. Dates without a zone are taken
/// as UTC (one day's precision is what the facts need).
#[must_use]
pub fn parse_date_text(s: &str) -> Option<OffsetDateTime> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    // "/Date(1732780800000)/" or with an offset "/Date(1732780800000+0100)/".
    if let Some(rest) = s
        .strip_prefix("\\/Date(")
        .or_else(|| s.strip_prefix("/Date("))
    {
        let inner = rest.split(')').next()?;
        let digits_end = inner
            .char_indices()
            .skip(1)
            .find(|(_, c)| *c == '+' || *c == '-')
            .map_or(inner.len(), |(i, _)| i);
        let ms: i64 = inner[..digits_end].parse().ok()?;
        return OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000).ok();
    }
    // Hexadecimal FILETIME (100 ns since 1601-01-01), as some Win32_QuickFixEngineering
    // entries hold it.
    if s.len() == 16 && s.bytes().all(|b| b.is_ascii_hexdigit()) {
        let ft = u64::from_str_radix(s, 16).ok()?;
        let unix_100ns = i128::from(ft) - 116_444_736_000_000_000;
        return OffsetDateTime::from_unix_timestamp_nanos(unix_100ns * 100).ok();
    }
    // CIM_DATETIME "20261128091200.000000+060" and plain "20261128".
    if s.len() >= 8 && s.as_bytes()[..8].iter().all(u8::is_ascii_digit) {
        let y: i32 = s[..4].parse().ok()?;
        let m: u8 = s[4..6].parse().ok()?;
        let d: u8 = s[6..8].parse().ok()?;
        let date = ymd(y, m, d)?;
        if s.len() >= 14 && s.as_bytes()[8..14].iter().all(u8::is_ascii_digit) {
            let t = Time::from_hms(
                s[8..10].parse().ok()?,
                s[10..12].parse().ok()?,
                s[12..14].parse().ok()?,
            )
            .ok()?;
            let mut at = utc(date, t);
            // The suffix is the offset from UTC in minutes.
            if let Some(pos) = s.rfind(['+', '-'])
                && pos >= 14
                && let Ok(mins) = s[pos..].parse::<i32>()
            {
                at -= time::Duration::minutes(i64::from(mins));
            }
            return Some(at);
        }
        if s.len() == 8 {
            return Some(utc(date, Time::MIDNIGHT));
        }
    }
    // ISO 8601: "2026-11-28", "2026-11-28T09:12:00", with fraction and zone. The slices
    // below count bytes, so only ASCII text is taken this way (hostile text may not be).
    if s.len() >= 10 && s.is_ascii() && s.as_bytes()[4] == b'-' && s.as_bytes()[7] == b'-' {
        let date = ymd(
            s[..4].parse().ok()?,
            s[5..7].parse().ok()?,
            s[8..10].parse().ok()?,
        )?;
        if s.len() == 10 {
            return Some(utc(date, Time::MIDNIGHT));
        }
        let rest = &s[11..];
        let (clock, zone) = match rest.find(['Z', '+', '-']) {
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, ""),
        };
        let mut at = utc(date, hms(clock)?);
        if zone.len() >= 6 {
            let sign = if zone.starts_with('-') { -1 } else { 1 };
            let h: i64 = zone[1..3].parse().ok()?;
            let m: i64 = zone[4..6].parse().ok()?;
            at -= time::Duration::minutes(sign * (h * 60 + m));
        }
        return Some(at);
    }
    // German "28.11.2026" with an optional time.
    let (date_part, time_part) = match s.split_once(' ') {
        Some((a, b)) => (a, Some(b)),
        None => (s, None),
    };
    let clock = |t: Option<&str>| t.and_then(hms).unwrap_or(Time::MIDNIGHT);
    if let [d, m, y] = date_part.split('.').collect::<Vec<_>>()[..]
        && let (Ok(d), Ok(m), Ok(y)) = (d.parse::<u8>(), m.parse::<u8>(), y.parse::<i32>())
    {
        return ymd(y, m, d).map(|date| utc(date, clock(time_part)));
    }
    // "11/28/2026" (US order, what WMI writes); a first number above 12 means day first.
    if let [a, b, y] = date_part.split('/').collect::<Vec<_>>()[..]
        && let (Ok(a), Ok(b), Ok(y)) = (a.parse::<u8>(), b.parse::<u8>(), y.parse::<i32>())
    {
        let (m, d) = if a > 12 { (b, a) } else { (a, b) };
        return ymd(y, m, d).map(|date| utc(date, clock(time_part)));
    }
    // RFC 1123: "Thu, 28 Nov 2026 07:12:03 GMT".
    let parts: Vec<&str> = s.split_whitespace().collect();
    if parts.len() >= 5 && parts[0].ends_with(',') {
        let d: u8 = parts[1].parse().ok()?;
        let m = month_from_name(parts[2])?;
        let y: i32 = parts[3].parse().ok()?;
        let date = Date::from_calendar_date(y, m, d).ok()?;
        return Some(utc(date, hms(parts[4])?));
    }
    None
}

/// The error record the collection script writes when a section fails.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SectionError {
    /// `ErrorCategory` name (not localised), e.g. `PermissionDenied`, `ObjectNotFound`.
    pub category: String,
    /// `FullyQualifiedErrorId` (not localised).
    pub error_id: String,
    /// The exception's HRESULT.
    pub hresult: i64,
    /// The (possibly localised) message.
    pub message: String,
}

impl SectionError {
    /// The unknown-reason this error means. Decided on language-independent parts only:
    /// the category name, the error id and the HRESULT, never the localised message.
    #[must_use]
    pub fn reason(&self) -> UnknownReason {
        // E_ACCESSDENIED (0x80070005) and WBEM_E_ACCESS_DENIED (0x80041003).
        let access_denied = [0x8007_0005_i64, 0x8004_1003];
        let hr = self.hresult & 0xFFFF_FFFF;
        if self.category == "PermissionDenied"
            || access_denied.contains(&hr)
            || self.error_id.contains("UnauthorizedAccess")
            || self.error_id.contains("AccessDenied")
        {
            UnknownReason::NeedsPrivilege
        } else if self.error_id.starts_with("CommandNotFoundException")
            || self.category == "ObjectNotFound" && self.error_id.contains("CommandNotFound")
            // WBEM_E_INVALID_NAMESPACE / WBEM_E_INVALID_CLASS / WBEM_E_NOT_FOUND.
            || [0x8004_100E_i64, 0x8004_1010, 0x8004_1002].contains(&hr)
        {
            UnknownReason::ToolMissing
        } else if self.category == "OperationTimeout" {
            UnknownReason::Timeout
        } else {
            UnknownReason::Unreadable
        }
    }

    /// A one-line description for a fact's detail.
    #[must_use]
    pub fn detail(&self) -> String {
        format!(
            "{} ({}, HRESULT 0x{:08X}): {}",
            self.error_id,
            self.category,
            self.hresult & 0xFFFF_FFFF,
            self.message
        )
    }
}

/// One section of the collection script's output.
#[derive(Debug, Clone, PartialEq)]
pub enum Section {
    /// The JSON the section wrote (`Null` when it wrote nothing: no results).
    Data(Value),
    /// The section failed.
    Error(SectionError),
    /// The section's output was not JSON.
    Garbled(String),
}

/// The marker line that starts a section.
pub const SECTION_MARKER: &str = "##praxcheck-section:";

/// Splits the collection script's output into named sections.
#[must_use]
pub fn split_sections(text: &str) -> Vec<(String, Section)> {
    let mut out = Vec::new();
    let mut current: Option<(String, String)> = None;
    let finish = |name: String, body: String, out: &mut Vec<(String, Section)>| {
        out.push((name, parse_section(&body)));
    };
    for line in text.lines() {
        if let Some(name) = line
            .trim_start_matches('\u{feff}')
            .strip_prefix(SECTION_MARKER)
        {
            if let Some((n, b)) = current.take() {
                finish(n, b, &mut out);
            }
            current = Some((name.trim().to_owned(), String::new()));
        } else if let Some((_, body)) = current.as_mut() {
            body.push_str(line);
            body.push('\n');
        }
    }
    if let Some((n, b)) = current.take() {
        finish(n, b, &mut out);
    }
    out
}

fn parse_section(body: &str) -> Section {
    let body = body.trim();
    if body.is_empty() {
        return Section::Data(Value::Null);
    }
    match serde_json::from_str::<Value>(body) {
        Ok(v) => {
            if boolean(&v, "praxcheckError") == Some(true) {
                Section::Error(SectionError {
                    category: text(&v, "category").unwrap_or_default(),
                    error_id: text(&v, "errorId").unwrap_or_default(),
                    hresult: int(&v, "hresult").unwrap_or(0),
                    message: text(&v, "message").unwrap_or_default(),
                })
            } else {
                Section::Data(v)
            }
        }
        Err(e) => Section::Garbled(format!("{e}")),
    }
}

/// Keeps only ASCII-safe, non-secret text for facts (trims and limits length).
#[must_use]
pub fn short(s: &str, max: usize) -> String {
    let s = s.trim();
    if s.chars().count() <= max {
        s.to_owned()
    } else {
        let mut t: String = s.chars().take(max).collect();
        t.push('…');
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn d(s: &str) -> String {
        crate::facts::rfc3339(parse_date_text(s).unwrap())
    }

    #[test]
    fn date_forms() {
        assert_eq!(d("/Date(1732780800000)/"), "2024-11-28T08:00:00Z");
        assert_eq!(d("\\/Date(1732780800000)\\/"), "2024-11-28T08:00:00Z");
        assert_eq!(d("/Date(1732780800000+0100)/"), "2024-11-28T08:00:00Z");
        assert_eq!(d("2026-11-28T09:12:00+01:00"), "2026-11-28T08:12:00Z");
        assert_eq!(d("2026-11-28T09:12:00.1234567Z"), "2026-11-28T09:12:00Z");
        assert_eq!(d("2026-11-28T09:12:00"), "2026-11-28T09:12:00Z");
        assert_eq!(d("28.11.2026"), "2026-11-28T00:00:00Z");
        assert_eq!(d("28.11.2026 14:03:00"), "2026-11-28T14:03:00Z");
        assert_eq!(d("11/28/2026"), "2026-11-28T00:00:00Z");
        assert_eq!(d("28/11/2026"), "2026-11-28T00:00:00Z");
        assert_eq!(d("20261128"), "2026-11-28T00:00:00Z");
        assert_eq!(d("20261128091200.000000+060"), "2026-11-28T08:12:00Z");
        assert_eq!(d("Thu, 26 Nov 2026 07:12:03 GMT"), "2026-11-26T07:12:03Z");
        // 2019-01-08 00:00:00 UTC as FILETIME (100 ns since 1601).
        assert_eq!(d("01d4a6e519228000"), "2019-01-08T00:00:00Z");
        assert!(parse_date_text("gestern").is_none());
        // Not ASCII where the byte positions are counted: no date, and no panic.
        for bad in [
            "2026-11-28€",
            "2026-11-€x",
            "2026-11-28T09:00:00+0ä:00",
            "2026€11-28",
        ] {
            assert!(parse_date_text(bad).is_none(), "{bad}");
        }
        assert!(parse_date_text("31.02.2026").is_none());
    }

    #[test]
    fn extended_date_object() {
        let v = json!({"InstalledOn": {"value": "/Date(1764288000000)/", "DateTime": "Freitag, 28. November 2025 00:00:00"}});
        assert_eq!(
            crate::facts::rfc3339(date(&v, "InstalledOn").unwrap()),
            "2025-11-28T00:00:00Z"
        );
    }

    #[test]
    fn single_and_many() {
        assert_eq!(many(&json!({"a": 1})).len(), 1);
        assert_eq!(many(&json!([{"a": 1}, {"a": 2}])).len(), 2);
        assert!(many(&Value::Null).is_empty());
    }

    #[test]
    fn sids_in_every_shape() {
        let full = json!({"SID": {"BinaryLength": 16, "AccountDomainSid": {"BinaryLength": 24, "AccountDomainSid": null, "Value": "S-1-5-21-1-2-3"}, "Value": "S-1-5-21-1-2-3-500"}});
        let truncated = json!({"SID": {"BinaryLength": 16, "AccountDomainSid": "S-1-5-21-1-2-3", "Value": "S-1-5-21-1-2-3-500"}});
        let plain = json!({"SID": "S-1-5-21-1-2-3-500"});
        for v in [full, truncated, plain] {
            assert_eq!(sid(&v, "SID").as_deref(), Some("S-1-5-21-1-2-3-500"));
        }
        assert_eq!(sid(&json!({"SID": "Administratoren"}), "SID"), None);
    }

    #[test]
    fn sections_split_and_errors_classify() {
        let out = "##praxcheck-section:a\n{\"x\":1}\n##praxcheck-section:b\n\n##praxcheck-section:c\n{\"praxcheckError\":true,\"category\":\"PermissionDenied\",\"errorId\":\"CmdletizationQuery_NotFound\",\"hresult\":-2147024891,\"message\":\"Zugriff verweigert\"}\n##praxcheck-section:d\nnot json\n";
        let s = split_sections(out);
        assert_eq!(s.len(), 4);
        assert_eq!(s[0].1, Section::Data(json!({"x": 1})));
        assert_eq!(s[1].1, Section::Data(Value::Null));
        match &s[2].1 {
            Section::Error(e) => assert_eq!(e.reason(), UnknownReason::NeedsPrivilege),
            other => panic!("{other:?}"),
        }
        assert!(matches!(s[3].1, Section::Garbled(_)));
    }

    #[test]
    fn arrays_in_every_shape() {
        assert_eq!(
            strings(&json!({"P": ["22", "3389"]}), "P").unwrap(),
            ["22", "3389"]
        );
        assert_eq!(strings(&json!({"P": "3389"}), "P").unwrap(), ["3389"]);
        assert_eq!(
            strings(&json!({"P": {"value": ["445"], "Count": 1}}), "P").unwrap(),
            ["445"]
        );
        assert_eq!(strings(&json!({"P": "System.Object[]"}), "P"), None);
    }

    #[test]
    fn enums_as_numbers_or_names() {
        let names = [(0, "false"), (1, "true"), (2, "not_configured")];
        assert_eq!(
            enum_name(&json!({"Enabled": 1}), "Enabled", &names).as_deref(),
            Some("true")
        );
        assert_eq!(
            enum_name(&json!({"Enabled": "True"}), "Enabled", &names).as_deref(),
            Some("True")
        );
    }
}
