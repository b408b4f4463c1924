//! `devkit b64` through the binary: the cases of GNU coreutils' own suite
//! (`tests/basenc/base64.pl` and the base64 parts of `basenc.pl`), a byte-for-byte comparison
//! of encode output with the system `base64`, property tests of the codec, and the failures
//! around it (unwritable stdout, missing file, directory, closed pipe). The codec cases run on
//! every SIMD kernel this CPU has (`DEVKIT_B64_KERNEL`); a kernel it lacks is skipped with a
//! printed note.

mod common;

use std::io::{Read, Seek, Write};
use std::process::{Command as StdCommand, Stdio};

use common::{Sandbox, assert_contains, failed, snapshot_filters, stderr_of};
use devkit::commands::b64::{Alphabet, Decoder, Encoder, Isa, Kernel};
use proptest::prelude::*;

/// The kernels this CPU runs; each one it lacks is named on stderr as skipped.
fn kernels() -> Vec<Kernel> {
    for isa in Isa::ALL {
        if Kernel::new(isa).is_none() {
            eprintln!(
                "skipping the {isa} kernel: this CPU lacks it (it needs {})",
                isa.needs()
            );
        }
    }
    Kernel::available()
}

// ---------------------------------------------------------------------------------------------
// The coreutils suite, case by case.

/// One run of `devkit b64` and what it must give.
struct Case {
    name: String,
    args: Vec<String>,
    input: Vec<u8>,
    out: Vec<u8>,
    exit: i32,
    /// A piece the error message must contain.
    err: Option<String>,
}

/// devkit in the sandbox with its b64 kernel forced (`DEVKIT_B64_KERNEL`).
fn on_kernel(sandbox: &Sandbox, kernel: &str) -> assert_cmd::Command {
    let mut cmd = sandbox.devkit();
    cmd.env("DEVKIT_B64_KERNEL", kernel);
    cmd
}

fn case(name: &str, args: &str, input: impl Into<Vec<u8>>, out: impl Into<Vec<u8>>) -> Case {
    Case {
        name: name.into(),
        args: args.split_whitespace().map(String::from).collect(),
        input: input.into(),
        out: out.into(),
        exit: 0,
        err: None,
    }
}

fn failing(mut case: Case, err: &str) -> Case {
    case.exit = 1;
    case.err = Some(err.into());
    case
}

/// The encoding of `n` letters `a`, as base64.pl computes it.
fn enc64(n: usize) -> String {
    let tail = ["", "YQ==", "YWE="][n % 3];
    format!("{}{tail}", "YWFh".repeat(n / 3))
}

/// `text` with a newline after every `width` characters, newline-terminated unless empty.
fn wrap(text: &str, width: usize) -> String {
    let mut out = String::new();
    for chunk in text.as_bytes().chunks(width) {
        out.push_str(std::str::from_utf8(chunk).unwrap());
        out.push('\n');
    }
    out
}

fn a(n: usize) -> String {
    "a".repeat(n)
}

