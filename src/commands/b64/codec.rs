//! The base64 codec as pure streaming state machines over byte blocks: `Encoder` (GNU's line
//! wrapping) and `Decoder` (GNU coreutils 9.8 decode rules, with exact error positions).
//!
//! Both run on a `Kernel` (see `kernel.rs`) for the regular bulk of the data and on the exact
//! path below for everything else. It knows nothing of files, stdout or clap, and depends on
//! `std`, `base64`, `memchr` and its sibling kernel modules only, so the fuzz target in `fuzz/`
//! can include these files as they are.

use std::fmt;

use base64::Engine as _;

use super::kernel::{Kernel, SLACK, Tables};

/// The `base64` crate's engine, for what no kernel takes (the portable kernel, tails, padding).
/// On x86-64 its scalar engine, so that the portable kernel is what its name says and devkit's
/// own kernels are the only SIMD; elsewhere its `Simd` engine (NEON on aarch64).
#[cfg(target_arch = "x86_64")]
type Engine = base64::engine::GeneralPurpose;
#[cfg(not(target_arch = "x86_64"))]
type Engine = base64::engine::Simd;

/// Which 64 characters encode the data (RFC 4648 §4 or §5).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Alphabet {
    /// `A–Z a–z 0–9 + /`
    Standard,
    /// `A–Z a–z 0–9 - _` (`basenc --base64url`)
    UrlSafe,
}

impl Alphabet {
    fn engine(self) -> Engine {
        // One engine serves both directions: it only ever sees whole 3-byte blocks and the final
        // tail when encoding (where it writes the `=` padding), and whole 4-character groups
        // without `=` when decoding, so its padding and trailing-bits settings never decide.
        #[cfg(target_arch = "x86_64")]
        let engine = match self {
            Alphabet::Standard => base64::engine::general_purpose::STANDARD,
            Alphabet::UrlSafe => base64::engine::general_purpose::URL_SAFE,
        };
        #[cfg(not(target_arch = "x86_64"))]
        let engine = match self {
            Alphabet::Standard => Engine::standard(base64::engine::general_purpose::PAD),
            Alphabet::UrlSafe => Engine::url_safe(base64::engine::general_purpose::PAD),
        };
        engine
    }

    fn symbols(self) -> &'static [u8; 64] {
        match self {
            Alphabet::Standard => {
                b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
            }
            Alphabet::UrlSafe => {
                b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
            }
        }
    }

    fn name(self) -> &'static str {
        match self {
            Alphabet::Standard => "base64",
            Alphabet::UrlSafe => "base64url",
        }
    }
}

// ------------------------------------------------------------------------------------------
// Encoding

/// Encodes a stream block by block; output is byte-identical to GNU `base64 -w WRAP`.
pub struct Encoder {
    engine: Engine,
    kernel: Kernel,
    tables: Tables,
    /// Columns per line; 0 disables wrapping.
    wrap: usize,
    /// Characters already on the current output line.
    column: usize,
    /// Input bytes that did not fill a 3-byte block yet.
    carry: [u8; 3],
    carry_len: usize,
    /// Encoded text before it is cut into lines.
    text: Sink,
    out: Sink,
}

impl Encoder {
    /// An encoder on the fastest kernel this CPU runs.
    pub fn new(alphabet: Alphabet, wrap: usize) -> Self {
        Self::with_kernel(alphabet, wrap, Kernel::best())
    }

    pub fn with_kernel(alphabet: Alphabet, wrap: usize, kernel: Kernel) -> Self {
        Self {
            engine: alphabet.engine(),
            kernel,
            tables: Tables::new(alphabet.symbols()),
            wrap,
            column: 0,
            carry: [0; 3],
            carry_len: 0,
            text: Sink::default(),
            out: Sink::default(),
        }
    }

    /// Go on with another kernel (they all write the same text, and keep no state).
    pub fn set_kernel(&mut self, kernel: Kernel) {
        self.kernel = kernel;
    }

    /// Encode the next block of input; the text for it, valid until the next call.
    pub fn encode(&mut self, mut input: &[u8]) -> &[u8] {
        self.out.clear();
        if self.carry_len > 0 {
            let take = (3 - self.carry_len).min(input.len());
            self.carry[self.carry_len..self.carry_len + take].copy_from_slice(&input[..take]);
            self.carry_len += take;
            input = &input[take..];
            if self.carry_len < 3 {
                return self.out.bytes();
            }
            let carry = self.carry;
            self.carry_len = 0;
            self.encode_whole(&carry);
        }
        let whole = input.len() / 3 * 3;
        self.encode_whole(&input[..whole]);
        let rest = &input[whole..];
        self.carry[..rest.len()].copy_from_slice(rest);
        self.carry_len = rest.len();
        self.out.bytes()
    }

    /// End of input: the padded last group, then a final newline after wrapped output.
    pub fn finish(&mut self) -> &[u8] {
        self.out.clear();
        if self.carry_len > 0 {
            let carry = self.carry;
            let tail = &carry[..self.carry_len];
            self.carry_len = 0;
            self.encode_whole(tail);
        }
        if self.wrap > 0 && self.column > 0 {
            self.out.push(b'\n');
            self.column = 0;
        }
        self.out.bytes()
    }

    /// Encode `input` (a multiple of 3 bytes, or the final tail) and cut it into lines.
    fn encode_whole(&mut self, input: &[u8]) {
        if input.is_empty() {
            return;
        }
        if self.wrap == 0 {
            encode_into(
                self.kernel,
                &self.tables,
                &self.engine,
                input,
                &mut self.out,
            );
            return;
        }
        let rest = if self.wrap.is_multiple_of(4) {
            self.encode_lines(input)
        } else {
            input
        };
        self.encode_and_copy_lines(rest);
    }

