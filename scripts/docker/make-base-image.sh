#!/usr/bin/env bash
# Makes a tiny Node base image without a registry: the host's own node binary, the libraries it links
# against and busybox, imported with `docker import`. Usage: make-base-image.sh <name:tag>
# Does nothing when the image already exists.
set -euo pipefail
IMAGE=${1:?usage: make-base-image.sh <name:tag>}
if docker image inspect "$IMAGE" >/dev/null 2>&1; then exit 0; fi

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/usr/bin" "$root/bin" "$root/tmp" "$root/etc" "$root/usr/src/app"
chmod 1777 "$root/tmp"
node_bin=$(readlink -f "$(command -v node)")
cp "$node_bin" "$root/usr/bin/node"
# every shared library node links against, at the same path as on the host
for lib in $(ldd "$node_bin" | grep -o '/[^ ]*'); do
  mkdir -p "$root$(dirname "$lib")"
  cp -L "$lib" "$root$lib"
done
busybox=$(command -v busybox)
cp "$busybox" "$root/bin/busybox"
for applet in sh ls cat env sleep ps echo yes head seq rm mkdir true false kill dd; do
  ln -s busybox "$root/bin/$applet"
done
# busybox has no getconf; Crawlee asks it for CLK_TCK (and prints a warning without it): answer the Linux values.
cat >"$root/usr/bin/getconf" <<'GETCONF'
#!/bin/sh
case "$1" in
  CLK_TCK) echo 100 ;;
  PAGESIZE|PAGE_SIZE) echo 4096 ;;
  *) echo "getconf: $1: not known in this test image" >&2; exit 1 ;;
esac
GETCONF
chmod 755 "$root/usr/bin/getconf"
echo 'root:x:0:0:root:/root:/bin/sh' >"$root/etc/passwd"
echo 'root:x:0:' >"$root/etc/group"
tar -C "$root" -c . | docker import \
  -c 'ENV PATH=/usr/local/bin:/usr/bin:/bin' -c 'WORKDIR /usr/src/app' -c 'CMD ["node"]' - "$IMAGE" >/dev/null
