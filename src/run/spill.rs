//! What the group statistics need of every document, spilled to files while the
//! corpus is analysed, so that during the corpus pass a run holds only the batch in
//! flight, whatever the number of documents.
//!
//! Two files in the staging directory, written once in doc_id order and removed
//! before the run directory is committed:
//! - the terms and collocates of each profile ([`SpillWriter`], [`Spilled`]): the
//!   largest part (dispersion needs each document's count of each term), read back
//!   in passes by the statistics; a record per document: its length, then LEB128
//!   varints: the number of terms, each term as the gap from the previous id and
//!   its count, the number of collocates, each as frame, term and count;
//! - the rest of each profile and its language-version data ([`Records`], postcard
//!   records), read back whole once the pass is done: small, and then allocated in
//!   one piece, not scattered between the batches' freed memory.

use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::stats::profile::{DocTerms, TermsVisitor};

/// The spill file being written.
pub struct SpillWriter {
    path: PathBuf,
    out: BufWriter<File>,
    docs: usize,
    record: Vec<u8>,
}

impl SpillWriter {
    pub fn create(path: &Path) -> Result<SpillWriter> {
        let file = File::create(path).map_err(|e| Error::io(path, e))?;
        Ok(SpillWriter {
            path: path.to_path_buf(),
            out: BufWriter::with_capacity(1 << 20, file),
            docs: 0,
            record: Vec::new(),
        })
    }

    /// Appends the next document's terms (sorted by id) and collocates.
    pub fn push(&mut self, terms: &[(u32, u32)], collocates: &[(u32, u32, u32)]) -> Result<()> {
        let r = &mut self.record;
        r.clear();
        put(r, terms.len() as u64);
        let mut last = 0u32;
        for &(id, n) in terms {
            put(r, u64::from(id - last));
            put(r, u64::from(n));
            last = id;
        }
        put(r, collocates.len() as u64);
        for &(f, t, n) in collocates {
            put(r, u64::from(f));
            put(r, u64::from(t));
            put(r, u64::from(n));
        }
        let len = u32::try_from(r.len()).map_err(|_| {
            Error::Invalid("a document has more than 4 GB of distinct terms".into())
        })?;
        let io = |e| Error::io(&self.path, e);
        self.out.write_all(&len.to_le_bytes()).map_err(io)?;
        self.out.write_all(r).map_err(io)?;
        self.docs += 1;
        Ok(())
    }

    /// The finished file, to be read.
    pub fn finish(mut self) -> Result<Spilled> {
        self.out.flush().map_err(|e| Error::io(&self.path, e))?;
        Ok(Spilled {
            path: self.path,
            docs: self.docs,
        })
    }
}

/// A finished spill file; removed when dropped.
pub struct Spilled {
    path: PathBuf,
    docs: usize,
}

impl DocTerms for Spilled {
    fn each(&self, each: &mut TermsVisitor<'_>) -> Result<()> {
        let file = File::open(&self.path).map_err(|e| Error::io(&self.path, e))?;
        let mut input = BufReader::with_capacity(1 << 20, file);
        let (mut record, mut terms, mut collocates) = (Vec::new(), Vec::new(), Vec::new());
        let corrupt = || Error::Output {
            path: self.path.clone(),
            message: "the spill file is damaged (was it changed while govlens ran?)".into(),
        };
        for i in 0..self.docs {
            let mut len = [0u8; 4];
            input
                .read_exact(&mut len)
                .map_err(|e| Error::io(&self.path, e))?;
            record.resize(u32::from_le_bytes(len) as usize, 0);
            input
                .read_exact(&mut record)
                .map_err(|e| Error::io(&self.path, e))?;
            let mut r = &record[..];
            let mut next = || take(&mut r).ok_or_else(corrupt);
            terms.clear();
            let mut id = 0u64;
            for _ in 0..next()? {
                id += next()?;
                terms.push((id as u32, next()? as u32));
            }
            collocates.clear();
            for _ in 0..next()? {
                collocates.push((next()? as u32, next()? as u32, next()? as u32));
            }
            each(i, &terms, &collocates)?;
        }
        Ok(())
    }
}

impl Drop for Spilled {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// A file of serialised records (postcard, each prefixed by its length), written
/// in order and read back whole.
pub struct Records<T> {
    path: PathBuf,
    out: BufWriter<File>,
    count: usize,
    bytes: Vec<u8>,
    _of: std::marker::PhantomData<T>,
}

impl<T: serde::Serialize + serde::de::DeserializeOwned> Records<T> {
    pub fn create(path: &Path) -> Result<Records<T>> {
        let file = File::create(path).map_err(|e| Error::io(path, e))?;
        Ok(Records {
            path: path.to_path_buf(),
            out: BufWriter::with_capacity(1 << 20, file),
            count: 0,
            bytes: Vec::new(),
            _of: std::marker::PhantomData,
        })
    }

