//! The AVX2 kernel: 24 bytes ↔ 32 characters a step, in 256-bit registers (W. Muła's and
//! D. Lemire's published method: an in-lane byte shuffle, then multiplies to move the 6-bit
//! fields). Callers go through `Kernel`, which holds the proof that the CPU has AVX2.

use std::arch::x86_64::*;

/// Input bytes an encode step takes, characters a decode step takes.
pub const ENCODE_STEP: usize = 24;
pub const DECODE_STEP: usize = 32;

/// Per 128-bit lane: the 3-byte groups `s0 s1 s2` laid out as `s1 s0 s2 s1`, so that each
/// 32-bit lane holds the words `s0:s1` (low) and `s1:s2` (high).
const ENCODE_SHUFFLE: [u8; 16] = [1, 0, 2, 1, 4, 3, 5, 4, 7, 6, 8, 7, 10, 9, 11, 10];
/// Per 128-bit lane after the multiply-adds: each 32-bit lane holds `s2 s1 s0 0`.
const DECODE_PACK: [u8; 16] = [
    2, 1, 0, 6, 5, 4, 10, 9, 8, 14, 13, 12, 0x80, 0x80, 0x80, 0x80,
];

/// A 16-byte table in a register.
#[target_feature(enable = "avx2")]
fn table(bytes: &[u8; 16]) -> __m128i {
    // SAFETY: reads exactly the 16 bytes of `bytes`; unaligned loads are allowed.
    unsafe { _mm_loadu_si128(bytes.as_ptr().cast()) }
}

/// The per-lane offsets that turn a 6-bit value into its character (see `encode_step`).
fn encode_offsets(alphabet: &[u8; 64]) -> [u8; 16] {
    let mut offsets = [0u8; 16];
    offsets[0] = b'a'.wrapping_sub(26);
    for slot in &mut offsets[1..=10] {
        *slot = b'0'.wrapping_sub(52);
    }
    offsets[11] = alphabet[62].wrapping_sub(62);
    offsets[12] = alphabet[63].wrapping_sub(63);
    offsets[13] = b'A';
    offsets
}

#[target_feature(enable = "avx2")]
fn encode_step(src: &[u8], dst: &mut [u8], offsets: __m256i) {
    let (src, dst) = (&src[..ENCODE_STEP], &mut dst[..32]);
    // SAFETY: the two 16-byte loads read bytes 0..16 and 8..24 of `src`, which has 24.
    let (lo, hi) = unsafe {
        (
            _mm_loadu_si128(src.as_ptr().cast()),
            _mm_loadu_si128(src[8..].as_ptr().cast()),
        )
    };
    // Bytes 0..12 in the low lane, 12..24 in the high one.
    let v = _mm256_set_m128i(_mm_srli_si128::<4>(hi), lo);
    let v = _mm256_shuffle_epi8(v, _mm256_broadcastsi128_si256(table(&ENCODE_SHUFFLE)));
    // a = s0 >> 2 and c = (s1:s2 >> 6) & 63 by a high multiply; b and d by a low one.
    let ac = _mm256_mulhi_epu16(
        _mm256_and_si256(v, _mm256_set1_epi32(0x0fc0_fc00)),
        _mm256_set1_epi32(0x0400_0040),
    );
    let bd = _mm256_mullo_epi16(
        _mm256_and_si256(v, _mm256_set1_epi32(0x003f_03f0)),
        _mm256_set1_epi32(0x0100_0010),
    );
    let values = _mm256_or_si256(ac, bd);
    // Offset index: 0 for 26..=51, 1..=12 for 52..=63, 13 for 0..=25.
    let index = _mm256_or_si256(
        _mm256_subs_epu8(values, _mm256_set1_epi8(51)),
        _mm256_and_si256(
            _mm256_cmpgt_epi8(_mm256_set1_epi8(26), values),
            _mm256_set1_epi8(13),
        ),
    );
    let chars = _mm256_add_epi8(values, _mm256_shuffle_epi8(offsets, index));
    // SAFETY: writes exactly the 32 bytes of `dst`.
    unsafe { _mm256_storeu_si256(dst.as_mut_ptr().cast(), chars) }
}

/// See `Kernel::encode`.
#[target_feature(enable = "avx2")]
pub fn encode(alphabet: &[u8; 64], input: &[u8], out: &mut [u8]) -> usize {
    let offsets = _mm256_broadcastsi128_si256(table(&encode_offsets(alphabet)));
    let (mut i, mut o) = (0, 0);
    while i + ENCODE_STEP <= input.len() && o + 32 <= out.len() {
        encode_step(&input[i..], &mut out[o..], offsets);
        i += ENCODE_STEP;
        o += 32;
    }
    i
}

/// See `Kernel::encode_lines`: steps at 0, 24, … and a last one ending at the line's end
/// (overlapping the one before, which writes the same characters).
#[target_feature(enable = "avx2")]
pub fn encode_lines(alphabet: &[u8; 64], input: &[u8], line_bytes: usize, out: &mut [u8]) -> usize {
    let offsets = _mm256_broadcastsi128_si256(table(&encode_offsets(alphabet)));
    let width = line_bytes / 3 * 4;
    let mut lines = 0;
    let (mut i, mut o) = (0, 0);
    while i + line_bytes <= input.len() && o + width < out.len() {
        let (line, dst) = (&input[i..i + line_bytes], &mut out[o..=o + width]);
        let mut at = 0;
        loop {
            let step = at.min(line_bytes - ENCODE_STEP);
            encode_step(&line[step..], &mut dst[step / 3 * 4..], offsets);
            if step + ENCODE_STEP == line_bytes {
                break;
            }
            at += ENCODE_STEP;
        }
        dst[width] = b'\n';
        i += line_bytes;
        o += width + 1;
        lines += 1;
    }
    lines
}

