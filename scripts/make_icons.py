"""Draw the PWA icons (a white "T" and an orange stop on blue) as PNGs, stdlib only.

Usage: python scripts/make_icons.py   (writes app/pwa/icons/*.png; the PNGs are committed)
Then `optipng -o7 -strip all app/pwa/icons/*.png` (apt-get install optipng): lossless, and 40%
smaller (palette, row filters) where every first visit downloads three of them.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

ICONS = Path(__file__).resolve().parent.parent / "app" / "pwa" / "icons"
BLUE = (11, 92, 173)
WHITE = (255, 255, 255)
ORANGE = (245, 158, 11)
SUPERSAMPLE = 4


def png(width: int, height: int, rows: list[bytes]) -> bytes:
    """Encode RGBA rows as a PNG file."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    raw = b"".join(b"\x00" + row for row in rows)  # filter type 0 on every row
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


def in_rounded_square(x: float, y: float, radius: float) -> bool:
    """Whether (x, y) in unit coordinates lies in the unit square with rounded corners."""
    cx = min(max(x, radius), 1 - radius)
    cy = min(max(y, radius), 1 - radius)
    return (x - cx) ** 2 + (y - cy) ** 2 <= radius**2


def colour_at(x: float, y: float, maskable: bool) -> tuple[int, int, int] | None:
    """The colour of the design at (x, y) in unit coordinates, None where transparent."""
    if not maskable and not in_rounded_square(x, y, 0.22):
        return None
    # Maskable icons keep the glyph inside the central safe zone (a circle of radius 0.4).
    scale = 0.72 if maskable else 1.0
    gx, gy = (x - 0.5) / scale + 0.5, (y - 0.5) / scale + 0.5
    if (gx - 0.70) ** 2 + (gy - 0.72) ** 2 <= 0.085**2:
        return ORANGE
    bar = 0.24 <= gx <= 0.76 and 0.24 <= gy <= 0.36
    stem = 0.44 <= gx <= 0.56 and 0.24 <= gy <= 0.78
    return WHITE if bar or stem else BLUE


def render(size: int, maskable: bool) -> bytes:
    """Rasterise the design at `size` pixels with supersampled anti-aliasing."""
    rows = []
    n = SUPERSAMPLE
    for py in range(size):
        row = bytearray()
        for px in range(size):
            acc = [0, 0, 0]
            hits = 0
            for sy in range(n):
                for sx in range(n):
                    c = colour_at((px + (sx + 0.5) / n) / size, (py + (sy + 0.5) / n) / size,
                                  maskable)
                    if c is not None:
                        hits += 1
                        acc = [a + b for a, b in zip(acc, c, strict=True)]
            if hits:
                row += bytes([round(a / hits) for a in acc]) + bytes([round(255 * hits / n**2)])
            else:
                row += b"\x00\x00\x00\x00"
        rows.append(bytes(row))
    return png(size, size, rows)


def main() -> None:
    """Write every icon the manifest and index.html reference."""
    ICONS.mkdir(parents=True, exist_ok=True)
    targets = {
        "icon-192.png": (192, False),
        "icon-512.png": (512, False),
        "icon-maskable-512.png": (512, True),
        "apple-touch-icon.png": (180, True),  # iOS rounds the corners itself
        "favicon-32.png": (32, False),
    }
    for name, (size, maskable) in targets.items():
        (ICONS / name).write_bytes(render(size, maskable))
        print(f"wrote {ICONS / name}")


if __name__ == "__main__":
    main()
