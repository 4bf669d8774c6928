//! Numbers as people type them (forms, manual figures, a records file's `"£12,500.50"`), read
//! strictly: a comma marks thousands only in groups of three (`1,00` is a slip, not 100), and
//! exponent form, `inf` or `NaN` are never a figure (Rust's own parse takes `1e3` as 1000).

use super::text::shown;

/// Why a typed text is not a number, saying how to type it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NumberError {
    #[error("\"{0}\" is not a number (type digits, such as 12500 or 2.5)")]
    NotANumber(String),
    #[error("\"{0}\" is in exponent form: type the number in full (1000, not 1e3)")]
    Exponent(String),
    #[error("\"{0}\": commas mark thousands, in groups of three digits (type 12,500 or 12500)")]
    Separators(String),
    #[error("\"{0}\" is not a whole number")]
    NotWhole(String),
}

/// What was typed, as a number: an optional minus, digits (thousands optionally marked with
/// commas, in groups of three), and an optional decimal part.
pub fn typed_number(typed: &str) -> Result<f64, NumberError> {
    let text = typed.trim();
    let body = text.strip_prefix('-').unwrap_or(text);
    let (whole, decimals) = match body.split_once('.') {
        Some((w, d)) => (w, Some(d)),
        None => (body, None),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let decimals_ok = decimals.is_none_or(digits);
    let whole_ok = match whole.split_once(',') {
        // No separators: any digits (or none before a decimal part, as in `.5`).
        None => digits(whole) || (whole.is_empty() && decimals.is_some_and(digits)),
        // With separators: a first group of one to three digits, then groups of exactly three.
        Some((first, rest)) => {
            (1..=3).contains(&first.len())
                && digits(first)
                && rest.split(',').all(|g| g.len() == 3 && digits(g))
        }
    };
    let shown = || shown(text);
    if whole_ok && decimals_ok {
        return text.replace(',', "").parse::<f64>().map_err(|_| NumberError::NotANumber(shown()));
    }
    let number_like = text.bytes().all(|b| b.is_ascii_digit() || b"-+.,eE".contains(&b));
    Err(if number_like && text.bytes().any(|b| b == b'e' || b == b'E') {
        NumberError::Exponent(shown())
    } else if number_like && text.contains(',') {
        NumberError::Separators(shown())
    } else {
        NumberError::NotANumber(shown())
    })
}

/// A whole number typed, as [`typed_number`] reads it.
pub fn typed_whole(typed: &str) -> Result<i64, NumberError> {
    let n = typed_number(typed)?;
    if n.fract() != 0.0 || n.abs() > 9e15 {
        return Err(NumberError::NotWhole(shown(typed.trim())));
    }
    Ok(n as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_read_as_typed_and_slips_refused_with_how_to_type_them() {
        for (typed, n) in
            [("12500", 12500.0), ("12,500", 12500.0), ("1,234,567.5", 1234567.5), ("-3", -3.0), (".5", 0.5)]
        {
            assert_eq!(typed_number(typed), Ok(n), "{typed}");
        }
        for typed in ["1,00", "1,2,3", "12,5000", ",100", "1,000,00", "1,,000"] {
            assert!(typed_number(typed).unwrap_err().to_string().contains("groups of three"), "{typed}");
        }
        for typed in ["1e3", "1E3", "2.5e-1"] {
            assert!(typed_number(typed).unwrap_err().to_string().contains("exponent form"), "{typed}");
        }
        for typed in ["inf", "NaN", "+-1", "1.2.3", "", "1 000", "5.", "--1"] {
            assert!(typed_number(typed).unwrap_err().to_string().contains("is not a number"), "{typed}");
        }
        assert_eq!(typed_whole("1,000"), Ok(1000));
        assert!(typed_whole("2.5").is_err());
    }
}
