//! Bytes to text: encoding detection and strict decoding.
//!
//! Order of evidence: a byte-order mark (UTF-8, UTF-16 LE/BE) wins; then an
//! encoding the manifest states; then valid UTF-8; then chardetng's guess among
//! the legacy encodings (GBK/GB18030, Big5 ...). Decoding never replaces bad bytes:
//! a document that does not decode cleanly is reported, not silently corrupted.
//! Files that look binary (NUL bytes without a UTF-16 mark, a PDF header) are
//! refused before any guessing.

use encoding_rs::{Encoding, GB18030, GBK, UTF_8};

/// A decoded document and the encoding it was read with.
#[derive(Debug, Clone, PartialEq)]
pub struct Decoded {
    pub text: String,
    /// The WHATWG name of the encoding, e.g. `UTF-8`, `UTF-16LE`, `gb18030`, `Big5`.
    pub encoding: &'static str,
    /// Whether a byte-order mark was present (and dropped).
    pub had_bom: bool,
}

/// Why bytes could not become text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeError {
    /// The file looks binary (the message says why).
    Binary(String),
    /// The bytes are not valid in the encoding used.
    Malformed(String),
}

/// Looks up an encoding label such as `gbk`, `big5`, `utf-16le` (WHATWG labels).
pub fn encoding_for_label(label: &str) -> Option<&'static Encoding> {
    Encoding::for_label(label.trim().as_bytes())
}

/// Decodes `bytes`, with `declared` from the manifest if it gives one.
pub fn decode(bytes: &[u8], declared: Option<&'static Encoding>) -> Result<Decoded, DecodeError> {
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        return strict(encoding, &bytes[bom_len..], true);
    }
    if bytes.starts_with(b"%PDF-") {
        return Err(DecodeError::Binary(
            "a PDF file: convert it to text first (e.g. pdftotext)".into(),
        ));
    }
    if let Some(encoding) = declared {
        let utf16 = encoding == encoding_rs::UTF_16LE || encoding == encoding_rs::UTF_16BE;
        if !utf16 && looks_binary(bytes) {
            return Err(DecodeError::Binary(
                "contains NUL bytes or control characters: not a text file".into(),
            ));
        }
        return strict(encoding, bytes, false);
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        if looks_binary(bytes) {
            return Err(DecodeError::Binary(
                "contains NUL bytes or control characters: not a text file".into(),
            ));
        }
        return Ok(Decoded {
            text: text.to_string(),
            encoding: UTF_8.name(),
            had_bom: false,
        });
    }
    if looks_binary(bytes) {
        return Err(DecodeError::Binary(
            "not UTF-8 and contains NUL bytes or control characters: not a text file".into(),
        ));
    }
    if let Some(message) = mostly_utf8(bytes) {
        return Err(DecodeError::Malformed(message));
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    let mut guess = detector.guess(None, chardetng::Utf8Detection::Allow);
    // GB18030 is a superset of GBK: decode with it so that no valid byte fails.
    if guess == GBK {
        guess = GB18030;
    }
    strict(guess, bytes, false)
}

fn strict(
    encoding: &'static Encoding,
    bytes: &[u8],
    had_bom: bool,
) -> Result<Decoded, DecodeError> {
    match encoding.decode_without_bom_handling_and_without_replacement(bytes) {
        Some(text) => Ok(Decoded {
            text: text.into_owned(),
            encoding: encoding.name(),
            had_bom,
        }),
        None => Err(DecodeError::Malformed(format!(
            "not valid {}{}: {}",
            encoding.name(),
            if had_bom {
                " (as its byte-order mark says)"
            } else {
                ""
            },
            first_bad_offset(encoding, bytes)
                .map_or("bytes that do not decode".to_string(), |o| format!(
                    "first bad byte near offset {o}"
                )),
        ))),
    }
}

/// Where decoding first fails, for the error message.
fn first_bad_offset(encoding: &'static Encoding, bytes: &[u8]) -> Option<usize> {
    if encoding == UTF_8 {
        return std::str::from_utf8(bytes).err().map(|e| e.valid_up_to());
    }
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let mut out = String::with_capacity(4096);
    let mut read = 0;
    loop {
        out.clear();
        let (result, n) =
            decoder.decode_to_string_without_replacement(&bytes[read..], &mut out, true);
        read += n;
        match result {
            encoding_rs::DecoderResult::InputEmpty => return None,
            encoding_rs::DecoderResult::OutputFull => continue,
            encoding_rs::DecoderResult::Malformed(bad, extra) => {
                return Some(read.saturating_sub(bad as usize + extra as usize));
            }
        }
    }
}

