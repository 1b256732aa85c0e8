#!/usr/bin/python3
# SPDX-License-Identifier: MIT
# png_check.py — a minimal PNG decoder (zlib, the five row filters) for cli_plot and cli_compare: counts the plot's ink and series colours.
import struct, sys, zlib
data = open(sys.argv[1], 'rb').read()
assert data[:8] == b'\x89PNG\r\n\x1a\n', 'not a PNG'
pos, idat = 8, b''
while pos < len(data):
    n, kind = struct.unpack('>I4s', data[pos:pos + 8])
    body = data[pos + 8:pos + 8 + n]
    if kind == b'IHDR':
        w, h, depth, ctype = struct.unpack('>IIBB', body[:10])
    elif kind == b'IDAT':
        idat += body
    pos += 12 + n
assert depth == 8 and ctype in (2, 6), 'unexpected PNG format %d/%d' % (depth, ctype)
bpp = 4 if ctype == 6 else 3
raw, stride, rows, prev = zlib.decompress(idat), w * bpp, [], bytearray(w * bpp)
for y in range(h):
    f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
    for i in range(stride):
        a = line[i - bpp] if i >= bpp else 0
        b, c = prev[i], prev[i - bpp] if i >= bpp else 0
        if f == 1: line[i] = (line[i] + a) & 255
        elif f == 2: line[i] = (line[i] + b) & 255
        elif f == 3: line[i] = (line[i] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    rows.append(line)
    prev = line
def px(x, y):
    r, g, b = rows[y][x * bpp:x * bpp + 3]
    a = rows[y][x * bpp + 3] if bpp == 4 else 255
    return (r, g, b) if a else (255, 255, 255)
ink = sum(1 for y in range(90, 290) for x in range(85, 875) if px(x, y) != (255, 255, 255))
colours = {px(x, y) for y in range(0, h, 2) for x in range(0, w, 2)}
# The series' own colours where they belong: blue (RSS) in the upper panel, green (VSZ) below.
blue = sum(1 for y in range(90, 296) for x in range(85, 875)
           if (lambda r, g, b: b > r + 60 and b > g + 30)(*px(x, y)))
green = sum(1 for y in range(340, 548) for x in range(85, 875)
            if (lambda r, g, b: g > r + 40 and g > b + 40)(*px(x, y)))
# --compare's overlay (#d81b60) anywhere in the panels.
pink = sum(1 for y in range(70, 560) for x in range(85, 875)
           if (lambda r, g, b: r > 150 and g < 90 and b > 60 and b < 150)(*px(x, y)))
print(w, h, ink, len(colours), blue, green, pink)