    pub fn push(&mut self, record: &T) -> Result<()> {
        self.bytes = postcard::to_extend(record, std::mem::take(&mut self.bytes)).map_err(|e| {
            Error::Output {
                path: self.path.clone(),
                message: format!("cannot spill a profile: {e}"),
            }
        })?;
        let len = self.bytes.len() as u64;
        let io = |e| Error::io(&self.path, e);
        self.out.write_all(&len.to_le_bytes()).map_err(io)?;
        self.out.write_all(&self.bytes).map_err(io)?;
        self.bytes.clear();
        self.count += 1;
        Ok(())
    }

    /// Every record, in order; the file is removed.
    pub fn read_all(mut self) -> Result<Vec<T>> {
        self.out.flush().map_err(|e| Error::io(&self.path, e))?;
        let file = File::open(&self.path).map_err(|e| Error::io(&self.path, e))?;
        let mut input = BufReader::with_capacity(1 << 20, file);
        let mut out = Vec::with_capacity(self.count);
        let mut bytes = Vec::new();
        for _ in 0..self.count {
            let mut len = [0u8; 8];
            input
                .read_exact(&mut len)
                .map_err(|e| Error::io(&self.path, e))?;
            bytes.resize(u64::from_le_bytes(len) as usize, 0);
            input
                .read_exact(&mut bytes)
                .map_err(|e| Error::io(&self.path, e))?;
            out.push(postcard::from_bytes(&bytes).map_err(|e| Error::Output {
                path: self.path.clone(),
                message: format!("the spill file is damaged: {e}"),
            })?);
        }
        let _ = std::fs::remove_file(&self.path);
        Ok(out)
    }
}

/// Appends `v` as an unsigned LEB128 varint.
fn put(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// Reads an unsigned LEB128 varint from the front of `input`.
fn take(input: &mut &[u8]) -> Option<u64> {
    let mut v = 0u64;
    for shift in (0..64).step_by(7) {
        let (&byte, rest) = input.split_first()?;
        *input = rest;
        v |= u64::from(byte & 0x7f) << shift;
        if byte < 0x80 {
            return Some(v);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_come_back_as_they_went_in() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("spill");
        type Doc = (Vec<(u32, u32)>, Vec<(u32, u32, u32)>);
        let docs: Vec<Doc> = vec![
            (
                vec![(0, 1), (5, 300), (u32::MAX, u32::MAX)],
                vec![(2, 5, 7)],
            ),
            (vec![], vec![]),
            (
                vec![(127, 128), (128, 16_384)],
                vec![(0, 0, 1), (19, 128, 2)],
            ),
        ];
        let mut w = SpillWriter::create(&path).unwrap();
        for (t, c) in &docs {
            w.push(t, c).unwrap();
        }
        let spilled = w.finish().unwrap();
        for _pass in 0..2 {
            let mut back = Vec::new();
            spilled
                .each(&mut |i, t, c| {
                    back.push((i, t.to_vec(), c.to_vec()));
                    Ok(())
                })
                .unwrap();
            let want: Vec<_> = docs
                .iter()
                .enumerate()
                .map(|(i, (t, c))| (i, t.clone(), c.clone()))
                .collect();
            assert_eq!(back, want);
        }
        drop(spilled);
        assert!(!path.exists(), "removed when dropped");
    }

    #[test]
    fn records_come_back_whole_and_the_file_goes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("records");
        let mut r: Records<(String, Option<Vec<u64>>)> = Records::create(&path).unwrap();
        let want = vec![
            ("a".to_string(), None),
            (String::new(), Some(vec![0, u64::MAX])),
            ("法治".to_string(), Some(vec![])),
        ];
        for x in &want {
            r.push(x).unwrap();
        }
        assert_eq!(r.read_all().unwrap(), want);
        assert!(!path.exists());
    }

    #[test]
    fn a_damaged_file_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("spill");
        let mut w = SpillWriter::create(&path).unwrap();
        w.push(&[(1, 2), (3, 4)], &[]).unwrap();
        let spilled = w.finish().unwrap();
        // Cut the record short: its length says more than is there.
        let bytes = std::fs::read(&path).unwrap();
        std::fs::write(&path, &bytes[..bytes.len() - 2]).unwrap();
        assert!(spilled.each(&mut |_, _, _| Ok(())).is_err());
    }
}