    /// Lines whose width is a multiple of 4 hold whole groups, so a kernel that takes their
    /// width writes them straight into the output with their newlines. Returns what is left
    /// for `encode_and_copy_lines` (less than a line, or all of `input` if no kernel takes it).
    fn encode_lines<'a>(&mut self, mut input: &'a [u8]) -> &'a [u8] {
        let line_bytes = self.wrap / 4 * 3;
        if !self.kernel.encodes_lines(line_bytes) {
            return input;
        }
        if self.column > 0 {
            // Whole groups went before, so the line needs whole groups to be finished.
            let take = ((self.wrap - self.column) / 4 * 3).min(input.len());
            let before = self.out.len();
            encode_into(
                self.kernel,
                &self.tables,
                &self.engine,
                &input[..take],
                &mut self.out,
            );
            self.column += self.out.len() - before;
            input = &input[take..];
            if self.column < self.wrap {
                return input;
            }
            self.out.push(b'\n');
            self.column = 0;
        }
        let lines = input.len() / line_bytes;
        let dst = self.out.spare(lines * (self.wrap + 1) + SLACK);
        let done =
            self.kernel
                .encode_lines(&self.tables, &input[..lines * line_bytes], line_bytes, dst);
        self.out.commit(done * (self.wrap + 1));
        &input[done * line_bytes..]
    }

    /// Encode into `text`, then copy it out line by line.
    fn encode_and_copy_lines(&mut self, input: &[u8]) {
        if input.is_empty() {
            return;
        }
        self.text.clear();
        encode_into(
            self.kernel,
            &self.tables,
            &self.engine,
            input,
            &mut self.text,
        );
        let mut text = self.text.bytes();
        let wrap = self.wrap;
        let out = &mut self.out;
        // Finish the current line, then whole lines, then start the next one.
        if self.column > 0 {
            let take = (wrap - self.column).min(text.len());
            out.extend_from_slice(&text[..take]);
            text = &text[take..];
            self.column += take;
            if self.column < wrap {
                return;
            }
            out.push(b'\n');
            self.column = 0;
        }
        let lines = text.len() / wrap;
        let dst = out.spare(lines * (wrap + 1));
        match wrap {
            // The default width gets a copy of known length, which compiles to a few moves.
            76 => copy_lines::<76>(text, dst),
            64 => copy_lines::<64>(text, dst),
            _ => {
                for (line, slot) in text.chunks_exact(wrap).zip(dst.chunks_exact_mut(wrap + 1)) {
                    slot[..wrap].copy_from_slice(line);
                    slot[wrap] = b'\n';
                }
            }
        }
        out.commit(lines * (wrap + 1));
        let rest = &text[lines * wrap..];
        out.extend_from_slice(rest);
        self.column = rest.len();
    }
}

/// Append the encoding of `input` (whole 3-byte groups, or the final tail) to `sink`: the
/// kernel's whole steps, then the engine for the rest and the padding.
fn encode_into(kernel: Kernel, tables: &Tables, engine: &Engine, input: &[u8], sink: &mut Sink) {
    let len = input.len().div_ceil(3) * 4;
    let dst = sink.spare(len);
    let done = kernel.encode(tables, input, dst);
    let written = engine
        .encode_slice(&input[done..], &mut dst[done / 3 * 4..])
        .expect("output sized for the input");
    debug_assert_eq!(done / 3 * 4 + written, len);
    sink.commit(len);
}

/// Copy the whole `WIDTH`-character lines of `text` into `dst`, each followed by a newline.
fn copy_lines<const WIDTH: usize>(text: &[u8], dst: &mut [u8]) {
    for (line, slot) in text
        .chunks_exact(WIDTH)
        .zip(dst.chunks_exact_mut(WIDTH + 1))
    {
        let line: &[u8; WIDTH] = line.try_into().expect("chunks are WIDTH long");
        slot[..WIDTH].copy_from_slice(line);
        slot[WIDTH] = b'\n';
    }
}

/// An empty vector of bytes with room for `capacity` of them from its first 64-byte boundary:
/// `start` zero bytes come first, and as long as it is not grown past `start + capacity` it
/// does not move, so what is put after them stays aligned.
pub(crate) fn aligned_vec(capacity: usize) -> (Vec<u8>, usize) {
    let mut buf: Vec<u8> = Vec::with_capacity(capacity + 63);
    let start = buf.as_ptr().align_offset(64);
    buf.resize(start, 0);
    (buf, start)
}

/// An output buffer that is reused block after block. It only grows, so filling it again never
/// zeroes memory (which `Vec::resize` after `clear` would). Its bytes start on a 64-byte
/// boundary, so the kernels' whole-vector stores at multiples of 64 never straddle two cache
/// lines (a large `Vec` from the allocator starts 16 bytes past a page).
#[derive(Debug, Default)]
struct Sink {
    buf: Vec<u8>,
    /// Where the bytes start in `buf`.
    start: usize,
    len: usize,
}

impl Sink {
    fn clear(&mut self) {
        self.len = 0;
    }

    fn len(&self) -> usize {
        self.len
    }

    fn bytes(&self) -> &[u8] {
        &self.buf[self.start..self.start + self.len]
    }

    /// `n` bytes to write into after the end; `commit` counts them in.
    fn spare(&mut self, n: usize) -> &mut [u8] {
        let end = self.start + self.len + n;
        if self.buf.len() < end {
            let want = (self.len + n).max(self.buf.len() * 2);
            let (mut grown, start) = aligned_vec(want);
            grown.resize(start + want, 0);
            grown[start..start + self.len].copy_from_slice(self.bytes());
            (self.buf, self.start) = (grown, start);
        }
        let at = self.start + self.len;
        &mut self.buf[at..at + n]
    }

    fn commit(&mut self, n: usize) {
        self.len += n;
    }

    fn push(&mut self, byte: u8) {
        self.spare(1)[0] = byte;
        self.len += 1;
    }

    fn extend_from_slice(&mut self, bytes: &[u8]) {
        self.spare(bytes.len()).copy_from_slice(bytes);
        self.len += bytes.len();
    }

    fn truncate(&mut self, len: usize) {
        self.len = self.len.min(len);
    }
}

// ------------------------------------------------------------------------------------------
// Decoding

/// How far into the text the decoder looks for the first newline, to learn the line width the
/// kernel takes (GNU's widest common lines are far narrower; `-w 0` text has none).
const LINE_WINDOW: usize = 4096;

/// Where a byte sits in the whole input: 0-based offset, 1-based line and column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Location {
    pub offset: u64,
    pub line: u64,
    pub column: u64,
}

