//! Fuzz target: arbitrary bytes through decoding, format extraction and analysis,
//! in every format and both Chinese scripts. It must never panic, and every token
//! span must lie on character boundaries inside the text.
#![no_main]

use std::sync::LazyLock;

use govlens::analyze::{Analyzer, ChineseScript};
use govlens::corpus::extract::Format;
use govlens::corpus::read::from_bytes;
use libfuzzer_sys::fuzz_target;

static ANALYZER: LazyLock<Analyzer> = LazyLock::new(|| Analyzer::new(&["善治", "合治"]));

fuzz_target!(|data: &[u8]| {
    let format = match data.first().map(|b| b % 3) {
        Some(0) => Format::Text,
        Some(1) => Format::Markdown,
        _ => Format::Html,
    };
    let Ok((text, _, _)) = from_bytes(data, None, format) else {
        return;
    };
    for script in [ChineseScript::Simplified, ChineseScript::Traditional] {
        let mut tokens = Vec::new();
        ANALYZER.tokenize(&text, (0, text.len()), script, &mut tokens);
        for t in &tokens {
            assert!(t.start < t.end && t.end <= text.len());
            assert!(text.is_char_boundary(t.start) && text.is_char_boundary(t.end));
        }
    }
});
