//! The AVX-512 kernel (F, BW and VBMI): 48 bytes ↔ 64 characters a step. VBMI's byte
//! permutes do the work: `vpermb` (or `vpermt2b`, where a step's bytes span two loaded
//! vectors) lays out the input, `vpermb` looks characters up in the 64-entry alphabet,
//! `vpmultishiftqb` cuts the 6-bit fields, and `vpermi2b` maps 7-bit ASCII to values (the
//! method W. Muła and D. Lemire published). Text in GNU's default 76-column lines goes four
//! lines at a time: each output vector is cut in place, newlines and all, by one `vpermb` and
//! `vpmultishiftqb` with offsets of its own (encode), or the newlines are checked and skipped
//! by merging in a masked load from one byte further on (decode). Callers go through `Kernel`,
//! which holds the proof that the CPU has these features.

use std::arch::x86_64::*;

/// Input bytes an encode step takes, characters a decode step takes.
pub const ENCODE_STEP: usize = 48;
pub const DECODE_STEP: usize = 64;

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

/// The 4 characters of each 3 bytes of `src` (at most 48), in the low lanes.
#[target_feature(enable = "avx512f,avx512bw,avx512vbmi")]
fn encode_vector(src: &[u8], alphabet: __m512i, shuffle: __m512i) -> __m512i {
    let src = &src[..src.len().min(ENCODE_STEP)];
    let mask = low_lanes(src.len());
    // SAFETY: the mask loads only the bytes of `src`; masked-off bytes are never touched.
    let v = unsafe { _mm512_maskz_loadu_epi8(mask, src.as_ptr().cast()) };
    encode_fields(_mm512_permutexvar_epi8(shuffle, v), alphabet)
}

/// The characters of input laid out by `ENCODE_SHUFFLE` (each 32-bit lane `s0:s1`, `s1:s2`).
#[target_feature(enable = "avx512f,avx512bw,avx512vbmi")]
fn encode_fields(laid_out: __m512i, alphabet: __m512i) -> __m512i {
    // Bytes 0..6 bits wide in their low bits; `vpermb` reads only those 6 bits.
    let values = _mm512_multishift_epi64_epi8(_mm512_set1_epi64(ENCODE_SHIFTS), laid_out);
    _mm512_permutexvar_epi8(values, alphabet)
}

/// The mask of lanes `0..n` (`n` ≤ 64).
const fn low_lanes(n: usize) -> __mmask64 {
    if n >= 64 { !0 } else { (1 << n) - 1 }
}

#[target_feature(enable = "avx512f,avx512bw,avx512vbmi")]
fn encode_step(src: &[u8], dst: &mut [u8], alphabet: __m512i, shuffle: __m512i) {
    let (src, dst) = (&src[..ENCODE_STEP], &mut dst[..64]);
    let chars = encode_vector(src, alphabet, shuffle);
    // SAFETY: writes exactly the 64 bytes of `dst`.
    unsafe { _mm512_storeu_si512(dst.as_mut_ptr().cast(), chars) }
}

/// Four encode steps take 192 bytes, three whole vectors: step `j` needs bytes `48j..48j + 48`,
/// which lie in vectors `(48j) / 64` and the one after it. Each step's shuffle reads them with
/// `ENCODE_SHUFFLE` moved by `48j mod 64` (two-vector permutes index 0..128).
const ENCODE_SHUFFLES_4: [[u8; 64]; 4] = {
    let mut t = [[0u8; 64]; 4];
    let mut j = 0;
    while j < 4 {
        let mut l = 0;
        while l < 64 {
            t[j][l] = ENCODE_SHUFFLE[l] + (48 * j % 64) as u8;
            l += 1;
        }
        j += 1;
    }
    t
};