/// What is wrong at the error's location.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    /// A byte outside the alphabet, `=` and `\n` (without `--ignore-garbage`).
    NotInAlphabet(u8),
    /// `=` as the first or second character of a group.
    EarlyPadding,
    /// A group with one `=` continues with something other than a second `=`.
    ExpectedPadding(u8),
    /// The last character of a final group carries bits beyond the data (`SB==`).
    NonZeroBits(u8),
    /// The input ends one character into a group.
    LoneCharacter(u8),
    /// The input ends after `xx=`.
    HalfPadding,
}

/// Invalid input; everything decoded before it has been handed out already.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    pub at: Location,
    pub problem: Problem,
    pub alphabet: Alphabet,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Location {
            offset,
            line,
            column,
        } = self.at;
        write!(
            f,
            "invalid input at byte {} (line {line}, column {column}): ",
            offset + 1
        )?;
        match self.problem {
            Problem::NotInAlphabet(b) => write!(
                f,
                "{} is not in the {} alphabet",
                Quoted(b),
                self.alphabet.name()
            ),
            Problem::EarlyPadding => {
                f.write_str("'=' comes before the second character of a group")
            }
            Problem::ExpectedPadding(b) => {
                write!(
                    f,
                    "{} follows a single '=' (expected a second '=')",
                    Quoted(b)
                )
            }
            Problem::NonZeroBits(b) => write!(
                f,
                "{} ends the data with non-zero unused bits (not a canonical encoding)",
                Quoted(b)
            ),
            Problem::LoneCharacter(b) => write!(
                f,
                "{} is alone in the last group (a group needs at least 2 characters)",
                Quoted(b)
            ),
            Problem::HalfPadding => f.write_str("'=' ends the input where '==' was expected"),
        }
    }
}

impl std::error::Error for DecodeError {}

/// A byte in quotes, escaped when it is not printable ASCII: `'!'`, `'\r'`, `'\x00'`.
struct Quoted(u8);

impl fmt::Display for Quoted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0 == b'\'' {
            return f.write_str("\"'\"");
        }
        write!(f, "'{}'", self.0.escape_ascii())
    }
}

/// What one block (or the end of input) decoded to.
#[derive(Debug)]
pub struct Decoded<'a> {
    /// Every byte decoded, up to the error if there is one.
    pub bytes: &'a [u8],
    pub result: Result<(), DecodeError>,
}

/// How the decoder sees a byte.
const PAD_CLASS: u8 = 64;
const DROP_CLASS: u8 = 65;
const INVALID_CLASS: u8 = 66;

/// The slow path's unfinished group.
#[derive(Debug, Clone, Copy, Default)]
struct Group {
    /// 6-bit values of the data characters seen.
    values: [u8; 3],
    /// Data characters seen (0..=3).
    len: usize,
    /// A first `=` was seen after two data characters.
    half_padded: bool,
    /// Where each character was: data characters, then the `=`.
    places: [Place; 4],
}

/// A character's place: an index into the current block's kept bytes, or, for a group carried
/// over from an earlier block, a location already worked out.
#[derive(Debug, Clone, Copy)]
enum Place {
    Kept(usize),
    At(Location),
}

impl Default for Place {
    fn default() -> Self {
        Place::Kept(0)
    }
}

/// Decodes a stream block by block with GNU coreutils 9.8 semantics:
/// `\n` is ignored anywhere; padded groups may follow each other; missing final padding is
/// accepted; a lone final character, a half `==`, non-zero unused bits, and (without
/// `ignore_garbage`) any other byte outside the alphabet are errors. On an error, every byte
/// decoded before it (including the leading bytes of the failing group) is in `out`.
pub struct Decoder {
    engine: Engine,
    kernel: Kernel,
    tables: Tables,
    alphabet: Alphabet,
    /// Byte → 6-bit value, or one of the `*_CLASS` markers.
    classes: [u8; 256],
    ignore_garbage: bool,
    group: Group,
    /// Input bytes before the current block, `\n`s among them, and where the line began.
    consumed: u64,
    lines_before: u64,
    line_start: u64,
    /// The current block without the bytes that are dropped (`\n`, or all garbage with
    /// `ignore_garbage`), and how kept bytes map back to the block. `kept` only grows; its
    /// first `kept_len` bytes are the current block's.
    kept: Vec<u8>,
    kept_len: usize,
    runs: Vec<Run>,
    out: Sink,
    /// The `\n`s in the current block, and where the last one is.
    newlines: u64,
    last_newline: Option<usize>,
    failed: bool,
}

impl Decoder {
    /// A decoder on the fastest kernel this CPU runs.
    pub fn new(alphabet: Alphabet, ignore_garbage: bool) -> Self {
        Self::with_kernel(alphabet, ignore_garbage, Kernel::best())
    }

    pub fn with_kernel(alphabet: Alphabet, ignore_garbage: bool, kernel: Kernel) -> Self {
        let mut classes = [if ignore_garbage {
            DROP_CLASS
        } else {
            INVALID_CLASS
        }; 256];
        for (value, &symbol) in alphabet.symbols().iter().enumerate() {
            classes[usize::from(symbol)] = value as u8;
        }
        classes[usize::from(b'=')] = PAD_CLASS;
        classes[usize::from(b'\n')] = DROP_CLASS;
        Self {
            engine: alphabet.engine(),
            kernel,
            tables: Tables::new(alphabet.symbols()),
            alphabet,
            classes,
            ignore_garbage,
            group: Group::default(),
            consumed: 0,
            lines_before: 0,
            line_start: 0,
            kept: Vec::new(),
            kept_len: 0,
            runs: Vec::new(),
            out: Sink::default(),
            newlines: 0,
            last_newline: None,
            failed: false,
        }
    }

    /// Go on with another kernel (they all decode alike, and keep no state).
    pub fn set_kernel(&mut self, kernel: Kernel) {
        self.kernel = kernel;
    }

