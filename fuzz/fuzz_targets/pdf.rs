//! Any bytes as a PDF, through poppler and the layout (needs pdftotext on PATH).
#![no_main]

use govlens::corpus::extract::Format;
use govlens::corpus::read::from_bytes;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(e) = from_bytes(data, None, Format::Pdf) {
        assert!(e.layout.pages.iter().all(|&p| e.text.is_char_boundary(p)));
    }
});