/// See `Kernel::encode`.
#[target_feature(enable = "avx512f,avx512bw,avx512vbmi")]
pub fn encode(alphabet: &[u8; 64], input: &[u8], out: &mut [u8]) -> usize {
    let alphabet = table(alphabet);
    // The first step's shuffle is `ENCODE_SHUFFLE` itself, which the single steps use too.
    let shuffles = ENCODE_SHUFFLES_4.each_ref().map(|t| table(t));
    let (mut i, mut o) = (0, 0);
    // Four steps at a time from three whole loads (no load crosses more cache lines than it
    // must), their loads before their stores.
    while i + 4 * ENCODE_STEP <= input.len() && o + 4 * 64 <= out.len() {
        let src: &[u8; 4 * ENCODE_STEP] = input[i..i + 4 * ENCODE_STEP]
            .try_into()
            .expect("four steps of input");
        // SAFETY: each load reads 64 bytes of `src`, which holds 192.
        let [a, b, c] =
            [0, 64, 128].map(|at| unsafe { _mm512_loadu_si512(src[at..].as_ptr().cast()) });
        let fields = [
            _mm512_permutexvar_epi8(shuffles[0], a),
            _mm512_permutex2var_epi8(a, shuffles[1], b),
            _mm512_permutex2var_epi8(b, shuffles[2], c),
            _mm512_permutexvar_epi8(shuffles[3], c),
        ];
        let dst: &mut [u8; 4 * 64] = (&mut out[o..o + 4 * 64])
            .try_into()
            .expect("four steps of output");
        for (j, v) in fields.into_iter().enumerate() {
            let chars = encode_fields(v, alphabet);
            // SAFETY: writes bytes `64j..64j + 64` of `dst`, which holds 256.
            unsafe { _mm512_storeu_si512(dst[64 * j..].as_mut_ptr().cast(), chars) }
        }
        i += 4 * ENCODE_STEP;
        o += 4 * 64;
    }
    while i + ENCODE_STEP <= input.len() && o + 64 <= out.len() {
        encode_step(&input[i..], &mut out[o..], alphabet, shuffles[0]);
        i += ENCODE_STEP;
        o += 64;
    }
    i
}

/// GNU's default width, 76 columns (57 input bytes a line), has a layout of its own: four
/// lines are 228 bytes and 308 characters with their newlines, 4 13/16 output vectors. Each of
/// the five vectors is computed in its final place: `vpermb` gathers, big-endian, the input
/// bytes each 64-bit lane needs (the 6-bit fields of up to eight characters, across a group or
/// a newline), `vpmultishiftqb` cuts each lane's field at its own offset, and a blend puts the
/// newlines in. Two permutes a vector, no merging of neighbours; the fifth vector ends at the
/// block's end and overlaps the fourth, writing the same characters.
const LINES_AT_ONCE: usize = 4;
/// The width the block kernels take, and a line's input bytes and text (with its newline).
const WIDTH_76: usize = 76;
const LINE_BYTES_76: usize = WIDTH_76 / 4 * 3;
const LINE_TEXT_76: usize = WIDTH_76 + 1;
const BLOCK_BYTES_76: usize = LINES_AT_ONCE * LINE_BYTES_76;
const BLOCK_TEXT_76: usize = LINES_AT_ONCE * LINE_TEXT_76;
/// The characters of a block, without its newlines.
const BLOCK_CHARS_76: usize = LINES_AT_ONCE * WIDTH_76;

/// How output vector `k` of an encoded block is made: stored at text offset `at[k]`, from the
/// block's bytes `load[k]..` (the lanes of `loaded[k]`, the rest zero); lane `l` of 64-bit lane
/// `l / 8` gets input lanes `shuffle[k][8 * (l / 8)..][..8]` in reverse (so the lane reads the
/// bits in the order base64 takes them) and its character's field from bit `shifts[k][l]`; the
/// lanes in `newlines[k]` are newlines.
struct Layout {
    at: [usize; 5],
    load: [usize; 5],
    loaded: [u64; 5],
    shuffle: [[u8; 64]; 5],
    shifts: [[u8; 64]; 5],
    newlines: [u64; 5],
}

/// Output lane `p` of four 76-column lines: the character index it shows, or `None` for the
/// newline ending a line.
const fn char_at(p: usize) -> Option<usize> {
    assert!(p < BLOCK_TEXT_76);
    if p % LINE_TEXT_76 == WIDTH_76 {
        None
    } else {
        Some(p / LINE_TEXT_76 * WIDTH_76 + p % LINE_TEXT_76)
    }
}

/// Character `c` of four 76-column lines: the text offset it sits at, or `None` past the block.
const fn text_at(c: usize) -> Option<usize> {
    if c >= BLOCK_CHARS_76 {
        None
    } else {
        Some(c / WIDTH_76 * LINE_TEXT_76 + c % WIDTH_76)
    }
}

/// The first character at or after text offset `p` of a block.
const fn first_char_from(p: usize) -> usize {
    let mut p = p;
    loop {
        if let Some(c) = char_at(p) {
            return c;
        }
        p += 1;
    }
}

