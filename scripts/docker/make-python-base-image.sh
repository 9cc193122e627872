#!/usr/bin/env bash
# Makes a tiny Python base image without a registry: the host's Debian python3 (interpreter, standard library and
# the libraries they link against) and busybox, imported with `docker import`; no debugpy, no pip packages.
# Usage: make-python-base-image.sh <name:tag>. Does nothing when the image already exists.
set -euo pipefail
IMAGE=${1:?usage: make-python-base-image.sh <name:tag>}
if docker image inspect "$IMAGE" >/dev/null 2>&1; then exit 0; fi

python_bin=$(readlink -f /usr/bin/python3)
stdlib=$("$python_bin" -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])')
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/usr/bin" "$root/bin" "$root/tmp" "$root/etc" "$root/usr/src/app" "$root$(dirname "$stdlib")"
chmod 1777 "$root/tmp"
cp "$python_bin" "$root/usr/bin/"
ln -s "$(basename "$python_bin")" "$root/usr/bin/python3"
tar -C "$(dirname "$stdlib")" --exclude=test --exclude=__pycache__ --exclude=idlelib --exclude=tkinter --exclude=ensurepip \
  -c "$(basename "$stdlib")" | tar -C "$root$(dirname "$stdlib")" -x
# every shared library the interpreter and its extension modules link against, at the same path as on the host
for lib in $( (ldd "$python_bin"; find "$stdlib/lib-dynload" -name '*.so' -exec ldd {} \;) 2>/dev/null | grep -o '/[^ ]*' | sort -u); do
  [[ -e "$root$lib" ]] && continue
  mkdir -p "$root$(dirname "$lib")"
  cp -L "$lib" "$root$lib"
done
# glibc loads libgcc_s when a thread exits (debugpy's threads do); nothing links it, so it is copied by name.
libgcc=$(ldconfig -p | grep -o '/[^ ]*libgcc_s.so.1' | head -1)
mkdir -p "$root$(dirname "$libgcc")" && cp -L "$libgcc" "$root$libgcc"
cp "$(command -v busybox)" "$root/bin/busybox"
for applet in sh ls cat env sleep echo; do ln -s busybox "$root/bin/$applet"; done
echo 'root:x:0:0:root:/root:/bin/sh' >"$root/etc/passwd"
echo 'root:x:0:' >"$root/etc/group"
tar -C "$root" -c . | docker import \
  -c 'ENV PATH=/usr/local/bin:/usr/bin:/bin' -c 'WORKDIR /usr/src/app' -c 'CMD ["python3"]' - "$IMAGE" >/dev/null