fn base64_pl_cases() -> Vec<Case> {
    let mut cases = vec![
        case("empty", "", "", ""),
        case("inout1", "", a(1), enc64(1) + "\n"),
        case("inout2", "", a(2), enc64(2) + "\n"),
        case("inout3", "", a(3), enc64(3) + "\n"),
        case("inout4", "", a(4), enc64(4) + "\n"),
        case("inout5", "", a(5), enc64(5) + "\n"),
        case("wrap", "--wrap 0", a(1), enc64(1)),
        case("wrap-zero", "--wrap 08", a(1), enc64(1) + "\n"),
    ];
    for n in 39..=46 {
        cases.push(case(
            &format!("wrap5-{n}"),
            "--wrap=5",
            a(n),
            wrap(&enc64(n), 5),
        ));
    }
    cases.extend([
        failing(
            case("wrap-bad-1", "-w0x0", "", ""),
            "invalid wrap size: '0x0'",
        ),
        failing(
            case("wrap-bad-2", "-w1k", "", ""),
            "invalid wrap size: '1k'",
        ),
        failing(
            case("wrap-bad-3", "-w-1", "", ""),
            "invalid wrap size: '-1'",
        ),
    ]);
    for n in 1..=4 {
        cases.push(case(&format!("buf-{n}"), "--decode", enc64(n), a(n)));
    }
    // 4 KiB of encoded input (GNU's decode buffer) and its neighbours.
    for (name, n) in [
        ("buf-4k0", 3072),
        ("buf-4k1", 3073),
        ("buf-4k2", 3074),
        ("buf-4k3", 3075),
        ("buf-4km1", 3071),
        ("buf-4km2", 3070),
        ("buf-4km3", 3069),
        ("buf-4km4", 3068),
    ] {
        cases.push(case(name, "--decode", enc64(n), a(n)));
    }
    // The final byte alone in a buffer: 4 KiB of encoded text after k newlines.
    for k in 1..=3 {
        cases.push(case(
            &format!("b4k-{k}"),
            "--decode",
            "\n".repeat(k) + &enc64(3072),
            a(3072),
        ));
    }
    cases.extend([
        failing(case("ext-op1", "a b", "", ""), "extra operand 'b'"),
        failing(
            case("ext-op2", "-di --wrap=40 a b", "", ""),
            "extra operand 'b'",
        ),
        failing(case("baddecode", "--decode", "a", ""), "invalid input"),
        case("paddecode2", "--decode", "aQ", "i"),
        case("paddecode3", "--decode", "Zzw", "g<"),
        failing(case("baddecode4", "--decode", "Zz=", "g"), "invalid input"),
        failing(case("baddecode5", "--decode", "Z===", ""), "invalid input"),
        failing(case("baddecode6", "--decode", "SB==", "H"), "invalid input"),
        failing(
            case("baddecode7", "--decode", "SGVsbG9=", "Hello"),
            "invalid input",
        ),
    ]);

    // As base64.pl does: every passing encode case, decoded back, also with one newline
    // inserted at each of the first eleven positions of the encoded text.
    let mut decodes = Vec::new();
    for c in &cases {
        if c.exit != 0 || c.args == ["--decode"] {
            continue;
        }
        let mut variants = vec![c.out.clone()];
        for i in 0..=c.out.len().min(10) {
            let mut v = c.out.clone();
            v.insert(i, b'\n');
            variants.push(v);
        }
        for (i, v) in variants.into_iter().enumerate() {
            decodes.push(case(
                &format!("d{i}-{}", c.name),
                "--decode",
                v,
                c.input.clone(),
            ));
        }
    }
    cases.extend(decodes);
    cases
}

fn basenc_pl_cases() -> Vec<Case> {
    let raw: &[u8] = b"\x54\x0f\xdc\xf0\x0f\xaf\x4a";
    let b64 = "VA/c8A+vSg==";
    let url = "VA_c8A-vSg==";
    let url_nl: String = wrap(url, 2);
    vec![
        case("empty1", "", "", ""),
        case("empty2", "--url", "", ""),
        case("empty1d", "-d", "", ""),
        case("empty2d", "--url -d", "", ""),
        case("b64_1", "-w 0", raw, b64),
        case("b64_2", "-d", b64, raw),
        case("b64_3", "-d -i", format!("&{b64}"), raw),
        case("b64u_1", "--url -w 0", raw, url),
        case("b64u_2", "--url -d", url, raw),
        case("b64u_3", "--url -di", format!("&{url}"), raw),
        case("b64u_4", "--url -di", format!("/{url}+"), raw),
        case("b64u_5", "--url -d", url_nl.clone(), raw),
        case("b64u_6", "--url -di", url_nl, raw),
        // base64url refuses base64's `+` and `/`.
        failing(case("b64u_7", "--url -d", b64, &raw[..1]), "invalid input"),
        case(
            "b64_bug49741",
            "-d",
            "YWJj".repeat(2000),
            "abc".repeat(2000),
        ),
    ]
}

