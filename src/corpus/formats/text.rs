//! Plain text (`.txt`): analysed as it is decoded. Hard-wrapped lines are joined
//! by the analyzer, which keeps byte offsets pointing into the text.

/// The text of a decoded plain-text file: itself.
pub fn extract(decoded: String) -> String {
    decoded
}

/// Ends the current paragraph with a blank line (once).
pub(super) fn paragraph_break(out: &mut String) {
    while out.ends_with(' ') {
        out.pop();
    }
    if out.is_empty() || out.ends_with("\n\n") {
        return;
    }
    out.push_str(if out.ends_with('\n') { "\n" } else { "\n\n" });
}
