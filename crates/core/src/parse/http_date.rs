//! HTTP dates (RFC 9110 section 5.6.7): the `Date` header to Unix milliseconds, and Unix
//! milliseconds back to a UTC time a person reads.

/// Parses an HTTP date in IMF-fixdate form (`Sun, 06 Nov 1994 08:49:37 GMT`) or one of the
/// obsolete forms a recipient must accept: RFC 850 (`Sunday, 06-Nov-94 08:49:37 GMT`) and C
/// `asctime` (`Sun Nov  6 08:49:37 1994`). Returns milliseconds since the Unix epoch, or
/// `None` for anything else, including dates before 1970.
pub fn parse(text: &str) -> Option<u64> {
    let text = text.trim();
    let (_weekday, rest) = text.split_once([',', ' '])?;
    let words: Vec<&str> = rest.split_whitespace().collect();

    let (day, month, year, time) = match words.as_slice() {
        // IMF-fixdate: `06 Nov 1994 08:49:37 GMT`.
        [day, month, year, time, "GMT"] if text.contains(',') => {
            (*day, *month, year.parse::<i64>().ok()?, *time)
        }
        // RFC 850: `06-Nov-94 08:49:37 GMT`; two-digit years are read as 1970 to 2069.
        [date, time, "GMT"] if text.contains(',') => {
            let mut parts = date.split('-');
            let (day, month, year) = (parts.next()?, parts.next()?, parts.next()?);
            let year: i64 = year.parse().ok()?;
            let year = if year < 70 { 2000 + year } else { 1900 + year };
            (day, month, year, *time)
        }
        // asctime: `Nov  6 08:49:37 1994`.
        [month, day, time, year] if !text.contains(',') => {
            (*day, *month, year.parse::<i64>().ok()?, *time)
        }
        _ => return None,
    };

    let day: i64 = day.parse().ok()?;
    let month = month_number(month)?;
    let mut clock = time.split(':').map(|part| part.parse::<i64>().ok());
    let (hour, minute, second) = (clock.next()??, clock.next()??, clock.next()??);
    if clock.next().is_some()
        || !(1..=days_in_month(year, month)).contains(&day)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return None;
    }

    let days = days_from_civil(year, month, day);
    let seconds = days * 86_400 + hour * 3_600 + minute * 60 + second;
    u64::try_from(seconds).ok().map(|seconds| seconds * 1_000)
}

/// Formats Unix milliseconds as `2026-12-04 20:37:43 UTC`.
pub fn format_utc(unix_ms: u64) -> String {
    let seconds = (unix_ms / 1_000) as i64;
    let (days, of_day) = (seconds.div_euclid(86_400), seconds.rem_euclid(86_400));
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02}:{:02} UTC",
        of_day / 3_600,
        of_day % 3_600 / 60,
        of_day % 60
    )
}

fn month_number(name: &str) -> Option<i64> {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    MONTHS
        .iter()
        .position(|month| *month == name)
        .map(|index| index as i64 + 1)
}

fn is_leap(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date, counting in 400-year eras that start
/// on March 1 so that the leap day falls at the end of a year.
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month_from_march = (month + 9) % 12;
    let day_of_year = (153 * month_from_march + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The inverse of [`days_from_civil`].
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let days = days + 719_468;
    let era = days.div_euclid(146_097);
    let day_of_era = days - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1_460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_from_march = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_from_march + 2) / 5 + 1;
    let month = if month_from_march < 10 {
        month_from_march + 3
    } else {
        month_from_march - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_http_dates() {
        let cases = [
            ("Sun, 06 Nov 1994 08:49:37 GMT", Some(784_111_777_000)),
            ("Sunday, 06-Nov-94 08:49:37 GMT", Some(784_111_777_000)),
            ("Sun Nov  6 08:49:37 1994", Some(784_111_777_000)),
            ("Thu, 01 Jan 1970 00:00:00 GMT", Some(0)),
            ("Fri, 04 Dec 2026 20:37:43 GMT", Some(1_796_416_663_000)),
            ("Thu, 29 Feb 2024 12:00:00 GMT", Some(1_709_208_000_000)),
            ("Thursday, 01-Jan-15 00:00:00 GMT", Some(1_420_070_400_000)),
            ("  Sun, 06 Nov 1994 08:49:37 GMT  ", Some(784_111_777_000)),
        ];
        for (text, expected) in cases {
            assert_eq!(parse(text), expected, "date {text:?}");
        }
    }

    #[test]
    fn parse_rejects_other_text() {
        let cases = [
            "",
            "yesterday",
            "Sun, 06 Nov 1994 08:49:37 UTC",
            "Sun, 06 Nov 1994 08:49 GMT",
            "Sun, 31 Feb 1994 08:49:37 GMT",
            "Sun, 29 Feb 2023 08:49:37 GMT",
            "Sun, 06 Foo 1994 08:49:37 GMT",
            "Sun, 06 Nov 1994 24:00:00 GMT",
            "Wed, 31 Dec 1969 23:59:59 GMT",
            "Sun, 06 Nov 1994 08:49:37:01 GMT",
            "2026-12-04T20:37:43Z",
        ];
        for text in cases {
            assert_eq!(parse(text), None, "date {text:?}");
        }
    }

    #[test]
    fn format_utc_round_trips() {
        assert_eq!(format_utc(0), "1970-01-01 00:00:00 UTC");
        assert_eq!(format_utc(1_796_416_663_999), "2026-12-04 20:37:43 UTC");
        assert_eq!(format_utc(1_709_208_000_000), "2024-02-29 12:00:00 UTC");
        let reparsed = parse("Fri, 04 Dec 2026 20:37:43 GMT").map(format_utc);
        assert_eq!(reparsed.as_deref(), Some("2026-12-04 20:37:43 UTC"));
    }
}
