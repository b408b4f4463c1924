//! The AVX-512 kernel (F, BW and VBMI): 48 bytes ↔ 64 characters a step. VBMI's byte
//! permutes do the work: `vpermb` lays out the input and looks characters up in the 64-entry
//! alphabet, `vpmultishiftqb` cuts the 6-bit fields, and `vpermi2b` maps 7-bit ASCII to values
//! (the method W. Muła and D. Lemire published). Callers go through `Kernel`, which holds the
//! proof that the CPU has these features.

use std::arch::x86_64::*;

/// Input bytes an encode step takes, characters a decode step takes.
pub const ENCODE_STEP: usize = 48;
pub const DECODE_STEP: usize = 64;

/// The 48 low lanes of a 64-byte mask.
const LOW_48: __mmask64 = (1 << 48) - 1;

/// Each 32-bit lane `i` gets input bytes `3i+1, 3i, 3i+2, 3i+1`: the words `s0:s1` (low) and
/// `s1:s2` (high).
const ENCODE_SHUFFLE: [u8; 64] = {
    let mut t = [0u8; 64];
    let mut j = 0;
    while j < 64 {
        t[j] = (j / 4 * 3) as u8 + [1, 0, 2, 1][j % 4];
        j += 1;
    }
    t
};

/// Bit offsets of the four 6-bit fields of both groups in a 64-bit lane:
/// `s0:s1 >> 10`, `s0:s1 >> 4`, `s1:s2 >> 6 (+16)`, `s1:s2 (+16)`.
const ENCODE_SHIFTS: i64 = 0x3036_242a_1016_040a;

/// After the multiply-adds each 32-bit lane `i` holds `s2 s1 s0 0`: gather the 48 bytes.
const DECODE_PACK: [u8; 64] = {
    let mut t = [0u8; 64];
    let mut j = 0;
    while j < 48 {
        t[j] = (j / 3 * 4 + 2 - j % 3) as u8;
        j += 1;
    }
    t
};

#[target_feature(enable = "avx512f,avx512bw,avx512vbmi")]
fn table(bytes: &[u8; 64]) -> __m512i {
    // SAFETY: reads exactly the 64 bytes of `bytes`; unaligned loads are allowed.
    unsafe { _mm512_loadu_si512(bytes.as_ptr().cast()) }
}

#[target_feature(enable = "avx512f,avx512bw,avx512vbmi")]
fn encode_step(src: &[u8], dst: &mut [u8], alphabet: __m512i, shuffle: __m512i) {
    let (src, dst) = (&src[..ENCODE_STEP], &mut dst[..64]);
    // SAFETY: the mask loads only the 48 bytes of `src`; masked-off bytes are never touched.
    let v = unsafe { _mm512_maskz_loadu_epi8(LOW_48, src.as_ptr().cast()) };
    let v = _mm512_permutexvar_epi8(shuffle, v);
    // Bytes 0..6 bits wide in their low bits; `vpermb` reads only those 6 bits.
    let values = _mm512_multishift_epi64_epi8(_mm512_set1_epi64(ENCODE_SHIFTS), v);
    let chars = _mm512_permutexvar_epi8(values, alphabet);
    // SAFETY: writes exactly the 64 bytes of `dst`.
    unsafe { _mm512_storeu_si512(dst.as_mut_ptr().cast(), chars) }
}

/// See `Kernel::encode`.
#[target_feature(enable = "avx512f,avx512bw,avx512vbmi")]
pub fn encode(alphabet: &[u8; 64], input: &[u8], out: &mut [u8]) -> usize {
    let (alphabet, shuffle) = (table(alphabet), table(&ENCODE_SHUFFLE));
    let (mut i, mut o) = (0, 0);
    while i + ENCODE_STEP <= input.len() && o + 64 <= out.len() {
        encode_step(&input[i..], &mut out[o..], alphabet, shuffle);
        i += ENCODE_STEP;
        o += 64;
    }
    i
}

