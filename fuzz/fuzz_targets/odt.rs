//! Any bytes as an OpenDocument text: zip archive, XML parts, notes and headings.
#![no_main]

use govlens::corpus::extract::Format;
use govlens::corpus::read::from_bytes;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(e) = from_bytes(data, None, Format::Odt) {
        assert!(e.layout.headings.iter().all(|&h| e.text.is_char_boundary(h)));
    }
});
