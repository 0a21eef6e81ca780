//! Small pieces for writing JSON directly into a byte buffer: the readers' direct writers emit
//! the same bytes as their `Serialize` implementations, without serde's per-entry machinery.

/// An unsigned or signed integer.
pub fn num(out: &mut Vec<u8>, v: impl itoa::Integer) {
    out.extend_from_slice(itoa::Buffer::new().format(v).as_bytes());
}

/// `,"key":` (or `"key":` as the first entry of an object).
pub fn key(out: &mut Vec<u8>, first: bool, k: &str) {
    if !first {
        out.push(b',');
    }
    out.push(b'"');
    out.extend_from_slice(k.as_bytes());
    out.extend_from_slice(b"\":");
}

/// A JSON string, escaped when it needs to be.
pub fn string(out: &mut Vec<u8>, s: &str) {
    if s.bytes()
        .all(|b| (0x20..0x7f).contains(&b) && b != b'"' && b != b'\\')
    {
        out.push(b'"');
        out.extend_from_slice(s.as_bytes());
        out.push(b'"');
    } else {
        // Writing into a Vec cannot fail.
        let _ = serde_json::to_writer(&mut *out, s);
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn strings_match_serde() {
        for s in ["eth0", "with \"quote\"", "tab\there", "é", ""] {
            let mut out = Vec::new();
            super::string(&mut out, s);
            assert_eq!(out, serde_json::to_vec(s).expect("serde"), "{s}");
        }
    }
}
