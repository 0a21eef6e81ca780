//! The end of a zstd file's last complete frame, found by walking frame and block headers
//! (RFC 8878) with small positioned reads: a file appended to for days can be gigabytes, and
//! only its headers are read. The zstd library offers this walk only over bytes in memory.

use std::fs::File;
use std::io;
use std::os::unix::fs::FileExt;

/// Magic number of a zstd frame (little-endian).
const FRAME_MAGIC: u32 = 0xFD2F_B528;
/// Skippable frames have magic numbers 0x184D2A50 to 0x184D2A5F.
const SKIPPABLE_MASK: u32 = 0xFFFF_FFF0;
const SKIPPABLE_MAGIC: u32 = 0x184D_2A50;

fn read_at(file: &File, at: u64, buf: &mut [u8]) -> io::Result<bool> {
    match file.read_exact_at(buf, at) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => Ok(false),
        Err(e) => Err(e),
    }
}

/// The length of the complete frames at the start of `file` (`len` bytes long): where the
/// first frame that is cut short or damaged begins, or `len` when every frame is whole.
pub fn complete_length(file: &File, len: u64) -> io::Result<u64> {
    let mut at = 0u64;
    while at < len {
        match frame_end(file, at, len)? {
            Some(end) if end <= len => at = end,
            _ => return Ok(at),
        }
    }
    Ok(at)
}

/// Where the frame starting at `at` ends, `None` when its headers are not a zstd frame or
/// reach past `len`.
fn frame_end(file: &File, at: u64, len: u64) -> io::Result<Option<u64>> {
    let mut word = [0u8; 4];
    if !read_at(file, at, &mut word)? {
        return Ok(None);
    }
    let magic = u32::from_le_bytes(word);
    if magic & SKIPPABLE_MASK == SKIPPABLE_MAGIC {
        if !read_at(file, at + 4, &mut word)? {
            return Ok(None);
        }
        return Ok(Some(at + 8 + u64::from(u32::from_le_bytes(word))));
    }
    if magic != FRAME_MAGIC {
        return Ok(None);
    }
    let mut descriptor = [0u8; 1];
    if !read_at(file, at + 4, &mut descriptor)? {
        return Ok(None);
    }
    let d = descriptor[0];
    let single_segment = d & 0x20 != 0;
    let checksum = d & 0x04 != 0;
    let dictionary_id = [0u64, 1, 2, 4][usize::from(d & 0x03)];
    let content_size = match d >> 6 {
        0 => u64::from(single_segment),
        1 => 2,
        2 => 4,
        _ => 8,
    };
    let window = u64::from(!single_segment);
    let mut pos = at + 5 + window + dictionary_id + content_size;
    loop {
        let mut header = [0u8; 3];
        if pos + 3 > len || !read_at(file, pos, &mut header)? {
            return Ok(None);
        }
        let h = u32::from(header[0]) | u32::from(header[1]) << 8 | u32::from(header[2]) << 16;
        let last = h & 1 != 0;
        let size = u64::from(h >> 3);
        let content = match (h >> 1) & 3 {
            0 => size, // raw
            1 => 1,    // RLE: one byte repeated
            2 => size, // compressed
            _ => return Ok(None),
        };
        pos += 3 + content;
        if last {
            break;
        }
    }
    Ok(Some(pos + if checksum { 4 } else { 0 }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn file_of(bytes: &[u8]) -> File {
        let path = std::env::temp_dir().join(format!(
            "netstatspy-frames-{}-{}",
            std::process::id(),
            bytes.len()
        ));
        let mut f = File::create(&path).expect("create");
        f.write_all(bytes).expect("write");
        let f = File::open(&path).expect("open");
        let _ = std::fs::remove_file(&path);
        f
    }

    #[test]
    fn walks_frames_the_library_wrote_and_stops_at_a_cut_one() {
        let mut bytes = Vec::new();
        let mut ends = Vec::new();
        for (i, level) in [1, 3, 19, -5].into_iter().enumerate() {
            // Compressible, incompressible and repetitive contents: compressed, raw and RLE
            // blocks; large enough for several blocks.
            let text: Vec<u8> = match i {
                0 => b"{\"type\":\"ip\",\"sample\":1}\n".repeat(20_000),
                1 => (0..300_000u32)
                    .map(|x| (x.wrapping_mul(2_654_435_761) >> 13) as u8)
                    .collect(),
                2 => vec![7u8; 400_000],
                _ => b"short\n".to_vec(),
            };
            let mut c = zstd::bulk::Compressor::new(level).expect("compressor");
            c.include_checksum(i % 2 == 0).expect("checksum flag");
            bytes.extend(c.compress(&text).expect("compress"));
            ends.push(bytes.len() as u64);
        }
        // A skippable frame between.
        bytes.extend(0x184D_2A53u32.to_le_bytes());
        bytes.extend(5u32.to_le_bytes());
        bytes.extend([1, 2, 3, 4, 5]);
        let whole = bytes.len() as u64;
        assert_eq!(
            complete_length(&file_of(&bytes), whole).expect("walk"),
            whole
        );
        // Every cut inside the last data frame ends the walk at that frame's start.
        for cut in [ends[2] + 1, ends[2] + 4, ends[3] - 1] {
            let f = file_of(&bytes[..cut as usize]);
            assert_eq!(
                complete_length(&f, cut).expect("walk"),
                ends[2],
                "cut at {cut}"
            );
        }
        // Garbage after complete frames: the frames are kept.
        let mut garbage = bytes[..ends[1] as usize].to_vec();
        garbage.extend(b"not zstd at all");
        let f = file_of(&garbage);
        assert_eq!(
            complete_length(&f, garbage.len() as u64).expect("walk"),
            ends[1]
        );
        // The library agrees that what is kept decodes.
        let kept = &bytes[..ends[2] as usize];
        assert!(zstd::stream::decode_all(kept).is_ok());
    }
}
