# Tiny wheels built with the standard library's zipfile. As a script, `make_wheel.py OUT DIST
# VERSION [REQUIRES…]` writes OUT/DIST-VERSION-py3-none-any.whl holding `DIST/__init__.py`;
# `write_wheel` is what the in-tree backend (intree_backend.py, beside it) builds with. Used by
# the pyenv tests (tests/common/python.rs) and scripts/bench.d/40-pyenv.sh.
import base64, hashlib, os, sys, zipfile


def write_wheel(directory, dist, version, requires, files):
    """`files` ((path, text) pairs) plus METADATA (with `Requires-Dist` lines), WHEEL and a
    RECORD with real hashes, as DIST-VERSION-py3-none-any.whl in `directory`; its name."""
    info = "%s-%s.dist-info" % (dist, version)
    files = files + [
        (info + "/METADATA", "Metadata-Version: 2.1\nName: %s\nVersion: %s\n%s" % (
            dist, version, "".join("Requires-Dist: %s\n" % r for r in requires))),
        (info + "/WHEEL", "Wheel-Version: 1.0\nGenerator: devkit-tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n"),
    ]
    name = "%s-%s-py3-none-any.whl" % (dist, version)
    record = []
    with zipfile.ZipFile(os.path.join(directory, name), "w") as z:
        for path, text in files:
            data = text.encode()
            z.writestr(path, data)
            digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
            record.append("%s,sha256=%s,%d" % (path, digest, len(data)))
        record.append(info + "/RECORD,,")
        z.writestr(info + "/RECORD", "\n".join(record) + "\n")
    return name


if __name__ == "__main__":
    out, dist, version = sys.argv[1:4]
    write_wheel(out, dist, version, sys.argv[4:], [("%s/__init__.py" % dist, "VERSION = %r\n" % version)])
