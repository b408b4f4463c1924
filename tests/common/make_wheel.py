# A wheel built with the standard library's zipfile: `make_wheel.py OUT DIST VERSION [REQUIRES…]`
# writes OUT/DIST-VERSION-py3-none-any.whl with `DIST/__init__.py`, `METADATA` (with
# `Requires-Dist` lines), `WHEEL` and a `RECORD` with real hashes. Used by the pyenv tests
# (tests/common/python.rs) and scripts/bench.d/40-pyenv.sh.
import base64, hashlib, sys, zipfile
out, dist, version = sys.argv[1:4]
requires = sys.argv[4:]
info = "%s-%s.dist-info" % (dist, version)
files = [
    ("%s/__init__.py" % dist, "VERSION = %r\n" % version),
    (info + "/METADATA", "Metadata-Version: 2.1\nName: %s\nVersion: %s\n%s" % (
        dist, version, "".join("Requires-Dist: %s\n" % r for r in requires))),
    (info + "/WHEEL", "Wheel-Version: 1.0\nGenerator: devkit-tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n"),
]
record = []
with zipfile.ZipFile("%s/%s-%s-py3-none-any.whl" % (out, dist, version), "w") as z:
    for name, text in files:
        data = text.encode()
        z.writestr(name, data)
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        record.append("%s,sha256=%s,%d" % (name, digest, len(data)))
    record.append(info + "/RECORD,,")
    z.writestr(info + "/RECORD", "\n".join(record) + "\n")
