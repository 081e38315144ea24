//! Splits a byte stream into newline-delimited JSON lines as chunks arrive, whatever the chunk
//! boundaries.

/// The maximum line length kept, in bytes. The helper's lines are single check results and reports, a few
/// kilobytes each; a longer line means the stream is not what the page expects.
pub const MAX_LINE_BYTES: usize = 1024 * 1024;

/// Bytes received after the last complete line.
#[derive(Debug, Default)]
pub struct LineBuffer {
    pending: Vec<u8>,
}

/// A line longer than [`MAX_LINE_BYTES`].
#[derive(Debug, PartialEq)]
pub struct LineTooLong;

impl LineBuffer {
    /// Adds a chunk and returns the lines it completed, without their line endings. Empty lines
    /// are dropped.
    pub fn push(&mut self, chunk: &[u8]) -> Result<Vec<Vec<u8>>, LineTooLong> {
        self.pending.extend_from_slice(chunk);
        let mut lines = Vec::new();
        while let Some(end) = self.pending.iter().position(|byte| *byte == b'\n') {
            let mut line: Vec<u8> = self.pending.drain(..=end).collect();
            line.pop();
            if line.last() == Some(&b'\r') {
                line.pop();
            }
            if !line.is_empty() {
                lines.push(line);
            }
        }
        if self.pending.len() > MAX_LINE_BYTES {
            return Err(LineTooLong);
        }
        Ok(lines)
    }

    /// Returns the last line when the stream ended without a final newline.
    pub fn finish(self) -> Option<Vec<u8>> {
        let line = self.pending;
        let trimmed = line.iter().any(|byte| !byte.is_ascii_whitespace());
        trimmed.then_some(line)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn push_splits_across_chunks() {
        let mut buffer = LineBuffer::default();
        assert_eq!(buffer.push(b"{\"a\":").unwrap(), Vec::<Vec<u8>>::new());
        assert_eq!(buffer.push(b"1}\n{\"b\"").unwrap(), vec![b"{\"a\":1}".to_vec()]);
        assert_eq!(buffer.push(b":2}\r\n\n").unwrap(), vec![b"{\"b\":2}".to_vec()]);
        assert_eq!(buffer.finish(), None);
    }

    #[test]
    fn finish_returns_unterminated_line() {
        let mut buffer = LineBuffer::default();
        assert!(buffer.push(b"{}").unwrap().is_empty());
        assert_eq!(buffer.finish(), Some(b"{}".to_vec()));
    }

    #[test]
    fn push_rejects_overlong_line() {
        let mut buffer = LineBuffer::default();
        let chunk = vec![b'x'; MAX_LINE_BYTES + 1];
        assert_eq!(buffer.push(&chunk), Err(LineTooLong));
    }
}
