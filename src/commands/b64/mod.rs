//! `devkit b64`: GNU-compatible base64 that streams in bounded memory.
//!
//! `codec` holds the pure encoder and decoder, `kernel` picks the SIMD kernel they run on
//! (`avx2`, `avx512`); this module resolves the settings and does the effects: open the input,
//! feed it through the codec in large blocks, write stdout unbuffered.

#[cfg(target_arch = "x86_64")]
mod avx2;
#[cfg(target_arch = "x86_64")]
mod avx512;
pub mod codec;
pub mod kernel;

use std::ffi::OsString;
use std::fs::File;
use std::io::{self, Read, Write};
use std::os::fd::AsFd;
use std::path::PathBuf;

use anyhow::{Context, Result};

use crate::choice::KernelChoice;
use crate::cli::B64Args;
use crate::config::{self, Config, Origin, Resolved};
use crate::error::{DevkitError, ExitStatus};
use crate::output::Printer;

pub use codec::{Alphabet, DecodeError, Decoded, Decoder, Encoder, Problem};
pub use kernel::{Isa, Kernel};

/// Bytes read per block: 126 KiB. Larger reads cost more system time on Linux; smaller ones
/// cost more calls into the codec and more writes. A multiple of 3, so that encoding a file
/// never carries bytes from one block to the next.
const BLOCK: usize = 126 * 1024;

/// What to do with the data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Encode, wrapping lines after `wrap` columns (0: one line, no final newline).
    Encode { wrap: usize },
    /// Decode; with `ignore_garbage`, bytes outside the alphabet are dropped instead of failing.
    Decode { ignore_garbage: bool },
}

/// Where the data comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    Stdin,
    File(PathBuf),
}

impl Input {
    fn name(&self) -> String {
        match self {
            Input::Stdin => "standard input".into(),
            Input::File(path) => path.display().to_string(),
        }
    }
}

/// What `devkit b64` needs, resolved from flags and config.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    pub mode: Mode,
    pub alphabet: Alphabet,
    pub input: Input,
    /// Where the wrap width came from (said with `-v`).
    pub wrap_origin: Origin,
    /// The SIMD kernel (`b64.kernel`, `DEVKIT_B64_KERNEL`), and where the choice came from;
    /// `None` for `auto`, which is detected when the input first wants a kernel (`AutoKernel`).
    pub kernel: Option<Kernel>,
    pub kernel_origin: Origin,
}

impl Settings {
    pub fn resolve(args: &B64Args, config: &Config) -> Result<Self> {
        // GNU checks the wrap size while parsing options, before it looks at the operands.
        let flag = match &args.wrap {
            Some(text) => Some(parse_wrap(text).ok_or_else(|| {
                DevkitError::failure(format!("invalid wrap size: '{text}'"))
                    .with_hint("--wrap takes a whole number of columns; 0 disables wrapping")
            })?),
            None => None,
        };
        let from_config = config
            .uint("b64.wrap")
            .map(|r| r.map(|n| usize::try_from(n).unwrap_or(0)));
        let wrap = config::flag_or(flag, "--wrap", from_config).expect("b64.wrap has a default");
        let mode = if args.decode {
            Mode::Decode {
                ignore_garbage: args.ignore_garbage,
            }
        } else {
            Mode::Encode { wrap: wrap.value }
        };
        let alphabet = if args.url {
            Alphabet::UrlSafe
        } else {
            Alphabet::Standard
        };
        let input = input_from(&args.files)?;
        let choice = config
            .choice::<KernelChoice>("b64.kernel", None, "DEVKIT_B64_KERNEL")
            .expect("b64.kernel has a default");
        let (kernel, kernel_origin) = resolve_kernel(choice, Kernel::new)?;
        Ok(Self {
            mode,
            alphabet,
            input,
            wrap_origin: wrap.origin,
            kernel,
            kernel_origin,
        })
    }
}

