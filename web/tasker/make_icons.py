#!/usr/bin/python3
"""Draws the Tasker app's icons into src/icons/ (plain PNG with zlib and struct, no
imaging library): a white box with its corner handles and an orange label tag, the
mark a tasker draws, on the app's navy.

  icon-192.png, icon-512.png   rounded square ("any": home screens, the browser)
  icon-maskable-512.png        full square, the mark inside the safe circle
                               (the phone cuts its own shape)

Run it again only to change the design; the PNGs are kept in the repository.
"""
import os
import struct
import zlib

NAVY = (0x12, 0x26, 0x3f)
WHITE = (0xff, 0xff, 0xff)
ORANGE = (0xff, 0x9f, 0x0a)

# The mark, in fractions of the icon's side: the box's outline, the handles on its
# corners and the tag above it.
BOX = (0.2325, 0.3325, 0.7675, 0.7875)
STROKE = 0.05
HANDLE = 0.12
TAG = (0.2325, 0.2, 0.54, 0.3325)


def overlap(a0, a1, b0, b1):
    return max(0.0, min(a1, b1) - max(a0, b0))


def rect_cover(px, py, rect):
    """How much of the unit pixel at (px, py) the rectangle (x0, y0, x1, y1) covers."""
    x0, y0, x1, y1 = rect
    return overlap(px, px + 1, x0, x1) * overlap(py, py + 1, y0, y1)


def rounded_cover(px, py, size, radius):
    """Coverage of a size x size square with rounded corners (exact away from the corners,
    sampled 4 x 4 near them)."""
    inside_x = radius <= px and px + 1 <= size - radius
    inside_y = radius <= py and py + 1 <= size - radius
    if inside_x or inside_y:
        return rect_cover(px, py, (0, 0, size, size))
    hits = 0
    for i in range(4):
        for j in range(4):
            x, y = px + (i + 0.5) / 4, py + (j + 0.5) / 4
            cx = min(max(x, radius), size - radius)
            cy = min(max(y, radius), size - radius)
            hits += (x - cx) ** 2 + (y - cy) ** 2 <= radius * radius
    return hits / 16


def scaled(rect, size, scale):
    """A rectangle in fractions, scaled about the centre, in pixels."""
    return tuple((0.5 + (v - 0.5) * scale) * size for v in rect)


def draw(size, maskable):
    scale = 0.75 if maskable else 1.0
    box = scaled(BOX, size, scale)
    inner = scaled((BOX[0] + STROKE, BOX[1] + STROKE, BOX[2] - STROKE, BOX[3] - STROKE), size, scale)
    tag = scaled(TAG, size, scale)
    mid = STROKE / 2
    corners = [(BOX[2] - mid, BOX[1] + mid), (BOX[0] + mid, BOX[3] - mid), (BOX[2] - mid, BOX[3] - mid)]
    handles = [scaled((x - HANDLE / 2, y - HANDLE / 2, x + HANDLE / 2, y + HANDLE / 2), size, scale)
               for x, y in corners]  # the top left corner carries the tag
    radius = 0.2 * size
    rows = []
    for py in range(size):
        row = bytearray(b'\x00')  # filter: none
        for px in range(size):
            alpha = 1.0 if maskable else rounded_cover(px, py, size, radius)
            white = rect_cover(px, py, box) - rect_cover(px, py, inner)
            white = min(1.0, white + sum(rect_cover(px, py, h) for h in handles))  # they overlap the outline
            orange = rect_cover(px, py, tag)
            white = max(0.0, white - orange)  # the tag sits over the outline's top edge
            navy = max(0.0, 1.0 - white - orange)
            rgb = [round(navy * n + white * w + orange * o) for n, w, o in zip(NAVY, WHITE, ORANGE)]
            row += bytes(rgb + [round(alpha * 255)])
        rows.append(bytes(row))
    return png(size, size, b''.join(rows))


def png(width, height, raw):
    def chunk(kind, data):
        return struct.pack('>I', len(data)) + kind + data + struct.pack('>I', zlib.crc32(kind + data) & 0xffffffff)
    return (b'\x89PNG\r\n\x1a\n'
            + chunk(b'IHDR', struct.pack('>IIBBBBB', width, height, 8, 6, 0, 0, 0))  # 8-bit RGBA
            + chunk(b'IDAT', zlib.compress(raw, 9))
            + chunk(b'IEND', b''))


def main():
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'src', 'icons')
    os.makedirs(out, exist_ok=True)
    for name, size, maskable in (('icon-192.png', 192, False), ('icon-512.png', 512, False),
                                 ('icon-maskable-512.png', 512, True)):
        with open(os.path.join(out, name), 'wb') as f:
            f.write(draw(size, maskable))
        print('wrote', os.path.join('src', 'icons', name))


if __name__ == '__main__':
    main()
