//! Which SIMD kernel the codec runs, chosen once at run time from the CPU's features, and the
//! dispatch to it. A kernel only ever takes the easy, regular bulk of the data (whole vectors of
//! alphabet characters, or whole lines of one width); everything else stays on the codec's exact
//! path, so every kernel gives the same bytes and the same errors.

use std::fmt;

#[cfg(target_arch = "x86_64")]
use super::{avx2, avx512};

/// The instruction sets devkit has a kernel for, as `DEVKIT_B64_KERNEL` names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Isa {
    /// No SIMD of devkit's own: the `base64` crate's engine on whole groups.
    Portable,
    /// 256-bit AVX2: 24 bytes ↔ 32 characters a step.
    Avx2,
    /// AVX-512 F/BW with VBMI: 48 bytes ↔ 64 characters a step, with byte permutes.
    Avx512,
}

impl Isa {
    pub const ALL: [Isa; 3] = [Isa::Portable, Isa::Avx2, Isa::Avx512];

    pub fn name(self) -> &'static str {
        match self {
            Isa::Portable => "portable",
            Isa::Avx2 => "avx2",
            Isa::Avx512 => "avx512",
        }
    }

    /// What the CPU must have, for the error that says it does not.
    pub fn needs(self) -> &'static str {
        match self {
            Isa::Portable => "nothing",
            Isa::Avx2 => "an x86-64 CPU with AVX2",
            Isa::Avx512 => "an x86-64 CPU with AVX2 and AVX-512 F, BW and VBMI",
        }
    }

    fn supported(self) -> bool {
        match self {
            Isa::Portable => true,
            #[cfg(target_arch = "x86_64")]
            Isa::Avx2 => std::is_x86_feature_detected!("avx2"),
            // The AVX-512 kernel hands lines narrower than one of its vectors to the AVX2 one.
            #[cfg(target_arch = "x86_64")]
            Isa::Avx512 => {
                std::is_x86_feature_detected!("avx2")
                    && std::is_x86_feature_detected!("avx512f")
                    && std::is_x86_feature_detected!("avx512bw")
                    && std::is_x86_feature_detected!("avx512vbmi")
            }
            #[cfg(not(target_arch = "x86_64"))]
            Isa::Avx2 | Isa::Avx512 => false,
        }
    }
}

impl fmt::Display for Isa {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A kernel the running CPU can execute. The field is private: holding a `Kernel` is the proof
/// that its features were detected, which is what makes calling its functions sound.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Kernel {
    isa: Isa,
}

impl Kernel {
    /// `isa`'s kernel, or `None` when this CPU lacks its features.
    pub fn new(isa: Isa) -> Option<Kernel> {
        isa.supported().then_some(Kernel { isa })
    }

    pub fn portable() -> Kernel {
        Kernel { isa: Isa::Portable }
    }

    /// The fastest kernel this CPU runs.
    pub fn best() -> Kernel {
        [Isa::Avx512, Isa::Avx2]
            .into_iter()
            .find_map(Kernel::new)
            .unwrap_or_else(Kernel::portable)
    }

    /// Every kernel this CPU runs, portable first.
    pub fn available() -> Vec<Kernel> {
        Isa::ALL.into_iter().filter_map(Kernel::new).collect()
    }

    pub fn isa(self) -> Isa {
        self.isa
    }

    /// Encode whole steps of `input` into `out`; the input bytes taken (a multiple of 3, with
    /// 4 characters written for each 3 bytes). The portable kernel takes none.
    // Without x86-64 only the portable kernel exists, which reads none of its arguments.
    #[cfg_attr(not(target_arch = "x86_64"), allow(unused_variables))]
    pub(crate) fn encode(self, tables: &Tables, input: &[u8], out: &mut [u8]) -> usize {
        match self.isa {
            Isa::Portable => 0,
            // SAFETY: a `Kernel` with this ISA exists only after its features were detected.
            #[cfg(target_arch = "x86_64")]
            Isa::Avx2 => unsafe { avx2::encode(&tables.encode, input, out) },
            // SAFETY: as above.
            #[cfg(target_arch = "x86_64")]
            Isa::Avx512 => unsafe { avx512::encode(&tables.encode, input, out) },
            #[cfg(not(target_arch = "x86_64"))]
            _ => 0,
        }
    }

    /// Whether `encode_lines` takes lines of `line_bytes` input bytes.
    pub(crate) fn encodes_lines(self, line_bytes: usize) -> bool {
        match self.isa {
            Isa::Portable => false,
            Isa::Avx2 | Isa::Avx512 => line_bytes >= avx2::ENCODE_STEP,
        }
    }

