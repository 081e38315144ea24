//! Punycode (RFC 3492) encoding of one domain label, for internationalized host names.

const BASE: u32 = 36;
const T_MIN: u32 = 1;
const T_MAX: u32 = 26;
const SKEW: u32 = 38;
const DAMP: u32 = 700;
const INITIAL_BIAS: u32 = 72;
const INITIAL_N: u32 = 128;

/// Encodes a label to its Punycode form, without the `xn--` prefix. Returns `None` if a
/// counter overflows, which only absurdly long labels can cause.
pub(crate) fn encode(label: &str) -> Option<String> {
    let code_points: Vec<u32> = label.chars().map(u32::from).collect();
    let mut output: String = label.chars().filter(char::is_ascii).collect();
    let basic_count = output.len() as u32;
    let mut handled = basic_count;
    if basic_count > 0 {
        output.push('-');
    }

    let mut n = INITIAL_N;
    let mut delta: u32 = 0;
    let mut bias = INITIAL_BIAS;
    while (handled as usize) < code_points.len() {
        // The smallest code point not yet handled.
        let next = code_points.iter().copied().filter(|&cp| cp >= n).min()?;
        delta = delta.checked_add((next - n).checked_mul(handled + 1)?)?;
        n = next;

        for &cp in &code_points {
            if cp < n {
                delta = delta.checked_add(1)?;
            }
            if cp == n {
                // Write `delta` as a variable-length integer.
                let mut q = delta;
                let mut k = BASE;
                loop {
                    let threshold = if k <= bias {
                        T_MIN
                    } else if k >= bias + T_MAX {
                        T_MAX
                    } else {
                        k - bias
                    };
                    if q < threshold {
                        break;
                    }
                    let digit = threshold + (q - threshold) % (BASE - threshold);
                    output.push(digit_char(digit));
                    q = (q - threshold) / (BASE - threshold);
                    k += BASE;
                }
                output.push(digit_char(q));
                bias = adapt(delta, handled + 1, handled == basic_count);
                delta = 0;
                handled += 1;
            }
        }
        delta = delta.checked_add(1)?;
        n = n.checked_add(1)?;
    }
    Some(output)
}

fn adapt(delta: u32, points: u32, first: bool) -> u32 {
    let mut delta = if first { delta / DAMP } else { delta / 2 };
    delta += delta / points;
    let mut k = 0;
    while delta > ((BASE - T_MIN) * T_MAX) / 2 {
        delta /= BASE - T_MIN;
        k += BASE;
    }
    k + (BASE - T_MIN + 1) * delta / (delta + SKEW)
}

fn digit_char(digit: u32) -> char {
    match digit {
        0..=25 => char::from(b'a' + digit as u8),
        _ => char::from(b'0' + (digit - 26) as u8),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encode_known_labels() {
        let cases = [
            ("bücher", "bcher-kva"),
            ("münchen", "mnchen-3ya"),
            ("레지스트리", "om2b23a15p8shb5l"),
            ("例え", "r8jz45g"),
            ("abc", "abc-"),
        ];
        for (label, expected) in cases {
            assert_eq!(encode(label).as_deref(), Some(expected), "label {label}");
        }
    }
}