const fn layout() -> Layout {
    let mut layout = Layout {
        at: [0; 5],
        load: [0; 5],
        loaded: [0; 5],
        shuffle: [[0; 64]; 5],
        shifts: [[0; 64]; 5],
        newlines: [0; 5],
    };
    let mut k = 0;
    while k < 5 {
        let at = if k < 4 { 64 * k } else { BLOCK_TEXT_76 - 64 };
        // The load starts at the group of the vector's first character.
        let load = first_char_from(at) / 4 * 3;
        let loaded = if BLOCK_BYTES_76 - load < 64 {
            BLOCK_BYTES_76 - load
        } else {
            64
        };
        layout.at[k] = at;
        layout.load[k] = load;
        layout.loaded[k] = low_lanes(loaded);
        let mut lane = 0;
        while lane < 8 {
            // The byte holding the first bit of the lane's first character (a lane of newlines
            // only would take any; a newline has at least 76 characters on either side).
            let first = first_char_from(at + 8 * lane) * 6 / 8 - load;
            let mut m = 0;
            while m < 8 {
                let from = if first + m < 64 { first + m } else { 63 };
                layout.shuffle[k][8 * lane + 7 - m] = from as u8;
                m += 1;
            }
            let mut l = 8 * lane;
            while l < 8 * lane + 8 {
                match char_at(at + l) {
                    Some(c) => {
                        // The field's bits, counted from the first byte's top bit.
                        let from = 6 * c - 8 * (load + first);
                        // The whole field inside the 64-bit lane, and inside what was loaded.
                        assert!(from + 6 <= 64);
                        assert!((6 * c + 5) / 8 - load < loaded);
                        layout.shifts[k][l] = (58 - from) as u8;
                    }
                    None => layout.newlines[k] |= 1 << l,
                }
                l += 1;
            }
            lane += 1;
        }
        k += 1;
    }
    layout
}

const ENCODE_76: Layout = layout();

/// How decoding reads a block's five character vectors straight from its text, with no
/// permute: vector `j` holds 64 characters (the last one ends at the block's end and overlaps
/// the one before, decoding the same bytes again), which start at text offset `start[j]` and
/// whose bytes go to output offset `out[j]`; its lanes from `split[j]` on come after a newline,
/// so they are loaded again from one byte further on (merged into the same register by a
/// masked load).
struct Reads {
    start: [usize; 5],
    split: [usize; 5],
    out: [usize; 5],
}

const fn reads() -> Reads {
    let mut reads = Reads {
        start: [0; 5],
        split: [0; 5],
        out: [0; 5],
    };
    let mut j = 0;
    while j < 5 {
        let first = if j < 4 { 64 * j } else { BLOCK_CHARS_76 - 64 };
        // Whole groups, so each vector's bytes land where the block's output has them.
        assert!(first % 4 == 0);
        let start = text_at(first).expect("inside the block");
        let mut split = 64;
        let mut l = 0;
        while l < 64 {
            let at = text_at(first + l).expect("inside the block");
            if at != start + l {
                // Past one newline; a vector of 64 characters never reaches a second.
                assert!(at == start + l + 1);
                if split == 64 {
                    split = l;
                }
            } else {
                assert!(split == 64);
            }
            l += 1;
        }
        // Both loads stay inside the block: a vector with a split reads one byte past its
        // last character, one without ends at the block's end at the latest.
        assert!(start + 64 + (split < 64) as usize <= BLOCK_TEXT_76);
        reads.start[j] = start;
        reads.split[j] = split;
        reads.out[j] = first / 4 * 3;
        // In order, so the last vector's store reaches furthest.
        assert!(j == 0 || reads.out[j] > reads.out[j - 1]);
        j += 1;
    }
    reads
}

const DECODE_76: Reads = reads();

/// Output vector `k` of an encoded block (see `Layout`).
#[target_feature(enable = "avx512f,avx512bw,avx512vbmi")]
fn encode_76(
    k: usize,
    block: &[u8],
    alphabet: __m512i,
    newlines: __m512i,
    newline_lanes: u64,
) -> __m512i {
    let src = &block[ENCODE_76.load[k]..];
    let mask = ENCODE_76.loaded[k];
    assert!(mask.count_ones() as usize <= src.len());
    // SAFETY: the mask loads only lanes below `src.len()` (asserted); the rest are untouched.
    let v = unsafe { _mm512_maskz_loadu_epi8(mask, src.as_ptr().cast()) };
    let v = _mm512_permutexvar_epi8(table(&ENCODE_76.shuffle[k]), v);
    let values = _mm512_multishift_epi64_epi8(table(&ENCODE_76.shifts[k]), v);
    let chars = _mm512_permutexvar_epi8(values, alphabet);
    _mm512_mask_blend_epi8(newline_lanes, chars, newlines)
}