    /// Decode the next block of input: its bytes (valid until the next call) and, on invalid
    /// input, the error that follows them.
    pub fn decode(&mut self, block: &[u8]) -> Decoded<'_> {
        let mut out = std::mem::take(&mut self.out);
        out.clear();
        let result = self.decode_block(block, &mut out);
        self.out = out;
        Decoded {
            bytes: self.out.bytes(),
            result,
        }
    }

    /// End of input: the last group may be unpadded (`YQ`), but not one character or `xx=`.
    pub fn finish(&mut self) -> Decoded<'_> {
        let mut out = std::mem::take(&mut self.out);
        out.clear();
        let result = self.finish_groups(&mut out);
        self.out = out;
        Decoded {
            bytes: self.out.bytes(),
            result,
        }
    }

    /// The kernel takes the regular runs (whole lines of one width, or characters without
    /// newlines) while no group is open; the exact path takes the piece up to the next newline
    /// after each place the kernel stops, and the rest of the block once the kernel takes
    /// nothing after such a piece (short or misaligned lines). Positions and partial output
    /// come out as if the exact path had done it all, because the kernel only ever passes
    /// whole groups and says how many newlines it passed.
    fn decode_block(&mut self, block: &[u8], out: &mut Sink) -> Result<(), DecodeError> {
        assert!(!self.failed, "decoding continued after an error");
        if self.ignore_garbage || self.kernel == Kernel::portable() {
            return self.decode_exact(block, out);
        }
        let mut pos = 0;
        let mut stalled = false;
        while pos < block.len() {
            if self.group.len == 0 && !self.group.half_padded {
                let (used, newlines) = self.decode_fast(&block[pos..], out);
                if used > 0 {
                    self.consumed += used as u64;
                    if newlines > 0 {
                        // The kernel's run ends with a newline whenever it passed one.
                        self.lines_before += newlines;
                        self.line_start = self.consumed;
                    }
                    pos += used;
                    stalled = false;
                    if pos == block.len() {
                        break;
                    }
                }
            }
            let end = match memchr::memchr(b'\n', &block[pos..]) {
                Some(i) if !stalled => pos + i + 1,
                _ => block.len(),
            };
            self.decode_exact(&block[pos..end], out)?;
            pos = end;
            stalled = true;
        }
        Ok(())
    }

    /// What the kernel takes from the start of `raw`: lines of the first line's width, or the
    /// whole steps of characters before the first newline (or other byte outside the alphabet,
    /// which ends the kernel's run as a newline would). The input bytes passed and the newlines
    /// among them. The first newline is looked for in the first `LINE_WINDOW` bytes only, so
    /// that unwrapped text is not scanned twice: a wider line is decoded as a run, just as well.
    fn decode_fast(&mut self, raw: &[u8], out: &mut Sink) -> (usize, u64) {
        let first = memchr::memchr(b'\n', &raw[..raw.len().min(LINE_WINDOW)]);
        if let Some(width) = first.filter(|&w| self.kernel.decodes_lines(w)) {
            let dst = out.spare(raw.len() / 4 * 3 + SLACK);
            let used = self.kernel.decode_lines(&self.tables, raw, width, dst);
            let lines = used / (width + 1);
            out.commit(lines * (width / 4 * 3));
            return (used, lines as u64);
        }
        let chars = &raw[..first.unwrap_or(raw.len())];
        let dst = out.spare(chars.len() / 4 * 3 + SLACK);
        let used = self.kernel.decode(&self.tables, chars, dst);
        out.commit(used / 4 * 3);
        (used, 0)
    }

    /// The exact path over one piece of input, which it treats as a block of its own.
    fn decode_exact(&mut self, block: &[u8], out: &mut Sink) -> Result<(), DecodeError> {
        let guessed = self.keep(block);
        let (group, written) = (self.group, out.len());
        let mut result = self.decode_kept(block, out);
        if result.is_err()
            && guessed
            && memchr::memchr(b'\n', &self.kept[..self.kept_len]).is_some()
        {
            // A newline hid inside a guessed line (see `keep_lines`) and was taken for data:
            // decode the block again from its start, with every newline searched for.
            self.group = group;
            out.truncate(written);
            self.start_keeping(block.len());
            self.keep_lines(block, false);
            result = self.decode_kept(block, out);
        }
        if result.is_err() {
            self.failed = true;
            return result;
        }
        // The unfinished group outlives this block's indices: pin its places down now.
        for i in 0..self.group.len + usize::from(self.group.half_padded) {
            if let Place::Kept(k) = self.group.places[i] {
                self.group.places[i] = Place::At(self.locate(block, k));
            }
        }
        if let Some(last) = self.last_newline {
            self.line_start = self.consumed + last as u64 + 1;
        }
        self.lines_before += self.newlines;
        self.consumed += block.len() as u64;
        Ok(())
    }

    fn finish_groups(&mut self, out: &mut Sink) -> Result<(), DecodeError> {
        assert!(!self.failed, "decoding continued after an error");
        let group = self.group;
        self.group = Group::default();
        let error = |decoder: &Self, place: Place, problem| DecodeError {
            at: decoder.resolve(&[], place),
            problem,
            alphabet: decoder.alphabet,
        };
        match (group.len, group.half_padded) {
            (0, _) => Ok(()),
            (1, _) => Err(error(
                self,
                group.places[0],
                Problem::LoneCharacter(self.symbol(group.values[0])),
            )),
            (2, true) => {
                emit_partial(&group, out);
                Err(error(self, group.places[2], Problem::HalfPadding))
            }
            _ => self.complete(&group, out, &[]),
        }
    }

    /// Fill `kept` and `runs`; `true` when newlines were guessed rather than searched for.
    fn keep(&mut self, block: &[u8]) -> bool {
        self.start_keeping(block.len());
        if self.ignore_garbage {
            self.keep_alphabet(block);
            false
        } else {
            self.keep_lines(block, true)
        }
    }

    fn start_keeping(&mut self, len: usize) {
        // Grow only: the buffer is written by index, never zeroed again.
        if self.kept.len() < len {
            self.kept.resize(len, 0);
        }
        self.kept_len = 0;
        self.runs.clear();
        self.newlines = 0;
        self.last_newline = None;
    }

    /// With `ignore_garbage`: keep the alphabet and `=`, drop everything else.
    fn keep_alphabet(&mut self, block: &[u8]) {
        let mut in_run = false;
        for (raw, &byte) in block.iter().enumerate() {
            if byte == b'\n' {
                self.newlines += 1;
                self.last_newline = Some(raw);
            }
            if self.classes[usize::from(byte)] == DROP_CLASS {
                in_run = false;
            } else {
                if !in_run {
                    self.runs.push(Run::plain(self.kept_len, raw));
                    in_run = true;
                }
                self.kept[self.kept_len] = byte;
                self.kept_len += 1;
            }
        }
    }

    /// Drop the `\n`s. Wrapped input has lines of one width, and searching for each newline
    /// costs more than decoding the line; so with `guess`, after a line of width W the next
    /// newline is expected W bytes on, and while only that byte is checked, whole lines are
    /// copied. A guess is wrong only if a newline hid inside a guessed line; such a newline
    /// is not in the alphabet, so decoding the kept bytes fails, and `decode` then checks and
    /// does the block again without guessing. Returns whether any guess was taken.
    fn keep_lines(&mut self, block: &[u8], guess: bool) -> bool {
        let mut start = 0;
        let mut guessed = false;
        while let Some(offset) = memchr::memchr(b'\n', &block[start..]) {
            let newline = start + offset;
            self.keep_run(block, start, newline);
            self.newlines += 1;
            self.last_newline = Some(newline);
            start = newline + 1;
            let width = offset;
            if !guess || width == 0 || block.get(start + width) != Some(&b'\n') {
                continue;
            }
            guessed = true;
            let kept = &mut self.kept[..];
            let (end, kept_end) = match width {
                // The default widths get copies of known length: a few moves, no call.
                76 => lines_of::<76>(block, start, kept, self.kept_len),
                64 => lines_of::<64>(block, start, kept, self.kept_len),
                _ => lines_of_width(block, start, width, kept, self.kept_len),
            };
            self.runs.push(Run {
                kept_start: self.kept_len,
                raw_start: start,
                width,
            });
            self.newlines += ((end - start) / (width + 1)) as u64;
            self.last_newline = Some(end - 1);
            self.kept_len = kept_end;
            start = end;
        }
        self.keep_run(block, start, block.len());
        guessed
    }

    /// Keep `block[start..end]`, which holds no newline.
    fn keep_run(&mut self, block: &[u8], start: usize, end: usize) {
        if end > start {
            self.runs.push(Run::plain(self.kept_len, start));
            self.kept[self.kept_len..self.kept_len + (end - start)]
                .copy_from_slice(&block[start..end]);
            self.kept_len += end - start;
        }
    }

    fn decode_kept(&mut self, block: &[u8], out: &mut Sink) -> Result<(), DecodeError> {
        let kept = std::mem::take(&mut self.kept);
        let result = self.decode_symbols(&kept[..self.kept_len], block, out);
        self.kept = kept;
        result
    }

    fn decode_symbols(
        &mut self,
        kept: &[u8],
        block: &[u8],
        out: &mut Sink,
    ) -> Result<(), DecodeError> {
        let mut i = 0;
        // First try everything up to the last whole group in one engine call, which takes a
        // final padded group too; once that fails, stop before each `=` instead (so a block
        // full of `YQ==YQ==` stays linear).
        let mut try_whole = true;
        while i < kept.len() {
            if self.group.len == 0 && !self.group.half_padded {
                let whole = i + (kept.len() - i) / 4 * 4;
                if try_whole && whole > i {
                    if self.fast(&kept[i..whole], out) {
                        i = whole;
                        continue;
                    }
                    try_whole = false;
                }
                let stop = memchr::memchr(b'=', &kept[i..whole]).map_or(whole, |p| i + p);
                let end = i + (stop - i) / 4 * 4;
                if end > i {
                    if !self.fast(&kept[i..end], out) {
                        // Some byte in there is invalid: go through the run exactly to find it.
                        for k in i..end {
                            self.step(kept, k, block, out)?;
                        }
                    }
                    i = end;
                    continue;
                }
            }
            self.step(kept, i, block, out)?;
            i += 1;
        }
        Ok(())
    }

    /// The fast path: whole groups (the last may be padded) in one engine call. On `false`,
    /// nothing was written.
    fn fast(&self, groups: &[u8], out: &mut Sink) -> bool {
        let dst = out.spare(groups.len() / 4 * 3 + SLACK);
        let done = self.kernel.decode(&self.tables, groups, dst);
        match self
            .engine
            .decode_slice(&groups[done..], &mut dst[done / 4 * 3..])
        {
            Ok(written) => {
                out.commit(done / 4 * 3 + written);
                true
            }
            Err(_) => false,
        }
    }

    /// The slow path: one kept byte.
    fn step(
        &mut self,
        kept: &[u8],
        k: usize,
        block: &[u8],
        out: &mut Sink,
    ) -> Result<(), DecodeError> {
        let byte = kept[k];
        let class = self.classes[usize::from(byte)];
        let fail = |decoder: &mut Self, out: &mut Sink, place: Place, problem| {
            emit_partial(&decoder.group, out);
            Err(DecodeError {
                at: decoder.resolve(block, place),
                problem,
                alphabet: decoder.alphabet,
            })
        };
        match class {
            0..=63 => {
                if self.group.half_padded {
                    return fail(self, out, Place::Kept(k), Problem::ExpectedPadding(byte));
                }
                let g = &mut self.group;
                if g.len < 3 {
                    g.values[g.len] = class;
                    g.places[g.len] = Place::Kept(k);
                    g.len += 1;
                } else {
                    let v = g.values;
                    out.extend_from_slice(&[
                        (v[0] << 2) | (v[1] >> 4),
                        (v[1] << 4) | (v[2] >> 2),
                        (v[2] << 6) | class,
                    ]);
                    self.group = Group::default();
                }
                Ok(())
            }
            PAD_CLASS => match (self.group.len, self.group.half_padded) {
                (0 | 1, _) => fail(self, out, Place::Kept(k), Problem::EarlyPadding),
                (2, false) => {
                    self.group.half_padded = true;
                    self.group.places[2] = Place::Kept(k);
                    Ok(())
                }
                _ => {
                    let group = self.group;
                    self.group = Group::default();
                    self.complete(&group, out, block)
                }
            },
            _ => fail(self, out, Place::Kept(k), Problem::NotInAlphabet(byte)),
        }
    }

    /// A final group of 2 or 3 data characters: its bytes, and its unused bits must be zero.
    fn complete(&self, group: &Group, out: &mut Sink, block: &[u8]) -> Result<(), DecodeError> {
        emit_partial(group, out);
        let last = group.values[group.len - 1];
        let unused = if group.len == 2 { 0x0f } else { 0x03 };
        if last & unused == 0 {
            return Ok(());
        }
        Err(DecodeError {
            at: self.resolve(block, group.places[group.len - 1]),
            problem: Problem::NonZeroBits(self.symbol(last)),
            alphabet: self.alphabet,
        })
    }

    fn symbol(&self, value: u8) -> u8 {
        self.alphabet.symbols()[usize::from(value)]
    }

    fn resolve(&self, block: &[u8], place: Place) -> Location {
        match place {
            Place::At(location) => location,
            Place::Kept(k) => self.locate(block, k),
        }
    }

    /// The location of kept byte `k` of the current block.
    fn locate(&self, block: &[u8], k: usize) -> Location {
        let run = self.runs[self.runs.partition_point(|run| run.kept_start <= k) - 1];
        let within = k - run.kept_start;
        let raw = run.raw_start + within + within / run.width;
        let before = &block[..raw];
        // Count on the shorter side: a group carried to the next block sits near the end.
        // (`self.newlines` misses newlines hidden in a wrongly guessed line; a result from such
        // a block is thrown away, hence saturating.)
        let newlines = if raw <= block.len() / 2 {
            memchr::memchr_iter(b'\n', before).count() as u64
        } else {
            let after = memchr::memchr_iter(b'\n', &block[raw..]).count() as u64;
            self.newlines.saturating_sub(after)
        };
        let offset = self.consumed + raw as u64;
        let line_start = match memchr::memrchr(b'\n', before) {
            Some(last) => self.consumed + last as u64 + 1,
            None => self.line_start,
        };
        Location {
            offset,
            line: self.lines_before + newlines + 1,
            column: offset - line_start + 1,
        }
    }
}

