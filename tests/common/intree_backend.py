# A PEP 517 backend that lives in a test project itself (`backend-path`), so building the
# project (editable or not) needs no index. @NAME@, @VERSION@ and @REQUIRES@ are replaced with
# Python literals. The editable wheel holds a `.pth` naming `src/`, so an edited source file is
# seen without reinstalling. `INTREE_FAIL` makes it fail, the way a broken build does. It needs
# make_wheel.py beside it in `backend-path`. Used by the pyenv tests (tests/common/python.rs)
# and scripts/bench.d/40-pyenv.sh.
import os

from make_wheel import write_wheel

NAME, VERSION, REQUIRES = @NAME@, @VERSION@, @REQUIRES@


def _wheel(directory, files):
    return write_wheel(directory, NAME, VERSION, REQUIRES, files)


def _check():
    if os.environ.get("INTREE_FAIL"):
        print("intree: compiling the extension")
        raise SystemExit("intree: refusing to build (INTREE_FAIL is set)")

def get_requires_for_build_wheel(config_settings=None):
    return []

get_requires_for_build_editable = get_requires_for_build_sdist = get_requires_for_build_wheel

def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    _check()
    files = []
    for root, _, names in os.walk(os.path.join("src", NAME)):
        for n in names:
            if n.endswith(".py"):
                p = os.path.join(root, n)
                files.append((os.path.relpath(p, "src"), open(p).read()))
    return _wheel(wheel_directory, files)

def build_editable(wheel_directory, config_settings=None, metadata_directory=None):
    _check()
    return _wheel(wheel_directory, [("_%s_editable.pth" % NAME, os.path.abspath("src") + "\n")])

def build_sdist(sdist_directory, config_settings=None):
    raise NotImplementedError("no sdists")
