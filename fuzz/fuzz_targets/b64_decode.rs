//! Fuzz `devkit b64`'s codec on every kernel this CPU runs: the decoder must never panic, and
//! for any input, alphabet, garbage mode and block size it must write the same bytes and fail at
//! the same place as the straightforward reference decoder below; the encoder must write the
//! same text on every kernel.
//!
//! Input layout: byte 0 picks the mode (bit 0: URL-safe alphabet, bit 1: ignore garbage, the
//! rest: the wrap width for encoding, see below), byte 1 the block size the input is fed in (0:
//! all at once), the rest is the text (or, for encoding, the data).
#![no_main]

use libfuzzer_sys::fuzz_target;

// The codec's own files, as they are.
#[allow(dead_code)]
#[path = "../../src/commands/b64/avx2.rs"]
mod avx2;
#[allow(dead_code)]
#[path = "../../src/commands/b64/avx512.rs"]
mod avx512;
#[allow(dead_code)]
#[path = "../../src/commands/b64/codec.rs"]
mod codec;
#[allow(dead_code)]
#[path = "../../src/commands/b64/kernel.rs"]
mod kernel;

use codec::{Alphabet, Decoder, Encoder, Location};
use kernel::Kernel;

fuzz_target!(|data: &[u8]| {
    let Some((&[mode, block], text)) = data.split_first_chunk::<2>() else {
        return;
    };
    let alphabet = if mode & 1 == 1 {
        Alphabet::UrlSafe
    } else {
        Alphabet::Standard
    };
    let ignore_garbage = mode & 2 == 2;
    let block = if block == 0 {
        text.len().max(1)
    } else {
        usize::from(block)
    };

    let want = reference(text, alphabet, ignore_garbage);
    // Even steps give 0, 4, …, 124 (multiples of 4: the kernels' line paths, GNU's 76 with
    // the AVX-512 kernel's four-line blocks among them), odd ones 3, 9, …, 189 (mostly not
    // multiples of 4: the copy path).
    let step = usize::from(mode >> 2);
    let wrap = if step % 2 == 0 { step * 2 } else { step * 3 };
    let encoded = encode(text, alphabet, wrap, block, Kernel::portable());
    for kernel in Kernel::available() {
        let got = decode(text, alphabet, ignore_garbage, block, kernel);
        assert_eq!(got, want, "{kernel:?}, mode {mode}, block {block}, text {text:?}");
        assert_eq!(
            encode(text, alphabet, wrap, block, kernel),
            encoded,
            "{kernel:?} encoding, mode {mode}, block {block}, data {text:?}"
        );
    }
});

fn decode(
    text: &[u8],
    alphabet: Alphabet,
    ignore_garbage: bool,
    block: usize,
    kernel: Kernel,
) -> (Vec<u8>, Option<Location>) {
    let mut decoder = Decoder::with_kernel(alphabet, ignore_garbage, kernel);
    let mut out = Vec::new();
    for chunk in text.chunks(block) {
        let decoded = decoder.decode(chunk);
        out.extend_from_slice(decoded.bytes);
        if let Err(e) = decoded.result {
            return (out, Some(e.at));
        }
    }
    let decoded = decoder.finish();
    out.extend_from_slice(decoded.bytes);
    (out, decoded.result.err().map(|e| e.at))
}

fn encode(data: &[u8], alphabet: Alphabet, wrap: usize, block: usize, kernel: Kernel) -> Vec<u8> {
    let mut encoder = Encoder::with_kernel(alphabet, wrap, kernel);
    let mut out = Vec::new();
    for chunk in data.chunks(block) {
        out.extend_from_slice(encoder.encode(chunk));
    }
    out.extend_from_slice(encoder.finish());
    out
}

/// The rules of GNU coreutils 9.8, spelled out plainly: after dropping newlines (or every
/// byte outside the alphabet and `=`), the text is groups of four, each `dddd`, `dd==` or
/// `ddd=` (`d` a data character), and the last may be an unpadded `dd` or `ddd`. The unused
/// bits of a padded or unpadded group must be zero. On an error, the output holds every group
/// before the failing one and the whole bytes of its leading data characters.
fn reference(text: &[u8], alphabet: Alphabet, ignore_garbage: bool) -> (Vec<u8>, Option<Location>) {
    let symbols: &[u8; 64] = match alphabet {
        Alphabet::Standard => b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/",
        Alphabet::UrlSafe => b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_",
    };
    let value = |b: u8| symbols.iter().position(|&s| s == b).map(|v| v as u32);
    // (byte, where it was in the text)
    let kept: Vec<(u8, usize)> = text
        .iter()
        .copied()
        .enumerate()
        .filter(|&(_, b)| {
            if ignore_garbage {
                b == b'=' || value(b).is_some()
            } else {
                b != b'\n'
            }
        })
        .map(|(i, b)| (b, i))
        .collect();

    let mut out = Vec::new();
    for group in kept.chunks(4) {
        let data: Vec<u32> = group.iter().map_while(|&(b, _)| value(b)).collect();
        // The first position that cannot continue any of dddd, dd==, ddd=.
        let wrong = group.iter().enumerate().position(|(i, &(b, _))| {
            let is_data = value(b).is_some();
            match i {
                0 | 1 => !is_data,
                2 => !(is_data || b == b'='),
                _ => {
                    if group[2].0 == b'=' {
                        b != b'='
                    } else {
                        !(is_data || b == b'=')
                    }
                }
            }
        });
        let leading = |out: &mut Vec<u8>| {
            let bits = data.iter().take(3).fold(0u32, |acc, v| (acc << 6) | v);
            match data.len().min(3) {
                2 => out.push((bits >> 4) as u8),
                3 => out.extend_from_slice(&[(bits >> 10) as u8, (bits >> 2) as u8]),
                _ => {}
            }
        };
        if let Some(i) = wrong {
            leading(&mut out);
            return (out, Some(locate(text, group[i].1)));
        }
        match (group.len(), data.len()) {
            (4, 4) => {
                let bits = data.iter().fold(0u32, |acc, v| (acc << 6) | v);
                out.extend_from_slice(&[(bits >> 16) as u8, (bits >> 8) as u8, bits as u8]);
            }
            (1, _) => return (out, Some(locate(text, group[0].1))),
            (3, 2) => {
                // `dd=` at the very end: half of `==`.
                leading(&mut out);
                return (out, Some(locate(text, group[2].1)));
            }
            (_, n) => {
                leading(&mut out);
                let last = data[n - 1];
                let unused = if n == 2 { 0x0f } else { 0x03 };
                if last & unused != 0 {
                    return (out, Some(locate(text, group[n - 1].1)));
                }
            }
        }
    }
    (out, None)
}

fn locate(text: &[u8], offset: usize) -> Location {
    let before = &text[..offset];
    let line_start = before.iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1);
    Location {
        offset: offset as u64,
        line: before.iter().filter(|&&b| b == b'\n').count() as u64 + 1,
        column: (offset - line_start) as u64 + 1,
    }
}
