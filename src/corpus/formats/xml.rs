//! What the XML formats share (Word and OpenDocument parts, poppler's bounding-box
//! XHTML): the character an entity stands for.

/// The character an XML entity or character reference (`amp`, `#39`) stands for.
pub(crate) fn reference(name: &str) -> Option<char> {
    match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        _ => name.strip_prefix('#').and_then(|n| {
            let code = match n.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok(),
                None => n.parse().ok(),
            };
            code.and_then(char::from_u32)
        }),
    }
}
