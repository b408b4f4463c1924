//! Putting pip into a venv fast. `python -m venv` spends seconds running pip to install pip;
//! instead devkit unpacks the interpreter's own bundled pip wheel (`ensurepip/_bundled`) once
//! per interpreter into its cache, byte-compiled, and hard-links that tree into each venv's
//! site-packages, adding the `pip` scripts and a RECORD that lists them (so pip can later
//! upgrade or uninstall itself as usual).

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result};

use super::tool::{Tool, python_command};
use crate::python::interpreter::Interpreter;

/// Unpack the wheel, compile it (unchecked-hash pycs stay valid when hard-linked or copied
/// anywhere), then move it into place in one rename, so a cache entry is whole or absent.
const UNPACK: &str = r#"
import compileall, os, py_compile, shutil, sys, zipfile
wheel, tmp, dest = sys.argv[1:4]
zipfile.ZipFile(wheel).extractall(tmp)
compileall.compile_dir(tmp, quiet=2, workers=0,
    invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH)
try:
    os.rename(tmp, dest)
except OSError:
    shutil.rmtree(tmp, ignore_errors=True)
    if not os.path.isdir(dest):
        raise
"#;

/// The bundled pip wheel of `interp`, if it ships one: in `ensurepip/_bundled`, or for a
/// Debian or Ubuntu system Python (whose ensurepip is patched to look there) in
/// `/usr/share/python-wheels`.
pub fn bundled_pip(interp: &Interpreter) -> Option<PathBuf> {
    let mut dirs = vec![interp.stdlib.join("ensurepip").join("_bundled")];
    if interp.executable.starts_with("/usr/bin") {
        dirs.push(PathBuf::from("/usr/share/python-wheels"));
    }
    dirs.iter().find_map(|dir| {
        let mut wheels: Vec<PathBuf> = std::fs::read_dir(dir)
            .ok()?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with("pip-") && n.ends_with(".whl"))
            })
            .collect();
        wheels.sort();
        wheels.pop()
    })
}

/// Seed pip into the venv at `venv`. `Ok(false)`: the interpreter bundles no pip wheel.
pub fn seed_pip(interp: &Interpreter, venv: &Path, cache: &Path, tool: &Tool) -> Result<bool> {
    let Some(wheel) = bundled_pip(interp) else {
        return Ok(false);
    };
    let stem = wheel
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("pip")
        .to_string();
    let entry = cache.join("pip-seed").join(&interp.cache_tag).join(&stem);
    if !entry.is_dir() {
        let parent = entry.parent().expect("entry has a parent");
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create the cache directory {}", parent.display()))?;
        let tmp = parent.join(format!(".{stem}.{}.tmp", std::process::id()));
        let mut cmd: Command = python_command(&interp.executable);
        cmd.args(["-E", "-s", "-c", UNPACK])
            .arg(&wheel)
            .arg(&tmp)
            .arg(&entry);
        tool.run(cmd, "unpacking the bundled pip")?;
    }
    let site = venv.join(&interp.purelib);
    link_tree(&entry, &site)?;
    let dist_info = find_dist_info(&site, &stem)?;
    write_scripts(interp, venv, &dist_info, &entry)?;
    Ok(true)
}

/// Mirror `from` into `to`: directories created, files hard-linked (copied across devices).
/// RECORD and INSTALLER are left out; `write_scripts` writes the venv's own.
fn link_tree(from: &Path, to: &Path) -> Result<()> {
    std::fs::create_dir_all(to).with_context(|| format!("cannot create {}", to.display()))?;
    for entry in
        std::fs::read_dir(from).with_context(|| format!("cannot read {}", from.display()))?
    {
        let entry = entry?;
        let (src, dst) = (entry.path(), to.join(entry.file_name()));
        if entry.file_type()?.is_dir() {
            link_tree(&src, &dst)?;
        } else {
            let name = entry.file_name();
            let in_dist_info = from.extension().is_some_and(|e| e == "dist-info");
            if in_dist_info && (name == "RECORD" || name == "INSTALLER") {
                continue;
            }
            if std::fs::hard_link(&src, &dst).is_err() {
                std::fs::copy(&src, &dst).with_context(|| {
                    format!("cannot copy {} to {}", src.display(), dst.display())
                })?;
            }
        }
    }
    Ok(())
}

fn find_dist_info(site: &Path, stem: &str) -> Result<PathBuf> {
    // `pip-23.2.1-py3-none-any` → `pip-23.2.1.dist-info`
    let version = stem.split('-').nth(1).unwrap_or("");
    let path = site.join(format!("pip-{version}.dist-info"));
    if path.is_dir() {
        Ok(path)
    } else {
        anyhow::bail!("the bundled pip wheel has no {}", path.display())
    }
}

/// `bin/pip`, `bin/pip3`, `bin/pip3.X`, as pip's own installer writes them; then RECORD
/// (the wheel's, plus the scripts) and INSTALLER.
fn write_scripts(interp: &Interpreter, venv: &Path, dist_info: &Path, entry: &Path) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let python = venv.join("bin").join("python");
    let script = format!(
        "{}# -*- coding: utf-8 -*-\nimport re\nimport sys\nfrom pip._internal.cli.main import main\n\
         if __name__ == \"__main__\":\n    sys.argv[0] = re.sub(r\"(-script\\.pyw|\\.exe)?$\", \"\", sys.argv[0])\n    \
         sys.exit(main())\n",
        shebang(&python)
    );
    let up = "../".repeat(interp.purelib.components().count());
    let mut record = std::fs::read_to_string(
        entry
            .join(dist_info.file_name().expect("named"))
            .join("RECORD"),
    )
    .unwrap_or_default();
    if !record.is_empty() && !record.ends_with('\n') {
        record.push('\n');
    }
    let v = interp.version;
    for name in [
        "pip".to_string(),
        format!("pip{}", v.major),
        format!("pip{}.{}", v.major, v.minor),
    ] {
        let path = venv.join("bin").join(&name);
        std::fs::write(&path, &script)
            .with_context(|| format!("cannot write {}", path.display()))?;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755))?;
        record.push_str(&format!("{up}bin/{name},,\n"));
    }
    let dist_name = dist_info
        .file_name()
        .expect("named")
        .to_string_lossy()
        .into_owned();
    record.push_str(&format!("{dist_name}/INSTALLER,,\n"));
    std::fs::write(dist_info.join("INSTALLER"), "devkit\n")?;
    std::fs::write(dist_info.join("RECORD"), record)
        .with_context(|| format!("cannot write {}", dist_info.join("RECORD").display()))?;
    Ok(())
}

/// `#!/path/python`, or pip's `/bin/sh` trampoline when the path has spaces or is too long
/// for the kernel's shebang limit.
fn shebang(python: &Path) -> String {
    let text = python.display().to_string();
    if text.contains(' ') || text.len() > 127 {
        format!("#!/bin/sh\n'''exec' \"{text}\" \"$0\" \"$@\"\n' '''\n")
    } else {
        format!("#!{text}\n")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_or_spaced_paths_get_the_sh_trampoline() {
        assert_eq!(shebang(Path::new("/v/bin/python")), "#!/v/bin/python\n");
        assert!(shebang(Path::new("/my venv/bin/python")).starts_with("#!/bin/sh\n"));
    }
}