/// Four 76-column lines at a time (see `LINES_AT_ONCE`); the lines written.
#[target_feature(enable = "avx512f,avx512bw,avx512vbmi")]
fn encode_lines_76(alphabet: __m512i, input: &[u8], out: &mut [u8]) -> usize {
    let newlines = _mm512_set1_epi8(b'\n' as i8);
    // Hidden from the optimiser: knowing the masks, it turns each blend of a few newlines into
    // byte inserts across 128-bit lanes, several times the cost of one `vpblendmb`.
    let masks = std::hint::black_box(ENCODE_76.newlines);
    let (mut i, mut o) = (0, 0);
    while i + BLOCK_BYTES_76 <= input.len() && o + BLOCK_TEXT_76 <= out.len() {
        let block = &input[i..i + BLOCK_BYTES_76];
        let vectors: [__m512i; 5] =
            std::array::from_fn(|k| encode_76(k, block, alphabet, newlines, masks[k]));
        let dst = &mut out[o..o + BLOCK_TEXT_76];
        for (k, v) in vectors.into_iter().enumerate() {
            let dst = &mut dst[ENCODE_76.at[k]..ENCODE_76.at[k] + 64];
            // SAFETY: writes exactly the 64 bytes of `dst`.
            unsafe { _mm512_storeu_si512(dst.as_mut_ptr().cast(), v) }
        }
        i += BLOCK_BYTES_76;
        o += BLOCK_TEXT_76;
    }
    i / LINE_BYTES_76
}