/// Kept bytes from `kept_start` on came from `raw_start` on in the block, in lines of `width`
/// bytes each followed by one newline (`usize::MAX`: no newline in between).
#[derive(Debug, Clone, Copy)]
struct Run {
    kept_start: usize,
    raw_start: usize,
    width: usize,
}

impl Run {
    fn plain(kept_start: usize, raw_start: usize) -> Self {
        Self {
            kept_start,
            raw_start,
            width: usize::MAX,
        }
    }
}

/// Copy the lines of `WIDTH` bytes from `block[start..]` to `kept[len..]` for as long as each
/// is followed by a newline; return where the lines ended in both.
fn lines_of<const WIDTH: usize>(
    block: &[u8],
    mut start: usize,
    kept: &mut [u8],
    mut len: usize,
) -> (usize, usize) {
    while block.get(start + WIDTH) == Some(&b'\n') {
        let line: &[u8; WIDTH] = block[start..start + WIDTH].try_into().expect("WIDTH long");
        kept[len..len + WIDTH].copy_from_slice(line);
        len += WIDTH;
        start += WIDTH + 1;
    }
    (start, len)
}

/// `lines_of` for any width.
fn lines_of_width(
    block: &[u8],
    mut start: usize,
    width: usize,
    kept: &mut [u8],
    mut len: usize,
) -> (usize, usize) {
    while block.get(start + width) == Some(&b'\n') {
        kept[len..len + width].copy_from_slice(&block[start..start + width]);
        len += width;
        start += width + 1;
    }
    (start, len)
}