fn run_cases(cases: Vec<Case>) {
    let kernels = kernels();
    let sandbox = Sandbox::new();
    let mut failures = Vec::new();
    for kernel in &kernels {
        for c in &cases {
            check_case(&sandbox, kernel.isa(), c, &mut failures);
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases.len() * kernels.len(),
        failures.join("\n")
    );
}

fn check_case(sandbox: &Sandbox, isa: Isa, c: &Case, failures: &mut Vec<String>) {
    {
        let out = on_kernel(sandbox, isa.name())
            .arg("b64")
            .args(&c.args)
            .write_stdin(c.input.clone())
            .output()
            .unwrap();
        let err = stderr_of(&out);
        let mut wrong = Vec::new();
        if out.stdout != c.out {
            wrong.push(format!(
                "stdout {:?}, expected {:?}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&c.out)
            ));
        }
        if out.status.code() != Some(c.exit) {
            wrong.push(format!("exit {:?}, expected {}", out.status.code(), c.exit));
        }
        match &c.err {
            Some(piece) if !err.contains(piece.as_str()) => {
                wrong.push(format!("stderr {err:?} lacks {piece:?}"))
            }
            None if !err.is_empty() => wrong.push(format!("unexpected stderr {err:?}")),
            _ => {}
        }
        if !wrong.is_empty() {
            failures.push(format!("{} on {isa}: {}", c.name, wrong.join("; ")));
        }
    }
}

#[test]
fn coreutils_base64_pl() {
    run_cases(base64_pl_cases());
}

#[test]
fn coreutils_basenc_pl_base64_parts() {
    run_cases(basenc_pl_cases());
}

// ---------------------------------------------------------------------------------------------
// The decode rules of the issue, through the binary.

#[test]
fn decode_follows_current_gnu() {
    run_cases(vec![
        case(
            "newline-in-group",
            "-d",
            "YW\nJj\nZG\nVm\nCg=\n=\n",
            "abcdef\n",
        ),
        case("concatenated", "-d", "YQ==YQ==", "aa"),
        case("unpadded", "-d", "YWJjZGVmCg", "abcdef\n"),
        case(
            "garbage-dropped",
            "-d -i",
            "YW Jj\r\nZGVm\0Cg==",
            "abcdef\n",
        ),
        failing(case("lone", "-d", "YWJjY", "abc"), "invalid input"),
        failing(case("half-pad", "-d", "MTIzNA=", "1234"), "invalid input"),
        failing(case("bits", "-d", "SB==", "H"), "invalid input"),
        failing(
            case("partial-group", "-d", "YWJjZGV!", "abcde"),
            "invalid input at byte 8 (line 1, column 8): '!' is not in the base64 alphabet",
        ),
        failing(case("cr", "-d", "YWJj\r\n", "abc"), r"'\r' is not"),
        failing(case("space", "-d", "YW Jj", "a"), "' ' is not"),
        failing(case("nul", "-d", "YQ==\0", "a"), r"'\x00' is not"),
        failing(
            case("line-and-column", "-d", "YWJj\nYWJj\nYW=J", "abcabca"),
            "byte 14 (line 3, column 4): 'J' follows a single '='",
        ),
    ]);
}

#[test]
fn decode_error_in_a_file_names_the_file() {
    let sandbox = Sandbox::new();
    sandbox.write("bad.b64", "YWJj\nYW*j\n");
    let out = sandbox
        .devkit()
        .args(["b64", "-d", "bad.b64"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(out.stdout, b"abca");
    let _filters = snapshot_filters(&sandbox).bind_to_scope();
    insta::assert_snapshot!("b64_decode_error", stderr_of(&out));
}

// ---------------------------------------------------------------------------------------------
// Encode output against the system base64, byte for byte.

/// Deterministic bytes (xorshift), so a failure can be replayed.
fn noise(len: usize, seed: u64) -> Vec<u8> {
    let mut state = seed | 1;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 24) as u8
        })
        .collect()
}