    /// Encode whole lines of `line_bytes` bytes (a multiple of 3) straight into `out`, each as
    /// `line_bytes / 3 * 4` characters and a newline; the number of lines written.
    // Without x86-64 only the portable kernel exists, which reads none of its arguments.
    #[cfg_attr(not(target_arch = "x86_64"), allow(unused_variables))]
    pub(crate) fn encode_lines(
        self,
        tables: &Tables,
        input: &[u8],
        line_bytes: usize,
        out: &mut [u8],
    ) -> usize {
        if !self.encodes_lines(line_bytes) {
            return 0;
        }
        match self.isa {
            Isa::Portable => 0,
            // SAFETY: the features were detected (see `encode`); an AVX-512 CPU has AVX2 too.
            #[cfg(target_arch = "x86_64")]
            Isa::Avx512 if line_bytes >= avx512::ENCODE_STEP => unsafe {
                avx512::encode_lines(&tables.encode, input, line_bytes, out)
            },
            // SAFETY: as above.
            #[cfg(target_arch = "x86_64")]
            Isa::Avx2 | Isa::Avx512 => unsafe {
                avx2::encode_lines(&tables.encode, input, line_bytes, out)
            },
            #[cfg(not(target_arch = "x86_64"))]
            _ => 0,
        }
    }

    /// Decode whole steps of alphabet characters into `out`, stopping before the first step
    /// that holds anything else (`=`, `\n`, garbage); the characters taken (a multiple of 4).
    // Without x86-64 only the portable kernel exists, which reads none of its arguments.
    #[cfg_attr(not(target_arch = "x86_64"), allow(unused_variables))]
    pub(crate) fn decode(self, tables: &Tables, chars: &[u8], out: &mut [u8]) -> usize {
        match self.isa {
            Isa::Portable => 0,
            // SAFETY: the features were detected (see `encode`).
            #[cfg(target_arch = "x86_64")]
            Isa::Avx2 => unsafe { avx2::decode(&tables.symbols, chars, out) },
            // SAFETY: as above.
            #[cfg(target_arch = "x86_64")]
            Isa::Avx512 => unsafe { avx512::decode(&tables.decode, chars, out) },
            #[cfg(not(target_arch = "x86_64"))]
            _ => 0,
        }
    }

    /// Whether `decode_lines` takes lines of `width` characters.
    pub(crate) fn decodes_lines(self, width: usize) -> bool {
        width.is_multiple_of(4)
            && match self.isa {
                Isa::Portable => false,
                Isa::Avx2 | Isa::Avx512 => width >= avx2::DECODE_STEP,
            }
    }

    /// Decode lines of exactly `width` alphabet characters, each followed by `\n`, skipping the
    /// newlines in the kernel; stop before the first line that is anything else. The input
    /// bytes taken (whole lines, newlines included); `width / 4 * 3` bytes out per line.
    // Without x86-64 only the portable kernel exists, which reads none of its arguments.
    #[cfg_attr(not(target_arch = "x86_64"), allow(unused_variables))]
    pub(crate) fn decode_lines(
        self,
        tables: &Tables,
        raw: &[u8],
        width: usize,
        out: &mut [u8],
    ) -> usize {
        if !self.decodes_lines(width) {
            return 0;
        }
        match self.isa {
            Isa::Portable => 0,
            // SAFETY: the features were detected (see `encode`); an AVX-512 CPU has AVX2 too.
            #[cfg(target_arch = "x86_64")]
            Isa::Avx512 if width >= avx512::DECODE_STEP => unsafe {
                avx512::decode_lines(&tables.decode, raw, width, out)
            },
            // SAFETY: as above.
            #[cfg(target_arch = "x86_64")]
            Isa::Avx2 | Isa::Avx512 => unsafe {
                avx2::decode_lines(&tables.symbols, raw, width, out)
            },
            #[cfg(not(target_arch = "x86_64"))]
            _ => 0,
        }
    }
}

/// The output room a kernel call needs beyond the bytes it means: a step stores a whole vector.
pub(crate) const SLACK: usize = 64;

/// An alphabet as the kernels read it.
#[derive(Debug, Clone)]
pub(crate) struct Tables {
    /// 6-bit value → character.
    pub encode: [u8; 64],
    /// The characters for 62 and 63 (`+/` or `-_`), which the AVX2 kernel compares against.
    pub symbols: [u8; 2],
    /// ASCII character → 6-bit value, or 0x80 for anything outside the alphabet.
    pub decode: [u8; 128],
}

impl Tables {
    pub fn new(symbols: &[u8; 64]) -> Self {
        let mut decode = [0x80u8; 128];
        for (value, &symbol) in symbols.iter().enumerate() {
            decode[usize::from(symbol)] = value as u8;
        }
        Self {
            encode: *symbols,
            symbols: [symbols[62], symbols[63]],
            decode,
        }
    }
}

#[cfg(not(target_arch = "x86_64"))]
mod avx2 {
    //! Only the step sizes, so the widths read the same on every target.
    pub const ENCODE_STEP: usize = 24;
    pub const DECODE_STEP: usize = 32;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn portable_is_always_there() {
        assert_eq!(Kernel::new(Isa::Portable), Some(Kernel::portable()));
        assert_eq!(Kernel::available()[0], Kernel::portable());
        assert!(Kernel::available().contains(&Kernel::best()));
    }
}