/// A file that is UTF-8 except for a few bad sequences is damaged or mixes
/// encodings: guessing a legacy encoding for all of it would turn its UTF-8 text
/// into mojibake, so it is reported instead. `None` when the file is not like that.
fn mostly_utf8(bytes: &[u8]) -> Option<String> {
    let (mut multibyte, mut invalid, mut first_bad) = (0usize, 0usize, None);
    let mut offset = 0;
    for chunk in bytes.utf8_chunks() {
        multibyte += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        offset += chunk.valid().len();
        if !chunk.invalid().is_empty() {
            invalid += 1;
            first_bad.get_or_insert(offset);
            offset += chunk.invalid().len();
        }
    }
    (multibyte >= 8 && multibyte >= invalid).then(|| {
        format!(
            "UTF-8 text with {invalid} invalid byte sequence(s), the first at offset {}: \
             a damaged file or mixed encodings; re-save it in one encoding",
            first_bad.unwrap_or(0)
        )
    })
}

/// A text file has no NUL bytes and few C0 control characters.
fn looks_binary(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(64 * 1024)];
    if head.contains(&0) {
        return true;
    }
    let controls = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0C | 0x0B | 0x1B))
        .count();
    controls * 100 > head.len().max(1) * 2
}

#[cfg(test)]
mod tests {
    use super::*;
    use encoding_rs::{BIG5, UTF_16BE, UTF_16LE};

    const ZH_HANS: &str = "坚持依法治理，推动法治与善治。人工智能治理需要可信赖的规则。";
    const ZH_HANT: &str = "堅持依法治理，推動法治與善治。人工智慧治理需要可信賴的規則。";

    fn utf16(text: &str, le: bool) -> Vec<u8> {
        let mut out = if le {
            vec![0xFF, 0xFE]
        } else {
            vec![0xFE, 0xFF]
        };
        for unit in text.encode_utf16() {
            let b = if le {
                unit.to_le_bytes()
            } else {
                unit.to_be_bytes()
            };
            out.extend(b);
        }
        out
    }

    #[test]
    fn detects_and_decodes_each_encoding() {
        let gb = GB18030.encode(ZH_HANS).0.into_owned();
        let big5 = BIG5.encode(ZH_HANT).0.into_owned();
        let mut bom8 = b"\xEF\xBB\xBF".to_vec();
        bom8.extend(ZH_HANS.as_bytes());
        let cases: Vec<(&str, Vec<u8>, &str, &str)> = vec![
            ("utf-8", ZH_HANS.as_bytes().to_vec(), "UTF-8", ZH_HANS),
            ("utf-8 with bom", bom8, "UTF-8", ZH_HANS),
            (
                "utf-16le bom",
                utf16(ZH_HANS, true),
                UTF_16LE.name(),
                ZH_HANS,
            ),
            (
                "utf-16be bom",
                utf16(ZH_HANT, false),
                UTF_16BE.name(),
                ZH_HANT,
            ),
            ("gbk/gb18030", gb, "gb18030", ZH_HANS),
            ("big5", big5, "Big5", ZH_HANT),
        ];
        for (name, bytes, encoding, text) in cases {
            let d = decode(&bytes, None).unwrap_or_else(|e| panic!("{name}: {e:?}"));
            assert_eq!((d.encoding, d.text.as_str()), (encoding, text), "{name}");
        }
    }

    #[test]
    fn mixed_encodings_are_reported_not_guessed() {
        let mut bytes = ZH_HANS.as_bytes().to_vec();
        bytes.extend(GB18030.encode("混入的国标编码").0.iter());
        match decode(&bytes, None) {
            Err(DecodeError::Malformed(m)) => {
                assert!(m.contains("mixed encodings"), "{m}");
                assert!(m.contains(&format!("offset {}", ZH_HANS.len())), "{m}");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn declared_encoding_is_used() {
        let big5 = BIG5.encode(ZH_HANT).0.into_owned();
        let d = decode(&big5, encoding_for_label("big5")).unwrap();
        assert_eq!(d.text, ZH_HANT);
        assert!(encoding_for_label("no-such-encoding").is_none());
    }

    #[test]
    fn binary_and_broken_input_is_refused() {
        assert!(matches!(
            decode(b"%PDF-1.7\n...", None),
            Err(DecodeError::Binary(_))
        ));
        assert!(matches!(
            decode(b"ab\0\0cd\0", None),
            Err(DecodeError::Binary(_))
        ));
        // Valid GB18030 up to a truncated two-byte sequence.
        let mut gb = GB18030.encode("法治").0.into_owned();
        gb.push(0x81);
        let mut bytes = utf16("ab", true);
        bytes.push(0x00); // odd length: a truncated UTF-16 unit
        assert!(matches!(
            decode(&bytes, None),
            Err(DecodeError::Malformed(_))
        ));
        match decode(&gb, encoding_for_label("gb18030")) {
            Err(DecodeError::Malformed(m)) => assert!(m.contains("offset 4"), "{m}"),
            other => panic!("{other:?}"),
        }
    }
}
