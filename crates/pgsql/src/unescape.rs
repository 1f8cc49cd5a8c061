//! Decoding the escapes of `E''` strings and `U&''` / `U&""` tokens, as scan.l does
//! (postgres/postgres `src/backend/parser/scan.l`: `xeescape`, `xeoctesc`, `xehexesc`,
//! `xeunicode`; `str_udeescape` in `src/backend/parser/parser.c`). `None` where PostgreSQL
//! reports an error (NUL, a bad escape, invalid UTF-8, a lone surrogate).

/// The value of an `E'…'` body.
pub(crate) fn backslash(body: &str) -> Option<String> {
    let b = body.as_bytes();
    let mut out: Vec<u8> = Vec::with_capacity(b.len());
    let mut i = 0;
    let mut high_surrogate: Option<u32> = None;
    while i < b.len() {
        let c = b[i];
        if c == b'\'' {
            // Only `''` reaches here: the lexer ended the string at a lone quote.
            out.push(b'\'');
            i += 2;
            continue;
        }
        if c != b'\\' {
            if high_surrogate.is_some() {
                return None;
            }
            out.push(c);
            i += 1;
            continue;
        }
        let e = *b.get(i + 1)?;
        i += 2;
        let code = match e {
            b'0'..=b'7' => {
                let mut v = u32::from(e - b'0');
                for _ in 0..2 {
                    match b.get(i) {
                        Some(d @ b'0'..=b'7') => {
                            v = v * 8 + u32::from(d - b'0');
                            i += 1;
                        }
                        _ => break,
                    }
                }
                push_byte(&mut out, v & 0xff)?;
                continue;
            }
            b'x' if b.get(i).is_some_and(u8::is_ascii_hexdigit) => {
                let n = if b.get(i + 1).is_some_and(u8::is_ascii_hexdigit) {
                    2
                } else {
                    1
                };
                let v = hex(&b[i..i + n])?;
                i += n;
                push_byte(&mut out, v)?;
                continue;
            }
            b'u' | b'U' => {
                let n = if e == b'u' { 4 } else { 8 };
                let v = hex(b.get(i..i + n)?)?;
                i += n;
                v
            }
            b'b' => 0x08,
            b'f' => 0x0c,
            b'n' => 0x0a,
            b'r' => 0x0d,
            b't' => 0x09,
            b'v' => 0x0b,
            other => {
                // Any other character stands for itself (a multi-byte one too).
                out.push(other);
                continue;
            }
        };
        push_code(&mut out, code, &mut high_surrogate)?;
    }
    if high_surrogate.is_some() {
        return None;
    }
    String::from_utf8(out).ok()
}

/// The value of a `U&'…'` or `U&"…"` body (default escape character `\`); `quote` is the
/// doubled quote character that stands for one.
pub(crate) fn unicode(body: &str, quote: char) -> Option<String> {
    let doubled: String = [quote, quote].iter().collect();
    let body = body.replace(&doubled, &quote.to_string());
    let b = body.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    let mut high_surrogate = None;
    while i < b.len() {
        if b[i] != b'\\' {
            if high_surrogate.is_some() {
                return None;
            }
            out.push(b[i]);
            i += 1;
            continue;
        }
        let code = match b.get(i + 1)? {
            b'\\' => {
                out.push(b'\\');
                i += 2;
                continue;
            }
            b'+' => {
                let v = hex(b.get(i + 2..i + 8)?)?;
                i += 8;
                v
            }
            _ => {
                let v = hex(b.get(i + 1..i + 5)?)?;
                i += 5;
                v
            }
        };
        push_code(&mut out, code, &mut high_surrogate)?;
    }
    if high_surrogate.is_some() {
        return None;
    }
    String::from_utf8(out).ok()
}

fn hex(digits: &[u8]) -> Option<u32> {
    std::str::from_utf8(digits)
        .ok()
        .filter(|d| d.bytes().all(|c| c.is_ascii_hexdigit()))
        .and_then(|d| u32::from_str_radix(d, 16).ok())
}

fn push_byte(out: &mut Vec<u8>, v: u32) -> Option<()> {
    let byte = u8::try_from(v).ok().filter(|&b| b != 0)?;
    out.push(byte);
    Some(())
}

/// Appends a code point, pairing UTF-16 surrogates as PostgreSQL does.
fn push_code(out: &mut Vec<u8>, code: u32, high: &mut Option<u32>) -> Option<()> {
    let code = match (*high, code) {
        (None, 0xD800..=0xDBFF) => {
            *high = Some(code);
            return Some(());
        }
        (Some(h), 0xDC00..=0xDFFF) => {
            *high = None;
            0x10000 + ((h - 0xD800) << 10) + (code - 0xDC00)
        }
        (Some(_), _) | (None, 0xDC00..=0xDFFF) => return None,
        (None, c) => c,
    };
    let c = char::from_u32(code).filter(|&c| c != '\0')?;
    let mut buf = [0u8; 4];
    out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
    Some(())
}