/// The whole bytes an unfinished group holds: none for 0–1 characters, 1 for 2, 2 for 3.
fn emit_partial(group: &Group, out: &mut Sink) {
    let v = group.values;
    if group.len >= 2 {
        out.push((v[0] << 2) | (v[1] >> 4));
    }
    if group.len >= 3 {
        out.push((v[1] << 4) | (v[2] >> 2));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kernel_switched_between_blocks_writes_the_same() {
        let data: Vec<u8> = (0..20_000u32).map(|i| (i * 7 + i / 13) as u8).collect();
        for kernel in Kernel::available() {
            for wrap in [0, 76] {
                let mut one = Encoder::with_kernel(Alphabet::Standard, wrap, Kernel::portable());
                let mut text = one.encode(&data).to_vec();
                text.extend_from_slice(one.finish());
                let mut two = Encoder::with_kernel(Alphabet::Standard, wrap, Kernel::portable());
                let mut got = two.encode(&data[..100]).to_vec();
                two.set_kernel(kernel);
                got.extend_from_slice(two.encode(&data[100..]));
                got.extend_from_slice(two.finish());
                assert_eq!(got, text, "{kernel:?}, wrap {wrap}");

                let mut decoder =
                    Decoder::with_kernel(Alphabet::Standard, false, Kernel::portable());
                let mut bytes = Vec::new();
                let first = decoder.decode(&text[..101]);
                bytes.extend_from_slice(first.bytes);
                assert!(first.result.is_ok());
                decoder.set_kernel(kernel);
                let rest = decoder.decode(&text[101..]);
                bytes.extend_from_slice(rest.bytes);
                assert!(rest.result.is_ok());
                let last = decoder.finish();
                bytes.extend_from_slice(last.bytes);
                assert!(last.result.is_ok());
                assert_eq!(bytes, data, "{kernel:?}, wrap {wrap}");
            }
        }
    }

    /// Encode on every kernel this CPU runs; all must agree with the portable one.
    fn encode(input: &[u8], wrap: usize, block: usize) -> String {
        let on = |kernel| {
            let mut encoder = Encoder::with_kernel(Alphabet::Standard, wrap, kernel);
            let mut out = Vec::new();
            for chunk in input.chunks(block.max(1)) {
                out.extend_from_slice(encoder.encode(chunk));
            }
            out.extend_from_slice(encoder.finish());
            String::from_utf8(out).unwrap()
        };
        let portable = on(Kernel::portable());
        for kernel in Kernel::available() {
            assert_eq!(
                on(kernel),
                portable,
                "{kernel:?}, wrap {wrap}, block {block}"
            );
        }
        portable
    }

    fn decode_with(
        input: &[u8],
        alphabet: Alphabet,
        ignore_garbage: bool,
        block: usize,
    ) -> (Vec<u8>, Option<DecodeError>) {
        let on = |kernel| {
            let mut decoder = Decoder::with_kernel(alphabet, ignore_garbage, kernel);
            let mut out = Vec::new();
            for chunk in input.chunks(block.max(1)) {
                let decoded = decoder.decode(chunk);
                out.extend_from_slice(decoded.bytes);
                if let Err(e) = decoded.result {
                    return (out, Some(e));
                }
            }
            let decoded = decoder.finish();
            out.extend_from_slice(decoded.bytes);
            (out, decoded.result.err())
        };
        // Every kernel this CPU runs must agree with the portable one.
        let portable = on(Kernel::portable());
        for kernel in Kernel::available() {
            assert_eq!(on(kernel), portable, "{kernel:?}, block {block}");
        }
        portable
    }

    /// Decode in one block and in 1-, 2-, 3- and 5-byte blocks; all must agree.
    fn decode(input: &[u8]) -> (Vec<u8>, Option<DecodeError>) {
        let whole = decode_with(input, Alphabet::Standard, false, input.len());
        for block in [1, 2, 3, 5] {
            assert_eq!(
                decode_with(input, Alphabet::Standard, false, block),
                whole,
                "block size {block} disagrees for {:?}",
                String::from_utf8_lossy(input)
            );
        }
        whole
    }

    fn ok(input: &str) -> Vec<u8> {
        let (out, err) = decode(input.as_bytes());
        assert_eq!(err, None, "{input:?}");
        out
    }

    fn bad(input: &str) -> (String, DecodeError) {
        let (out, err) = decode(input.as_bytes());
        (
            String::from_utf8_lossy(&out).into_owned(),
            err.unwrap_or_else(|| panic!("{input:?} decoded")),
        )
    }

    #[test]
    fn encodes_like_gnu() {
        assert_eq!(encode(b"", 76, 10), "");
        assert_eq!(encode(b"abcdef\n", 76, 10), "YWJjZGVmCg==\n");
        assert_eq!(encode(b"a", 0, 10), "YQ==");
        assert_eq!(encode(b"aaaa", 5, 1), "YWFhY\nQ==\n");
        assert_eq!(encode(b"abc", 4, 2), "YWJj\n");
        assert_eq!(encode(b"ab", 1, 1), "Y\nW\nI\n=\n");
        assert_eq!(encode(&[0xfb, 0xff], 0, 1), "+/8=");
        let mut url = Encoder::new(Alphabet::UrlSafe, 0);
        assert_eq!(url.encode(&[0xfb, 0xff]), b"");
        assert_eq!(url.finish(), b"-_8=");
    }

    #[test]
    fn encoding_does_not_depend_on_block_sizes() {
        let data: Vec<u8> = (0..5000u32).map(|i| (i * 7 + i / 13) as u8).collect();
        for wrap in [0, 1, 5, 64, 76] {
            let whole = encode(&data, wrap, data.len());
            for block in [1, 2, 3, 4, 100, 1001] {
                assert_eq!(
                    encode(&data, wrap, block),
                    whole,
                    "wrap {wrap} block {block}"
                );
            }
        }
    }

    #[test]
    fn decodes_the_issue_examples() {
        assert_eq!(ok("YWJjZGVmCg==\n"), b"abcdef\n");
        assert_eq!(ok("YQ==YQ=="), b"aa");
        assert_eq!(ok("YWJjZGVmCg"), b"abcdef\n");
        assert_eq!(ok("Y\nW\nJ\nj\n"), b"abc");
        assert_eq!(ok("YQ=\n="), b"a");
        assert_eq!(ok(""), b"");
        assert_eq!(ok("\n\n"), b"");
        assert_eq!(ok("aQ"), b"i");
        assert_eq!(ok("Zzw"), b"g<");
    }

    #[test]
    fn an_error_in_a_block_with_hidden_newlines_is_placed_right() {
        // Found by fuzzing: the newlines after `=` hide in a guessed line, and the error
        // comes first.
        let (out, err) = decode(b"Y88888888888l1\n\0\0l\n=\n\n\n\n");
        let err = err.unwrap();
        assert_eq!(out.len(), 9 + 1);
        assert_eq!(err.problem, Problem::NotInAlphabet(0));
        assert_eq!(err.at.offset, 15);
    }

    #[test]
    fn a_newline_hidden_inside_a_guessed_line_is_still_dropped() {
        // Width 4 predicts the newline at 9, which is one, but another hides at 7.
        assert_eq!(ok("YWJj\nYW\nJ\nj\n"), b"abcabc");
        let (out, err) = bad("YWJj\nYW\nJ\n!\n");
        assert_eq!(out, "abcab");
        assert_eq!(
            err.at,
            Location {
                offset: 10,
                line: 4,
                column: 1
            }
        );
    }

    #[test]
    fn invalid_input_keeps_what_came_before() {
        let (out, err) = bad("YWJjZGV!");
        assert_eq!(out, "abcde");
        assert_eq!(err.problem, Problem::NotInAlphabet(b'!'));
        assert_eq!(
            err.at,
            Location {
                offset: 7,
                line: 1,
                column: 8
            }
        );
        assert_eq!(
            err.to_string(),
            "invalid input at byte 8 (line 1, column 8): '!' is not in the base64 alphabet"
        );

        let (out, err) = bad("MTIzNA=");
        assert_eq!((out.as_str(), err.problem), ("1234", Problem::HalfPadding));
        assert_eq!(err.at.offset, 6);
        let (out, err) = bad("SB==");
        assert_eq!(
            (out.as_str(), err.problem),
            ("H", Problem::NonZeroBits(b'B'))
        );
        assert_eq!(err.at.offset, 1);
        let (out, err) = bad("SGVsbG9=");
        assert_eq!(
            (out.as_str(), err.problem),
            ("Hello", Problem::NonZeroBits(b'9'))
        );
        let (out, err) = bad("Zz=");
        assert_eq!((out.as_str(), err.problem), ("g", Problem::HalfPadding));
        let (out, err) = bad("Z===");
        assert_eq!((out.as_str(), err.problem), ("", Problem::EarlyPadding));
        let (out, err) = bad("a");
        assert_eq!(
            (out.as_str(), err.problem),
            ("", Problem::LoneCharacter(b'a'))
        );
        let (out, err) = bad("YQ===");
        assert_eq!((out.as_str(), err.problem), ("a", Problem::EarlyPadding));
        let (out, err) = bad("YW=J");
        assert_eq!(
            (out.as_str(), err.problem),
            ("a", Problem::ExpectedPadding(b'J'))
        );
        let (out, err) = bad("YW Jj");
        assert_eq!(
            (out.as_str(), err.problem),
            ("a", Problem::NotInAlphabet(b' '))
        );
        let (out, err) = bad("YWJj\r\n");
        assert_eq!(
            (out.as_str(), err.problem),
            ("abc", Problem::NotInAlphabet(b'\r'))
        );
        assert!(err.to_string().contains(r"'\r' is not"), "{err}");
        let (_, err) = bad("YQ==\0");
        assert!(err.to_string().contains(r"'\x00' is not"), "{err}");
        let (out, err) = bad("SB");
        assert_eq!(
            (out.as_str(), err.problem),
            ("H", Problem::NonZeroBits(b'B'))
        );
    }

    #[test]
    fn errors_name_line_and_column_across_blocks() {
        let input = b"YWJj\nYWJj\nYW\n\nJ!";
        let (out, err) = decode(input);
        let err = err.unwrap();
        assert_eq!(out, b"abcabcab");
        assert_eq!(
            err.at,
            Location {
                offset: 15,
                line: 5,
                column: 2
            }
        );
        // An error inside a run of lines copied by their guessed width.
        let (out, err) = decode(b"YWJj\nYWJj\nYWJj\nYW*j\nYWJj\n");
        assert_eq!(out, b"abcabcabca");
        assert_eq!(
            err.unwrap().at,
            Location {
                offset: 17,
                line: 4,
                column: 3
            }
        );
        // A lone character found only at the end still points at itself.
        let (_, err) = decode(b"YWJj\n\nY\n\n");
        assert_eq!(
            err.unwrap().at,
            Location {
                offset: 6,
                line: 3,
                column: 1
            }
        );
        let (_, err) = decode(b"YWJj\nYQ=\n");
        assert_eq!(
            err.unwrap().at,
            Location {
                offset: 7,
                line: 2,
                column: 3
            }
        );
    }

    #[test]
    fn ignore_garbage_drops_everything_outside_the_alphabet() {
        let (out, err) = decode_with(b"&VA/c8A+vSg==", Alphabet::Standard, true, 3);
        assert_eq!((out, err), (b"\x54\x0f\xdc\xf0\x0f\xaf\x4a".to_vec(), None));
        let (out, err) = decode_with(b"/VA_c8A-vSg==+", Alphabet::UrlSafe, true, 4);
        assert_eq!((out, err), (b"\x54\x0f\xdc\xf0\x0f\xaf\x4a".to_vec(), None));
        // Padding is not garbage: its rules still hold, and positions count dropped bytes.
        let (_, err) = decode_with(b"Y Q\r\n=!", Alphabet::Standard, true, 2);
        let err = err.unwrap();
        assert_eq!(err.problem, Problem::HalfPadding);
        assert_eq!(err.at.offset, 5);
    }

    #[test]
    fn url_alphabet_rejects_plus_and_slash() {
        let (out, err) = decode_with(b"VA/c8A+vSg==", Alphabet::UrlSafe, false, 100);
        assert_eq!(out, b"\x54");
        assert_eq!(err.unwrap().problem, Problem::NotInAlphabet(b'/'));
    }

    /// Wrapped text long enough for the kernels' line and vector paths, with one byte changed
    /// at many places: every kernel must stop at the same byte with the same output.
    #[test]
    fn kernels_agree_on_errors_inside_wrapped_lines() {
        let data: Vec<u8> = (0..3000u32).map(|i| (i * 31 + i / 7) as u8).collect();
        for wrap in [0, 32, 64, 76, 100, 128] {
            let text = encode(&data, wrap, data.len()).into_bytes();
            assert_eq!(decode_with(&text, Alphabet::Standard, false, 4096).0, data);
            for at in (0..text.len()).step_by(37) {
                for byte in [b'*', b'=', b'\n', b'\r', 0x80 | b'A'] {
                    let mut bad = text.clone();
                    bad[at] = byte;
                    for block in [text.len(), 1000, 333] {
                        decode_with(&bad, Alphabet::Standard, false, block);
                    }
                }
            }
        }
    }

    /// The AVX-512 kernel decodes 76-column text four lines at a time: a wrong byte at any
    /// place of the first blocks, and a line one character short or long, must stop every
    /// kernel at the same byte with the same output.
    #[test]
    fn every_byte_of_a_block_of_lines_is_checked() {
        let data: Vec<u8> = (0..57 * 13 + 20)
            .map(|i: u32| (i * 131 + i / 5) as u8)
            .collect();
        let text = encode(&data, 76, data.len()).into_bytes();
        assert_eq!(
            decode_with(&text, Alphabet::Standard, false, text.len()).0,
            data
        );
        for at in 0..2 * 308 + 80 {
            for byte in [b'*', b'=', b'\n', 0x80 | b'A', b'A'] {
                let mut bad = text.clone();
                bad[at] = byte;
                for block in [text.len(), 700] {
                    decode_with(&bad, Alphabet::Standard, false, block);
                }
            }
            let mut short = text.clone();
            short.remove(at);
            decode_with(&short, Alphabet::Standard, false, text.len());
            let mut long = text.clone();
            long.insert(at, b'Q');
            decode_with(&long, Alphabet::Standard, false, text.len());
        }
    }

    /// Lines wider than the window the decoder looks for a newline in are decoded as runs.
    #[test]
    fn lines_wider_than_the_newline_window_decode_alike() {
        let data: Vec<u8> = (0..20_000u32).map(|i| (i * 29 + i / 11) as u8).collect();
        let wrap = LINE_WINDOW + 904;
        let text = encode(&data, wrap, data.len()).into_bytes();
        assert_eq!(text[wrap], b'\n');
        assert_eq!(
            decode_with(&text, Alphabet::Standard, false, text.len()).0,
            data
        );
        for at in [wrap - 1, wrap + 1, LINE_WINDOW + 2, 2 * wrap + 7] {
            let mut bad = text.clone();
            bad[at] = b'*';
            let (out, err) = decode_with(&bad, Alphabet::Standard, false, text.len());
            assert_eq!(err.expect("an error").at.offset, at as u64);
            assert!(out.len() <= data.len());
        }
    }

    #[test]
    fn fast_path_errors_are_found_exactly() {
        let mut input = "QUJD".repeat(1000).into_bytes();
        input[2501] = b'*';
        let (out, err) = decode(&input);
        assert_eq!(out.len(), 2500 / 4 * 3);
        assert_eq!(err.unwrap().at.offset, 2501);
    }
}
