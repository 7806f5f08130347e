#!/usr/bin/env bash
# Renders a Lawfit HTML report to PNG with headless Chromium and fails if the page is blank.
#
#   scripts/render-report.sh out/report.html [out/report.png]
#
# Installs Debian's chromium if it is missing (needs root). Exit 0 when the PNG has more than one
# colour and at least 1 % non-white pixels; 1 otherwise.
set -euo pipefail

html="${1:?usage: scripts/render-report.sh REPORT.html [OUT.png]}"
png="${2:-${html%.html}.png}"
[ -f "$html" ] || { echo "render-report: no such file: $html" >&2; exit 2; }

browser="$(command -v chromium || command -v chromium-browser || true)"
if [ -z "$browser" ]; then
    echo "render-report: installing chromium" >&2
    apt-get update -qq && apt-get install -y -qq chromium >/dev/null
    browser="$(command -v chromium)"
fi

profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT
abs_html="$(cd "$(dirname "$html")" && pwd)/$(basename "$html")"
abs_png="$(cd "$(dirname "$png")" 2>/dev/null && pwd || { mkdir -p "$(dirname "$png")" && cd "$(dirname "$png")" && pwd; })/$(basename "$png")"
"$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --user-data-dir="$profile" \
    --window-size=1280,6000 --screenshot="$abs_png" "file://$abs_html" >/dev/null 2>&1

[ -s "$abs_png" ] || { echo "render-report: chromium wrote no PNG" >&2; exit 1; }

python3 - "$abs_png" <<'PY'
import struct, sys, zlib

path = sys.argv[1]
data = open(path, "rb").read()
if data[:8] != b"\x89PNG\r\n\x1a\n":
    sys.exit("render-report: not a PNG")
pos, idat, width, height, ctype = 8, b"", 0, 0, 0
while pos < len(data):
    length, kind = struct.unpack(">I4s", data[pos:pos + 8])
    body = data[pos + 8:pos + 8 + length]
    if kind == b"IHDR":
        width, height, depth, ctype = struct.unpack(">IIBB", body[:10])
        if depth != 8 or ctype not in (2, 6):
            sys.exit(f"render-report: unexpected PNG format (depth {depth}, colour type {ctype})")
    elif kind == b"IDAT":
        idat += body
    pos += 12 + length
channels = 4 if ctype == 6 else 3
raw = zlib.decompress(idat)
stride = width * channels
prev = bytearray(stride)
colours, non_white = set(), 0
i = 0
for _ in range(height):
    f = raw[i]; i += 1
    line = bytearray(raw[i:i + stride]); i += stride
    for x in range(stride):
        a = line[x - channels] if x >= channels else 0
        b = prev[x]
        c = prev[x - channels] if x >= channels else 0
        if f == 1: line[x] = (line[x] + a) & 255
        elif f == 2: line[x] = (line[x] + b) & 255
        elif f == 3: line[x] = (line[x] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c; pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    for x in range(0, stride, channels):
        px = bytes(line[x:x + 3])
        colours.add(px)
        if px != b"\xff\xff\xff":
            non_white += 1
    prev = line
share = non_white / (width * height)
print(f"render-report: {path}: {width}x{height}, {len(colours)} colours, {share:.1%} non-white")
if len(colours) < 2 or share < 0.01:
    sys.exit("render-report: the page is blank")
PY