/// 32 characters → their 6-bit values, or `None` when any is outside the alphabet.
#[target_feature(enable = "avx2")]
fn translate(v: __m256i, symbols: &[u8; 2]) -> Option<__m256i> {
    // `lo <= v <= hi` as unsigned bytes.
    let within = |lo: u8, hi: u8| {
        let t = _mm256_sub_epi8(v, _mm256_set1_epi8(lo as i8));
        _mm256_cmpeq_epi8(_mm256_min_epu8(t, _mm256_set1_epi8((hi - lo) as i8)), t)
    };
    let upper = within(b'A', b'Z');
    let lower = within(b'a', b'z');
    let digit = within(b'0', b'9');
    let v62 = _mm256_cmpeq_epi8(v, _mm256_set1_epi8(symbols[0] as i8));
    let v63 = _mm256_cmpeq_epi8(v, _mm256_set1_epi8(symbols[1] as i8));
    let valid = _mm256_or_si256(
        _mm256_or_si256(upper, lower),
        _mm256_or_si256(digit, _mm256_or_si256(v62, v63)),
    );
    if _mm256_movemask_epi8(valid) != -1 {
        return None;
    }
    let offset = |mask: __m256i, by: u8| _mm256_and_si256(mask, _mm256_set1_epi8(by as i8));
    let offsets = _mm256_or_si256(
        _mm256_or_si256(
            offset(upper, 0u8.wrapping_sub(b'A')),
            offset(lower, 26u8.wrapping_sub(b'a')),
        ),
        _mm256_or_si256(
            offset(digit, 52u8.wrapping_sub(b'0')),
            _mm256_or_si256(
                offset(v62, 62u8.wrapping_sub(symbols[0])),
                offset(v63, 63u8.wrapping_sub(symbols[1])),
            ),
        ),
    );
    Some(_mm256_add_epi8(v, offsets))
}

/// One decode step; `false` (and nothing meant written) when a character is not in the
/// alphabet. Writes 32 bytes, of which the first 24 are the data.
#[target_feature(enable = "avx2")]
fn decode_step(src: &[u8], dst: &mut [u8], symbols: &[u8; 2]) -> bool {
    let (src, dst) = (&src[..DECODE_STEP], &mut dst[..32]);
    // SAFETY: reads exactly the 32 bytes of `src`.
    let v = unsafe { _mm256_loadu_si256(src.as_ptr().cast()) };
    let Some(values) = translate(v, symbols) else {
        return false;
    };
    // a:b and c:d into 12-bit words, then a:b:c:d into 24 bits per 32-bit lane.
    let words = _mm256_maddubs_epi16(values, _mm256_set1_epi32(0x0140_0140));
    let groups = _mm256_madd_epi16(words, _mm256_set1_epi32(0x0001_1000));
    let packed = _mm256_shuffle_epi8(groups, _mm256_broadcastsi128_si256(table(&DECODE_PACK)));
    let joined = _mm256_permutevar8x32_epi32(packed, _mm256_setr_epi32(0, 1, 2, 4, 5, 6, 3, 7));
    // SAFETY: writes exactly the 32 bytes of `dst`.
    unsafe { _mm256_storeu_si256(dst.as_mut_ptr().cast(), joined) };
    true
}

/// See `Kernel::decode`.
#[target_feature(enable = "avx2")]
pub fn decode(symbols: &[u8; 2], chars: &[u8], out: &mut [u8]) -> usize {
    let (mut i, mut o) = (0, 0);
    while i + DECODE_STEP <= chars.len()
        && o + 32 <= out.len()
        && decode_step(&chars[i..], &mut out[o..], symbols)
    {
        i += DECODE_STEP;
        o += 24;
    }
    i
}

/// See `Kernel::decode_lines`: per line, steps at 0, 32, … and a last one ending at the
/// line's end; the line counts only when every step took its characters and a `\n` follows.
#[target_feature(enable = "avx2")]
pub fn decode_lines(symbols: &[u8; 2], raw: &[u8], width: usize, out: &mut [u8]) -> usize {
    let line_out = width / 4 * 3;
    let (mut p, mut o) = (0, 0);
    while p + width < raw.len() && raw[p + width] == b'\n' && o + line_out + 8 <= out.len() {
        let (line, dst) = (&raw[p..p + width], &mut out[o..o + line_out + 8]);
        let mut at = 0;
        let whole = loop {
            let step = at.min(width - DECODE_STEP);
            if !decode_step(&line[step..], &mut dst[step / 4 * 3..], symbols) {
                break false;
            }
            if step + DECODE_STEP == width {
                break true;
            }
            at += DECODE_STEP;
        };
        if !whole {
            break;
        }
        p += width + 1;
        o += line_out;
    }
    p
}
