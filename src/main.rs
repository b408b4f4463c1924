//! devkit's entry point is C's `main`, not std's. std's start-up also sets up its main-thread
//! stack-overflow guard: it reads /proc/self/maps, installs an alternate signal stack and two
//! signal handlers, and takes the stack down at exit. That is 20 system calls on every start,
//! about 0.1 ms of a 3 ms `echo abcdef | devkit b64` in a virtual machine. What devkit does rely
//! on from std's start-up is done here. A stack overflow now ends in a plain SIGSEGV, without
//! std's message.
#![no_main]

use std::ffi::{CStr, OsStr, c_char, c_int};
use std::os::unix::ffi::OsStrExt;

#[unsafe(no_mangle)]
extern "C" fn main(argc: c_int, argv: *const *const c_char) -> c_int {
    standard_descriptors();
    // A write into a closed pipe fails with EPIPE, which devkit ends quietly with 0, instead of
    // killing the process.
    // SAFETY: setting a signal's disposition to `SIG_IGN` runs no code of ours in a handler.
    unsafe { libc::signal(libc::SIGPIPE, libc::SIG_IGN) };
    let args = (0..usize::try_from(argc).unwrap_or(0)).map(|i| {
        // SAFETY: the C runtime passes `argc` pointers to NUL-terminated strings that live as
        // long as the process.
        OsStr::from_bytes(unsafe { CStr::from_ptr(*argv.add(i)) }.to_bytes())
    });
    let status = devkit::run(args);
    // `exit` flushes std's stdout before the process ends.
    std::process::exit(status.code().into())
}

/// Descriptors 0, 1 and 2 are open: one the parent closed gets /dev/null. Otherwise the first
/// file devkit opens would take its number, and data meant for stdout would go into it.
fn standard_descriptors() {
    let mut fds = [0, 1, 2].map(|fd| libc::pollfd {
        fd,
        events: 0,
        revents: 0,
    });
    // SAFETY: `fds` is a live array of three `pollfd`s; a zero timeout never blocks.
    if unsafe { libc::poll(fds.as_mut_ptr(), 3, 0) } < 0 {
        return;
    }
    for pollfd in fds {
        if pollfd.revents & libc::POLLNVAL != 0 {
            // SAFETY: a NUL-terminated path; the lowest free descriptor is the closed one, as
            // the earlier ones are open by now.
            unsafe { libc::open(c"/dev/null".as_ptr(), libc::O_RDWR) };
        }
    }
}