/// See `Kernel::encode_lines`: 76-column lines four at a time, then line by line with steps at
/// 0, 48, … and a last one ending at the line's end (overlapping the one before, which writes
/// the same characters).
#[target_feature(enable = "avx512f,avx512bw,avx512vbmi")]
pub fn encode_lines(alphabet: &[u8; 64], input: &[u8], line_bytes: usize, out: &mut [u8]) -> usize {
    let (alphabet, shuffle) = (table(alphabet), table(&ENCODE_SHUFFLE));
    let width = line_bytes / 3 * 4;
    let mut lines = if line_bytes == LINE_BYTES_76 {
        encode_lines_76(alphabet, input, out)
    } else {
        0
    };
    let (mut i, mut o) = (lines * line_bytes, lines * (width + 1));
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

/// The 48 bytes of 64 characters in the low lanes, and a vector whose lanes have their high
/// bit set where the character is outside the alphabet.
#[target_feature(enable = "avx512f,avx512bw,avx512vbmi")]
fn decode_vector(v: __m512i, low: __m512i, high: __m512i, pack: __m512i) -> (__m512i, __m512i) {
    // The 128-entry table sees the low 7 bits; a byte >= 0x80 shows in `v`'s own high bit.
    let values = _mm512_permutex2var_epi8(low, v, high);
    let bad = _mm512_or_si512(values, v);
    let words = _mm512_maddubs_epi16(values, _mm512_set1_epi32(0x0140_0140));
    let groups = _mm512_madd_epi16(words, _mm512_set1_epi32(0x0001_1000));
    (_mm512_permutexvar_epi8(pack, groups), bad)
}

/// One decode step; `false` (and nothing meant written) when a character is not in the
/// alphabet. Writes 64 bytes, of which the first 48 are the data.
#[target_feature(enable = "avx512f,avx512bw,avx512vbmi")]
fn decode_step(src: &[u8], dst: &mut [u8], low: __m512i, high: __m512i, pack: __m512i) -> bool {
    let (src, dst) = (&src[..DECODE_STEP], &mut dst[..64]);
    // SAFETY: reads exactly the 64 bytes of `src`.
    let v = unsafe { _mm512_loadu_si512(src.as_ptr().cast()) };
    let (bytes, bad) = decode_vector(v, low, high, pack);
    if _mm512_movepi8_mask(bad) != 0 {
        return false;
    }
    // SAFETY: writes exactly the 64 bytes of `dst`.
    unsafe { _mm512_storeu_si512(dst.as_mut_ptr().cast(), bytes) };
    true
}

/// Four 76-column lines at a time (see `LINES_AT_ONCE`), while all four are whole; the text
/// bytes taken. The four newlines are checked, the characters loaded into five registers
/// around them (see `Reads`) and decoded; what was stored for a block that fails is not
/// counted, and the line-by-line loop takes it again.
#[target_feature(enable = "avx512f,avx512bw,avx512vbmi")]
fn decode_lines_76(
    raw: &[u8],
    out: &mut [u8],
    low: __m512i,
    high: __m512i,
    pack: __m512i,
) -> usize {
    // The bytes the stores reach: the last vector's whole 64, 16 past the block's output.
    const STORED: usize = DECODE_76.out[4] + 64;
    let (mut p, mut o) = (0, 0);
    while p + BLOCK_TEXT_76 <= raw.len() && o + STORED <= out.len() {
        let block: &[u8; BLOCK_TEXT_76] = raw[p..p + BLOCK_TEXT_76].try_into().expect("a block");
        let dst: &mut [u8; STORED] = (&mut out[o..o + STORED]).try_into().expect("room");
        // The four newlines, checked with scalar loads, which leave the vector units to the
        // characters; nonzero when one is missing.
        let missing =
            (1..=LINES_AT_ONCE).fold(0, |m, line| m | (block[LINE_TEXT_76 * line - 1] ^ b'\n'));
        // High bits where a character is outside the alphabet, tested once a block.
        let mut outside = _mm512_setzero_si512();
        for j in 0..5 {
            let (start, split, at) = (DECODE_76.start[j], DECODE_76.split[j], DECODE_76.out[j]);
            let near = &block[start..start + 64];
            // SAFETY: reads exactly the 64 bytes of `near`.
            let mut chars = unsafe { _mm512_loadu_si512(near.as_ptr().cast()) };
            if split < 64 {
                let far = &block[start + 1..start + 65];
                // SAFETY: the mask loads only lanes of `far`, which holds 64 bytes.
                chars = unsafe {
                    _mm512_mask_loadu_epi8(chars, !low_lanes(split), far.as_ptr().cast())
                };
            }
            let (bytes, bad) = decode_vector(chars, low, high, pack);
            outside = _mm512_or_si512(outside, bad);
            let dst = &mut dst[at..at + 64];
            // SAFETY: writes exactly the 64 bytes of `dst`.
            unsafe { _mm512_storeu_si512(dst.as_mut_ptr().cast(), bytes) };
        }
        if missing != 0 || _mm512_movepi8_mask(outside) != 0 {
            break;
        }
        p += BLOCK_TEXT_76;
        o += BLOCK_BYTES_76;
    }
    p
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
    // Four steps at a time, their loads before their stores and one alphabet test for all
    // four; a group that fails it is taken again step by step below, which stops at the step
    // that holds the byte.
    while i + 4 * DECODE_STEP <= chars.len() && o + 3 * 48 + 64 <= out.len() {
        let src = &chars[i..i + 4 * DECODE_STEP];
        let decoded: [(__m512i, __m512i); 4] = std::array::from_fn(|j| {
            let step = &src[j * DECODE_STEP..(j + 1) * DECODE_STEP];
            // SAFETY: reads exactly the 64 bytes of `step`.
            let v = unsafe { _mm512_loadu_si512(step.as_ptr().cast()) };
            decode_vector(v, low, high, pack)
        });
        let mut outside = _mm512_setzero_si512();
        for (j, (bytes, bad)) in decoded.into_iter().enumerate() {
            outside = _mm512_or_si512(outside, bad);
            let dst = &mut out[o + 48 * j..o + 48 * j + 64];
            // SAFETY: writes exactly the 64 bytes of `dst`.
            unsafe { _mm512_storeu_si512(dst.as_mut_ptr().cast(), bytes) };
        }
        if _mm512_movepi8_mask(outside) != 0 {
            break;
        }
        i += 4 * DECODE_STEP;
        o += 4 * 48;
    }
    while i + DECODE_STEP <= chars.len()
        && o + 64 <= out.len()
        && decode_step(&chars[i..], &mut out[o..], low, high, pack)
    {
        i += DECODE_STEP;
        o += 48;
    }
    i
}

/// See `Kernel::decode_lines`: 76-column lines four at a time while they are whole, then per
/// line, steps at 0, 64, … and a last one ending at the line's end; the line counts only when
/// every step took its characters and a `\n` follows.
#[target_feature(enable = "avx512f,avx512bw,avx512vbmi")]
pub fn decode_lines(decode: &[u8; 128], raw: &[u8], width: usize, out: &mut [u8]) -> usize {
    let (low, high, pack) = decode_tables(decode);
    let line_out = width / 4 * 3;
    let mut p = if width == WIDTH_76 {
        decode_lines_76(raw, out, low, high, pack)
    } else {
        0
    };
    let mut o = p / (width + 1) * line_out;
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
