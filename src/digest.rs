//! Content digests: the SHA-256 fingerprints that tie a run to its inputs.
//!
//! Documents, the lexicon, the segmenter's added words and the Taiwan vocabulary
//! are each recorded by the hex SHA-256 of their bytes, so a reader of `run.json`
//! can tell whether two runs saw the same things. One function, at the bottom of
//! the crate, so every layer fingerprints the same way.

use sha2::{Digest, Sha256};

/// Lower-case hex SHA-256 of `bytes`.
pub fn hex_sha256(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// Lower-case hex SHA-256 of the file at `path`, read in pieces (it may be
/// large).
pub fn file_sha256(path: &std::path::Path) -> std::io::Result<String> {
    use std::io::Read;
    let (mut file, mut hasher) = (std::fs::File::open(path)?, Sha256::new());
    let mut buf = vec![0u8; 1 << 16];
    loop {
        match file.read(&mut buf)? {
            0 => return Ok(hex(&hasher.finalize())),
            n => hasher.update(&buf[..n]),
        }
    }
}

/// Lower-case hex of a digest.
pub fn hex(digest: &[u8]) -> String {
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_file_hashes_as_its_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        let bytes: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
        std::fs::write(&path, &bytes).unwrap();
        assert_eq!(
            super::file_sha256(&path).unwrap(),
            super::hex_sha256(&bytes)
        );
    }

    #[test]
    fn known_digests() {
        assert_eq!(
            super::hex_sha256(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(
            super::hex_sha256("法治".as_bytes()).len(),
            64,
            "32 bytes as hex"
        );
    }
}