/// `auto` (`None`) is the fastest kernel the CPU runs, detected later; a named one the CPU
/// lacks is a usage error, so that a test forcing a kernel never passes on another one without
/// saying so.
fn resolve_kernel(
    choice: Resolved<KernelChoice>,
    detect: impl Fn(Isa) -> Option<Kernel>,
) -> Result<(Option<Kernel>, Origin)> {
    let isa = match choice.value {
        KernelChoice::Auto => return Ok((None, choice.origin)),
        KernelChoice::Portable => Isa::Portable,
        KernelChoice::Avx2 => Isa::Avx2,
        KernelChoice::Avx512 => Isa::Avx512,
    };
    match detect(isa) {
        Some(kernel) => Ok((Some(kernel), choice.origin)),
        None => Err(DevkitError::usage(format!(
            "b64 kernel '{isa}' (b64.kernel from {}) needs {}, which this CPU lacks",
            choice.origin,
            isa.needs()
        ))
        .with_hint(format!(
            "this CPU runs: {}; or use auto",
            Isa::ALL
                .into_iter()
                .filter(|&isa| detect(isa).is_some())
                .map(Isa::name)
                .collect::<Vec<_>>()
                .join(", ")
        ))
        .into()),
    }
}

/// GNU's reading of `--wrap`: optional leading white space and sign, decimal digits, nothing
/// after. Negative sizes are invalid; a size too large for memory means "never wrap" (0).
pub fn parse_wrap(text: &str) -> Option<usize> {
    let rest = text.trim_start_matches([' ', '\t', '\n', '\x0b', '\x0c', '\r']);
    let (negative, digits) = match rest.as_bytes().first() {
        Some(b'-') => (true, &rest[1..]),
        Some(b'+') => (false, &rest[1..]),
        _ => (false, rest),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let zero = digits.bytes().all(|b| b == b'0');
    if negative {
        return zero.then_some(0);
    }
    Some(
        digits
            .parse::<u64>()
            .ok()
            .filter(|n| *n <= i64::MAX as u64)
            .and_then(|n| usize::try_from(n).ok())
            .unwrap_or(0),
    )
}

/// No operand or `-`: stdin; one operand: that file; more: GNU's `extra operand` error.
fn input_from(files: &[OsString]) -> Result<Input> {
    if let Some(extra) = files.get(1) {
        return Err(
            DevkitError::failure(format!("extra operand '{}'", extra.to_string_lossy()))
                .with_hint("Try 'devkit b64 --help' for more information.")
                .into(),
        );
    }
    Ok(match files.first() {
        None => Input::Stdin,
        Some(file) if file == "-" => Input::Stdin,
        Some(file) => Input::File(PathBuf::from(file)),
    })
}

/// A block this long makes `auto` detect its kernel; shorter ones go the portable way, which
/// is as fast for them.
const DETECT_FROM: usize = 4096;

/// `auto`'s kernel, detected once the input wants one: detection probes the CPU (`cpuid`, slow
/// in a virtual machine), which a short input like `echo abcdef | devkit b64` never needs.
struct AutoKernel {
    pending: bool,
}

impl AutoKernel {
    /// The kernel to start with, and what is left to detect.
    fn start(chosen: Option<Kernel>) -> (Kernel, Self) {
        let pending = chosen.is_none();
        (chosen.unwrap_or_else(Kernel::portable), Self { pending })
    }

    /// The kernel to go on with, the first time a block of `len` bytes wants one.
    fn upgrade(&mut self, len: usize) -> Option<Kernel> {
        if self.pending && len >= DETECT_FROM {
            self.pending = false;
            Some(Kernel::best())
        } else {
            None
        }
    }
}

pub fn run(settings: &Settings, printer: &Printer) -> Result<ExitStatus> {
    let name = settings.input.name();
    match settings.mode {
        Mode::Encode { wrap } => {
            let lines = match wrap {
                0 => "without wrapping".to_string(),
                n => format!("in lines of {n} columns"),
            };
            printer.verbose(
                1,
                format!(
                    "encoding {name} {lines} (b64.wrap from {})",
                    settings.wrap_origin
                ),
            );
        }
        Mode::Decode { .. } => printer.verbose(1, format!("decoding {name}")),
    }
    // Saying which kernel runs means detecting it now; it then runs from the first byte.
    let chosen = match settings.kernel {
        None if printer.is_verbose(1) => Some(Kernel::best()),
        chosen => chosen,
    };
    if let Some(kernel) = chosen {
        printer.verbose(
            1,
            format!(
                "kernel {} (b64.kernel from {})",
                kernel.isa(),
                settings.kernel_origin
            ),
        );
    }
    let (kernel, mut auto) = AutoKernel::start(chosen);
    let mut input = open(&settings.input)?;
    // stdout's own handle buffers by line; the codec already hands out large blocks, so write
    // them straight to the descriptor.
    let mut stdout = File::from(
        io::stdout()
            .as_fd()
            .try_clone_to_owned()
            .context("cannot use standard output")?,
    );
    let mut block = ReadBuffer::new();
    let mut write = |bytes: &[u8]| -> Result<()> {
        stdout
            .write_all(bytes)
            .context("cannot write to standard output")
    };
    match settings.mode {
        Mode::Encode { wrap } => {
            let mut encoder = Encoder::with_kernel(settings.alphabet, wrap, kernel);
            while let Some(data) = block.read(&mut input, &name)? {
                if let Some(kernel) = auto.upgrade(data.len()) {
                    encoder.set_kernel(kernel);
                }
                write(encoder.encode(data))?;
            }
            write(encoder.finish())?;
        }
        Mode::Decode { ignore_garbage } => {
            let mut decoder = Decoder::with_kernel(settings.alphabet, ignore_garbage, kernel);
            let mut result = Ok(());
            while let Some(data) = block.read(&mut input, &name)? {
                if let Some(kernel) = auto.upgrade(data.len()) {
                    decoder.set_kernel(kernel);
                }
                let decoded = decoder.decode(data);
                write(decoded.bytes)?;
                result = decoded.result;
                if result.is_err() {
                    break;
                }
            }
            if result.is_ok() {
                let decoded = decoder.finish();
                write(decoded.bytes)?;
                result = decoded.result;
            }
            // The bytes before the error are out; now say where it is.
            if let Err(err) = result {
                return Err(decode_failure(&err, &settings.input).into());
            }
        }
    }
    Ok(ExitStatus::Success)
}

fn open(input: &Input) -> Result<File> {
    match input {
        Input::Stdin => Ok(File::from(
            io::stdin()
                .as_fd()
                .try_clone_to_owned()
                .context("cannot use standard input")?,
        )),
        Input::File(path) => {
            File::open(path).with_context(|| format!("cannot open {}", path.display()))
        }
    }
}

/// The buffer input is read into: blocks of `BLOCK` bytes that start on a cache line, so the
/// codec's vector loads never straddle one.
struct ReadBuffer {
    buf: Vec<u8>,
    /// Where blocks start in `buf`: the first 64-byte boundary.
    start: usize,
}

impl ReadBuffer {
    fn new() -> Self {
        let (mut buf, start) = codec::aligned_vec(BLOCK);
        buf.resize(start + BLOCK, 0);
        Self { buf, start }
    }

    /// The next block of input, or `None` at its end.
    fn read(&mut self, input: &mut File, name: &str) -> Result<Option<&[u8]>> {
        let block = &mut self.buf[self.start..];
        loop {
            match input.read(block) {
                Ok(0) => return Ok(None),
                Ok(n) => return Ok(Some(&block[..n])),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e).with_context(|| format!("cannot read {name}")),
            }
        }
    }
}

