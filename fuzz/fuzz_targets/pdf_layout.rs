//! Poppler's word list (XHTML with boxes) of any shape, laid out as text: the
//! part of the PDF reader that is govlens' own code.
#![no_main]

use govlens::corpus::pdf::{bbox, layout};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(pages) = bbox::parse(data) {
        let (text, starts) = layout::text(&pages);
        assert_eq!(starts.len(), pages.len());
        assert!(starts.windows(2).all(|w| w[0] <= w[1]));
        assert!(starts.iter().all(|&s| text.is_char_boundary(s)));
    }
});