/// See `Kernel::encode_lines`: steps at 0, 48, … and a last one ending at the line's end
/// (overlapping the one before, which writes the same characters).
#[target_feature(enable = "avx512f,avx512bw,avx512vbmi")]
pub fn encode_lines(alphabet: &[u8; 64], input: &[u8], line_bytes: usize, out: &mut [u8]) -> usize {
    let (alphabet, shuffle) = (table(alphabet), table(&ENCODE_SHUFFLE));
    let width = line_bytes / 3 * 4;
    let mut lines = 0;
    let (mut i, mut o) = (0, 0);
    while i + line_bytes <= input.len() && o + width < out.len() {
        let (line, dst) = (&input[i..i + line_bytes], &mut out[o..=o + width]);
        let mut at = 0;
        loop {
            let step = at.min(line_bytes - ENCODE_STEP);
            encode_step(&line[step..], &mut dst[step / 3 * 4..], alphabet, shuffle);
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

/// One decode step; `false` (and nothing meant written) when a character is not in the
/// alphabet. Writes 64 bytes, of which the first 48 are the data.
#[target_feature(enable = "avx512f,avx512bw,avx512vbmi")]
fn decode_step(src: &[u8], dst: &mut [u8], low: __m512i, high: __m512i, pack: __m512i) -> bool {
    let (src, dst) = (&src[..DECODE_STEP], &mut dst[..64]);
    // SAFETY: reads exactly the 64 bytes of `src`.
    let v = unsafe { _mm512_loadu_si512(src.as_ptr().cast()) };
    // The 128-entry table sees the low 7 bits; a byte >= 0x80 shows in `v`'s own high bit.
    let values = _mm512_permutex2var_epi8(low, v, high);
    if _mm512_movepi8_mask(_mm512_or_si512(values, v)) != 0 {
        return false;
    }
    let words = _mm512_maddubs_epi16(values, _mm512_set1_epi32(0x0140_0140));
    let groups = _mm512_madd_epi16(words, _mm512_set1_epi32(0x0001_1000));
    let bytes = _mm512_permutexvar_epi8(pack, groups);
    // SAFETY: writes exactly the 64 bytes of `dst`.
    unsafe { _mm512_storeu_si512(dst.as_mut_ptr().cast(), bytes) };
    true
}

/// The decode table's halves and the pack shuffle, in registers.
#[target_feature(enable = "avx512f,avx512bw,avx512vbmi")]
fn decode_tables(decode: &[u8; 128]) -> (__m512i, __m512i, __m512i) {
    let (low, high) = decode.split_at(64);
    (
        table(low.try_into().expect("64 bytes")),
        table(high.try_into().expect("64 bytes")),
        table(&DECODE_PACK),
    )
}

/// See `Kernel::decode`.
#[target_feature(enable = "avx512f,avx512bw,avx512vbmi")]
pub fn decode(decode: &[u8; 128], chars: &[u8], out: &mut [u8]) -> usize {
    let (low, high, pack) = decode_tables(decode);
    let (mut i, mut o) = (0, 0);
    while i + DECODE_STEP <= chars.len()
        && o + 64 <= out.len()
        && decode_step(&chars[i..], &mut out[o..], low, high, pack)
    {
        i += DECODE_STEP;
        o += 48;
    }
    i
}

/// See `Kernel::decode_lines`: per line, steps at 0, 64, … and a last one ending at the
/// line's end; the line counts only when every step took its characters and a `\n` follows.
#[target_feature(enable = "avx512f,avx512bw,avx512vbmi")]
pub fn decode_lines(decode: &[u8; 128], raw: &[u8], width: usize, out: &mut [u8]) -> usize {
    let (low, high, pack) = decode_tables(decode);
    let line_out = width / 4 * 3;
    let (mut p, mut o) = (0, 0);
    while p + width < raw.len() && raw[p + width] == b'\n' && o + line_out + 16 <= out.len() {
        let (line, dst) = (&raw[p..p + width], &mut out[o..o + line_out + 16]);
        let mut at = 0;
        let whole = loop {
            let step = at.min(width - DECODE_STEP);
            if !decode_step(&line[step..], &mut dst[step / 4 * 3..], low, high, pack) {
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