fn decode_failure(err: &DecodeError, input: &Input) -> DevkitError {
    let message = match input {
        Input::Stdin => err.to_string(),
        Input::File(path) => format!("{}: {err}", path.display()),
    };
    let hint = match err.problem {
        Problem::NotInAlphabet(b'\r') => Some(
            "the input has CRLF line ends: remove the '\\r's (tr -d '\\r') or pass -i/--ignore-garbage",
        ),
        Problem::NotInAlphabet(b'-' | b'_') if err.alphabet == Alphabet::Standard => {
            Some("this looks like URL-safe base64: pass --url")
        }
        Problem::NotInAlphabet(b'+' | b'/') if err.alphabet == Alphabet::UrlSafe => {
            Some("this looks like standard base64: drop --url")
        }
        Problem::NotInAlphabet(_) => Some("-i/--ignore-garbage drops bytes outside the alphabet"),
        _ => None,
    };
    let failure = DevkitError::failure(message);
    match hint {
        Some(hint) => failure.with_hint(hint),
        None => failure,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_sizes_are_read_like_gnu() {
        for (text, want) in [
            ("76", Some(76)),
            ("0", Some(0)),
            ("08", Some(8)),
            ("+5", Some(5)),
            (" \t7", Some(7)),
            ("-0", Some(0)),
            ("99999999999999999999999", Some(0)),
            ("1k", None),
            ("-1", None),
            ("0x0", None),
            ("", None),
            (" ", None),
            ("+", None),
            ("5 ", None),
            ("+-5", None),
            ("-99999999999999999999999", None),
        ] {
            assert_eq!(parse_wrap(text), want, "{text:?}");
        }
    }

    #[test]
    fn a_kernel_the_cpu_lacks_is_a_usage_error_naming_it() {
        // Every kernel may be present here, so the detection is replaced by one that has only
        // the portable kernel.
        let only_portable = |isa: Isa| (isa == Isa::Portable).then(Kernel::portable);
        let avx512 = Resolved {
            value: KernelChoice::Avx512,
            origin: Origin::Env {
                var: "DEVKIT_B64_KERNEL".into(),
            },
        };
        let err = resolve_kernel(avx512, only_portable).unwrap_err();
        assert_eq!(crate::error::status_of(&err), ExitStatus::Usage);
        let text = format!("{err:#}");
        assert!(text.contains("b64 kernel 'avx512'"), "{text}");
        assert!(text.contains("DEVKIT_B64_KERNEL"), "{text}");
        assert!(text.contains("AVX-512"), "{text}");
        let auto = Resolved {
            value: KernelChoice::Auto,
            origin: Origin::Default,
        };
        let (kernel, origin) = resolve_kernel(auto, only_portable).unwrap();
        assert_eq!((kernel, origin), (None, Origin::Default));
    }

    #[test]
    fn auto_detects_its_kernel_at_the_first_block_that_wants_one() {
        let (kernel, mut auto) = AutoKernel::start(None);
        assert_eq!(kernel.isa(), Isa::Portable);
        assert_eq!(auto.upgrade(7), None);
        assert_eq!(auto.upgrade(DETECT_FROM - 1), None);
        assert_eq!(auto.upgrade(DETECT_FROM), Some(Kernel::best()));
        assert_eq!(auto.upgrade(BLOCK), None, "detected once");
        // A chosen kernel runs from the start and is never replaced.
        let (kernel, mut chosen) = AutoKernel::start(Some(Kernel::portable()));
        assert_eq!(kernel, Kernel::portable());
        assert_eq!(chosen.upgrade(BLOCK), None);
    }

    #[test]
    fn operands_pick_the_input() {
        assert_eq!(input_from(&[]).unwrap(), Input::Stdin);
        assert_eq!(input_from(&["-".into()]).unwrap(), Input::Stdin);
        assert_eq!(input_from(&["a".into()]).unwrap(), Input::File("a".into()));
        let err = input_from(&["a".into(), "b".into()]).unwrap_err();
        assert_eq!(err.to_string(), "extra operand 'b'");
        assert_eq!(crate::error::status_of(&err), ExitStatus::Failure);
    }
}