/// What GNU's `base64 -w WIDTH FILE` writes.
fn gnu_encoding(file: &std::path::Path, width: &str) -> Vec<u8> {
    StdCommand::new("base64")
        .args(["-w", width])
        .arg(file)
        .output()
        .unwrap()
        .stdout
}

#[test]
fn encode_matches_system_base64_byte_for_byte() {
    let gnu = StdCommand::new("base64").arg("--version").output();
    assert!(
        gnu.is_ok_and(|o| o.status.success()),
        "this test compares with GNU coreutils' base64, which must be on PATH"
    );
    let kernels = kernels();
    let sandbox = Sandbox::new();
    let mut sizes: Vec<usize> = (0..=80).collect();
    // Around GNU's encode block (30 KiB), pipe reads (64 KiB), devkit's block (126 KiB).
    for edge in [1024, 3072, 4096, 30720, 61440, 65536, 70000, 129024, 258048] {
        sizes.extend(edge - 3..=edge + 3);
    }
    sizes.extend([1000, 9999, 12345, 54321, 69999]);
    let mut failures = Vec::new();
    for &size in &sizes {
        let data = noise(size, size as u64 + 7);
        let file = sandbox.write("data.bin", &data);
        for w in ["76", "0", "1", "5", "64"] {
            let expected = gnu_encoding(&file, w);
            for kernel in &kernels {
                let isa = kernel.isa().name();
                // From the file (whole 126 KiB reads) and from a pipe (short reads).
                let from_file = on_kernel(&sandbox, isa)
                    .args(["b64", "-w", w])
                    .arg(&file)
                    .output()
                    .unwrap();
                let mut runs = vec![("file", from_file)];
                // Up to a pipe's first read, stdin gives the same single block as the file.
                if size > 80 {
                    let from_pipe = on_kernel(&sandbox, isa)
                        .args(["b64", "-w", w])
                        .write_stdin(data.clone())
                        .output()
                        .unwrap();
                    runs.push(("stdin", from_pipe));
                }
                for (how, got) in runs {
                    if !got.status.success() || got.stdout != expected {
                        failures.push(format!("size {size}, -w {w}, from {how}, on {isa}"));
                    }
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "differs from base64:\n{}",
        failures.join("\n")
    );
}

#[test]
fn auto_matches_gnu_on_either_side_of_its_detection_size() {
    // `auto` starts on the portable path and detects its kernel at the first block of 4 KiB:
    // inputs on either side of that, through a pipe as `echo … | devkit b64` has them, must
    // come out as GNU's (a switch between blocks is checked by the codec's unit test).
    let sandbox = Sandbox::new();
    let auto = |args: &[&str], stdin: &[u8]| {
        let out = sandbox
            .devkit()
            .env_remove("DEVKIT_B64_KERNEL")
            .arg("b64")
            .args(args)
            .write_stdin(stdin)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "b64 {args:?} on {} bytes",
            stdin.len()
        );
        out.stdout
    };
    for size in [7, 100, 4095, 4096, 4097, 70_000, 300_000] {
        let data = noise(size, size as u64 + 11);
        let file = sandbox.write("auto.bin", &data);
        for w in ["76", "0"] {
            let expected = gnu_encoding(&file, w);
            let encoded = auto(&["-w", w], &data);
            assert!(
                encoded == expected,
                "size {size}, -w {w}: differs from base64"
            );
            let decoded = auto(&["-d"], &expected);
            assert!(
                decoded == data,
                "size {size}, -w {w}: decodes to other bytes"
            );
        }
    }
}

#[test]
fn decode_round_trips_large_input_through_the_binary() {
    let sandbox = Sandbox::new();
    let data = noise(300_000, 42);
    let file = sandbox.write("data.bin", &data);
    for kernel in kernels() {
        let isa = kernel.isa().name();
        for w in ["76", "0", "7", "64", "128"] {
            let encoded = on_kernel(&sandbox, isa)
                .args(["b64", "-w", w])
                .arg(&file)
                .output()
                .unwrap();
            assert!(encoded.status.success());
            let decoded = on_kernel(&sandbox, isa)
                .args(["b64", "-d"])
                .write_stdin(encoded.stdout)
                .output()
                .unwrap();
            assert!(decoded.status.success(), "{}", stderr_of(&decoded));
            assert!(decoded.stdout == data, "-w {w} did not round-trip on {isa}");
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Failures around the data.

/// The sandboxed command as a `std::process::Command`, to choose its stdout.
fn to_std(cmd: &assert_cmd::Command) -> StdCommand {
    let mut std = StdCommand::new(cmd.get_program());
    std.args(cmd.get_args());
    for (key, value) in cmd.get_envs() {
        match value {
            Some(value) => std.env(key, value),
            None => std.env_remove(key),
        };
    }
    if let Some(dir) = cmd.get_current_dir() {
        std.current_dir(dir);
    }
    std
}

#[test]
fn full_disk_names_stdout_and_the_os_error() {
    let sandbox = Sandbox::new();
    sandbox.write("data.bin", noise(100_000, 1));
    for args in [&["b64", "data.bin"][..], &["b64", "-w", "0", "data.bin"]] {
        let mut cmd = sandbox.devkit();
        cmd.args(args);
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let out = to_std(&cmd)
            .stdout(full)
            .stderr(Stdio::piped())
            .output()
            .unwrap();
        let err = failed(&out, 1);
        assert_contains(&err, "cannot write to standard output");
        assert_contains(&err, "No space left on device");
    }
}

#[test]
fn missing_file_and_directory_name_the_file_and_os_error() {
    let sandbox = Sandbox::new();
    std::fs::create_dir(sandbox.work().join("adir")).unwrap();
    for (args, needles) in [
        (
            &["b64", "missing.bin"][..],
            &["cannot open missing.bin", "No such file or directory"][..],
        ),
        (
            &["b64", "-d", "missing.bin"],
            &["cannot open missing.bin", "No such file or directory"],
        ),
        (&["b64", "adir"], &["cannot read adir", "Is a directory"]),
        (
            &["b64", "-d", "adir"],
            &["cannot read adir", "Is a directory"],
        ),
    ] {
        let out = sandbox.devkit().args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert!(out.stdout.is_empty());
        let err = stderr_of(&out);
        for needle in needles {
            assert!(err.contains(needle), "{args:?}: {needle:?} not in {err}");
        }
    }
}

/// The command started with stdout and stderr on pipes, and its stdout to read from.
fn spawn_piped(cmd: &assert_cmd::Command) -> (std::process::Child, std::process::ChildStdout) {
    let mut child = to_std(cmd)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    (child, stdout)
}

#[test]
fn a_closed_pipe_ends_quietly() {
    let sandbox = Sandbox::new();
    sandbox.write("data.bin", noise(4 << 20, 3));
    for args in [&["b64", "data.bin"][..], &["b64", "-w", "0", "data.bin"]] {
        let mut cmd = sandbox.devkit();
        cmd.args(args);
        let (child, mut stdout) = spawn_piped(&cmd);
        let mut first = [0u8; 1];
        stdout.read_exact(&mut first).unwrap();
        drop(stdout); // like `| head -c1`
        let out = child.wait_with_output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
        assert_eq!(stderr_of(&out), "");
    }
}

/// Started with descriptor 1 closed, devkit must not take the input file for its stdout (the
/// first file it opens would get descriptor 1): as with std's own start-up, the output goes to
/// /dev/null and the run succeeds.
#[test]
fn a_closed_stdout_is_not_the_input_file() {
    use std::os::unix::process::CommandExt;
    let sandbox = Sandbox::new();
    sandbox.write("data.bin", noise(10_000, 4));
    let mut cmd = sandbox.devkit();
    cmd.args(["b64", "data.bin"]);
    let mut std = to_std(&cmd);
    // SAFETY: only `close`, which is async-signal-safe, runs between fork and exec.
    unsafe {
        std.pre_exec(|| {
            libc::close(1);
            Ok(())
        });
    }
    let out = std.stderr(Stdio::piped()).output().unwrap();
    assert_eq!(stderr_of(&out), "");
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        std::fs::read(sandbox.work().join("data.bin")).unwrap(),
        noise(10_000, 4)
    );
}

#[test]
fn verbose_says_where_the_wrap_width_came_from() {
    let sandbox = Sandbox::new();
    sandbox.write("devkit.yaml", "b64:\n  wrap: 4\n");
    sandbox
        .devkit()
        .args(["-v", "b64"])
        .write_stdin("abcdef\n")
        .assert()
        .success()
        .stdout("YWJj\nZGVm\nCg==\n")
        .stderr(predicates::str::contains(
            "encoding standard input in lines of 4 columns (b64.wrap from ",
        ))
        .stderr(predicates::str::contains("devkit.yaml:2)"));
    sandbox
        .devkit()
        .args(["-v", "b64", "-w", "0"])
        .write_stdin("abcdef\n")
        .assert()
        .success()
        .stderr(predicates::str::contains(
            "without wrapping (b64.wrap from flag --wrap)",
        ));
}

#[test]
fn an_unknown_or_missing_kernel_is_a_usage_error_naming_it() {
    let sandbox = Sandbox::new();
    let out = on_kernel(&sandbox, "sse9")
        .arg("b64")
        .write_stdin("abc")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let filters = snapshot_filters(&sandbox).bind_to_scope();
    insta::assert_snapshot!("b64_unknown_kernel", stderr_of(&out));
    drop(filters);
    let lacking: Vec<Isa> = Isa::ALL
        .into_iter()
        .filter(|&isa| Kernel::new(isa).is_none())
        .collect();
    if lacking.is_empty() {
        eprintln!(
            "this CPU has every kernel: a missing one is checked by the unit test \
             a_kernel_the_cpu_lacks_is_a_usage_error_naming_it"
        );
    }
    for isa in lacking {
        let out = on_kernel(&sandbox, isa.name())
            .args(["b64", "-d"])
            .write_stdin("YWJj")
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2));
        assert!(out.stdout.is_empty());
        let err = stderr_of(&out);
        assert_contains(&err, &format!("b64 kernel '{isa}'"));
        assert_contains(&err, "which this CPU lacks");
    }
}

#[test]
fn verbose_names_the_kernel_and_its_origin() {
    let sandbox = Sandbox::new();
    sandbox
        .devkit()
        .args(["-v", "b64"])
        .write_stdin("abc")
        .assert()
        .success()
        .stderr(predicates::str::contains(format!(
            "kernel {} (b64.kernel from default)",
            Kernel::best().isa()
        )));
    on_kernel(&sandbox, "portable")
        .args(["-v", "b64", "-d"])
        .write_stdin("YWJj")
        .assert()
        .success()
        .stdout("abc")
        .stderr(predicates::str::contains(
            "kernel portable (b64.kernel from env DEVKIT_B64_KERNEL)",
        ));
}

#[test]
fn dash_reads_stdin() {
    Sandbox::new()
        .devkit()
        .args(["b64", "-"])
        .write_stdin("abcdef\n")
        .assert()
        .success()
        .stdout("YWJjZGVmCg==\n");
}

// ---------------------------------------------------------------------------------------------
// Large regular files: read from wherever the descriptor's offset stands, to the file's end as
// it is when reached (a reader that took the size up front, or started again from offset 0,
// would differ from GNU here).

#[test]
fn a_large_file_on_stdin_is_read_from_its_offset_to_its_end() {
    // The test reads the first 1000 bytes through the open file that becomes devkit's stdin
    // (one file description, one offset): devkit must go on from there and leave the offset at
    // the end, as GNU does.
    let sandbox = Sandbox::new();
    let data = noise((4 << 20) + 5000, 9);
    let file = sandbox.write("big.bin", &data);
    let rest = sandbox.write("rest.bin", &data[1000..]);
    let mut stdin = std::fs::File::open(&file).unwrap();
    stdin.read_exact(&mut [0u8; 1000]).unwrap();
    let out = to_std(sandbox.devkit().args(["b64", "-w", "0"]))
        .stdin(stdin.try_clone().unwrap())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert!(
        out.stdout == gnu_encoding(&rest, "0"),
        "differs from base64 of bytes 1000.."
    );
    assert_eq!(stdin.stream_position().unwrap(), data.len() as u64);
}

#[test]
fn a_file_that_grows_while_read_is_read_to_its_new_end() {
    // With its stdout on a pipe, devkit is held back once the pipe is full: after the first MiB
    // of output it is still early in the 8 MiB file when 5000 bytes are appended to it.
    let sandbox = Sandbox::new();
    let mut data = noise(8 << 20, 6);
    let file = sandbox.write("big.bin", &data);
    let mut cmd = sandbox.devkit();
    cmd.args(["b64", "-w", "0"]).arg(&file);
    let (child, mut stdout) = spawn_piped(&cmd);
    let mut got = vec![0u8; 1 << 20];
    stdout.read_exact(&mut got).unwrap();
    let tail = noise(5000, 7);
    std::fs::OpenOptions::new()
        .append(true)
        .open(&file)
        .unwrap()
        .write_all(&tail)
        .unwrap();
    stdout.read_to_end(&mut got).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    data.extend_from_slice(&tail);
    let whole = sandbox.write("whole.bin", &data);
    assert!(
        got == gnu_encoding(&whole, "0"),
        "the grown part is missing"
    );
}

// ---------------------------------------------------------------------------------------------
// Properties of the codec.

// Each property holds on every kernel this CPU has, and every kernel gives what the portable
// one gives. (The kernels a CPU lacks are named by the binary-level tests above.)

fn encode_blocks(
    data: &[u8],
    wrap: usize,
    block: usize,
    alphabet: Alphabet,
    kernel: Kernel,
) -> Vec<u8> {
    let mut encoder = Encoder::with_kernel(alphabet, wrap, kernel);
    let mut out = Vec::new();
    for chunk in data.chunks(block) {
        out.extend_from_slice(encoder.encode(chunk));
    }
    out.extend_from_slice(encoder.finish());
    out
}

fn decode_blocks(
    text: &[u8],
    block: usize,
    alphabet: Alphabet,
    kernel: Kernel,
) -> Result<Vec<u8>, String> {
    let mut decoder = Decoder::with_kernel(alphabet, false, kernel);
    let mut out = Vec::new();
    for chunk in text.chunks(block) {
        let decoded = decoder.decode(chunk);
        out.extend_from_slice(decoded.bytes);
        decoded.result.map_err(|e| e.to_string())?;
    }
    let decoded = decoder.finish();
    out.extend_from_slice(decoded.bytes);
    decoded.result.map_err(|e| e.to_string())?;
    Ok(out)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn decode_inverts_encode_with_newlines_anywhere(
        data in proptest::collection::vec(any::<u8>(), 0..2000),
        wrap in prop_oneof![Just(0usize), Just(76), 1usize..100],
        newlines in proptest::collection::vec((any::<prop::sample::Index>(), 1usize..4), 0..20),
        blocks in (1usize..300, 1usize..300),
        url in any::<bool>(),
    ) {
        let alphabet = if url { Alphabet::UrlSafe } else { Alphabet::Standard };
        let mut text = encode_blocks(&data, wrap, blocks.0, alphabet, Kernel::portable());
        for kernel in Kernel::available() {
            prop_assert_eq!(
                &encode_blocks(&data, wrap, blocks.0, alphabet, kernel), &text, "{:?}", kernel
            );
        }
        for (at, count) in newlines {
            let at = at.index(text.len() + 1);
            for _ in 0..count {
                text.insert(at, b'\n');
            }
        }
        for kernel in Kernel::available() {
            prop_assert_eq!(
                decode_blocks(&text, blocks.1, alphabet, kernel), Ok(data.clone()), "{:?}", kernel
            );
        }
    }

    #[test]
    fn encoding_does_not_depend_on_block_size_or_kernel(
        data in proptest::collection::vec(any::<u8>(), 0..3000),
        wrap in 0usize..90,
        block in 1usize..500,
    ) {
        let whole = encode_blocks(
            &data, wrap, data.len().max(1), Alphabet::Standard, Kernel::portable()
        );
        for kernel in Kernel::available() {
            prop_assert_eq!(
                &encode_blocks(&data, wrap, block, Alphabet::Standard, kernel), &whole,
                "{:?}", kernel
            );
        }
    }

    #[test]
    fn decoding_any_bytes_does_not_depend_on_block_size_or_kernel(
        text in proptest::collection::vec(
            prop_oneof![
                Just(b'Q'), Just(b'A'), Just(b'='), Just(b'\n'), Just(b'z'), Just(b'!'), any::<u8>()
            ],
            0..300,
        ),
        block in 1usize..64,
    ) {
        let whole = decode_partial(&text, text.len().max(1), Kernel::portable());
        for kernel in Kernel::available() {
            prop_assert_eq!(&decode_partial(&text, block, kernel), &whole, "{:?}", kernel);
        }
    }

    /// Long wrapped text (the kernels' line paths) with a few bytes replaced: every kernel
    /// writes the same bytes and stops at the same place as the portable one.
    #[test]
    fn damaged_wrapped_text_fails_alike_on_every_kernel(
        data in proptest::collection::vec(any::<u8>(), 0..4000),
        wrap in prop_oneof![Just(0usize), Just(76), Just(64), Just(32), (8usize..40).prop_map(|n| n * 4)],
        damage in proptest::collection::vec(
            (any::<prop::sample::Index>(), prop_oneof![
                Just(b'='), Just(b'\n'), Just(b'\r'), Just(b'*'), Just(b'-'), any::<u8>()
            ]),
            0..3,
        ),
        block in prop_oneof![Just(126usize * 1024), 1usize..5000],
    ) {
        let mut text = encode_blocks(&data, wrap, data.len().max(1), Alphabet::Standard, Kernel::portable());
        for (at, byte) in damage {
            if !text.is_empty() {
                let at = at.index(text.len());
                text[at] = byte;
            }
        }
        let want = decode_partial(&text, block, Kernel::portable());
        for kernel in Kernel::available() {
            prop_assert_eq!(&decode_partial(&text, block, kernel), &want, "{:?}", kernel);
        }
    }
}

/// What a decode writes and the error it ends with, if any.
fn decode_partial(text: &[u8], block: usize, kernel: Kernel) -> (Vec<u8>, Option<String>) {
    let mut decoder = Decoder::with_kernel(Alphabet::Standard, false, kernel);
    let mut out = Vec::new();
    for chunk in text.chunks(block) {
        let decoded = decoder.decode(chunk);
        out.extend_from_slice(decoded.bytes);
        if let Err(e) = decoded.result {
            return (out, Some(e.to_string()));
        }
    }
    let decoded = decoder.finish();
    out.extend_from_slice(decoded.bytes);
    (out, decoded.result.err().map(|e| e.to_string()))
}
