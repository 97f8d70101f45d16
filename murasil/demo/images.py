"""Generated demo photos: abstract Pillow drawings, so the demo ships no third-party pictures."""

import io
import random

from PIL import Image, ImageDraw, ImageFilter

PALETTES = [
    ((24, 52, 84), (214, 137, 63)),
    ((36, 82, 62), (226, 205, 120)),
    ((92, 30, 44), (240, 178, 122)),
    ((30, 40, 70), (120, 180, 220)),
    ((70, 60, 50), (220, 190, 150)),
    ((20, 70, 90), (250, 220, 160)),
]


def _gradient(size: tuple[int, int], top: tuple[int, int, int], bottom: tuple[int, int, int]) -> Image.Image:
    width, height = size
    column = Image.new("RGB", (1, height))
    for y in range(height):
        t = y / max(1, height - 1)
        column.putpixel((0, y), tuple(int(a + (b - a) * t) for a, b in zip(top, bottom, strict=True)))
    return column.resize(size)


def news_photo(seed: int, size: tuple[int, int] = (1200, 675)) -> bytes:
    """A dusk skyline: sky gradient, sun, layered buildings with lit windows. JPEG bytes."""
    rng = random.Random(seed)
    dark, light = PALETTES[seed % len(PALETTES)]
    width, height = 1200, 675  # drawn at one size, scaled to the one asked for
    image = _gradient((width, height), light, dark)
    draw = ImageDraw.Draw(image)
    sun_x, sun_y, radius = rng.randint(150, width - 150), rng.randint(120, height // 2), rng.randint(40, 90)
    draw.ellipse((sun_x - radius, sun_y - radius, sun_x + radius, sun_y + radius), fill=(255, 236, 190))
    image = image.filter(ImageFilter.GaussianBlur(2))
    draw = ImageDraw.Draw(image)
    for layer in range(3):
        shade = tuple(max(0, c - 40 * (layer + 1)) for c in dark)
        x = -rng.randint(0, 60)
        base = height - 60 * (2 - layer)
        while x < width:
            w = rng.randint(50, 140)
            h = rng.randint(80, 300) + 60 * (2 - layer)
            draw.rectangle((x, base - h, x + w, height), fill=shade)
            if layer == 2:
                for wy in range(base - h + 12, height - 20, 24):
                    for wx in range(x + 8, x + w - 12, 18):
                        if rng.random() < 0.35:
                            draw.rectangle((wx, wy, wx + 7, wy + 10), fill=(255, 214, 130))
            if rng.random() < 0.15:  # a dome or a minaret now and then
                cx = x + w // 2
                draw.ellipse((cx - w // 3, base - h - w // 3, cx + w // 3, base - h + w // 3), fill=shade)
            x += w + rng.randint(0, 12)
    if size != (width, height):
        image = image.resize(size, Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=82, optimize=True, progressive=True)
    return buffer.getvalue()


def portrait(seed: int, size: int = 400) -> bytes:
    """A simple head-and-shoulders silhouette on a coloured background. JPEG bytes."""
    dark, light = PALETTES[seed % len(PALETTES)]
    image = _gradient((size, size), light, dark)
    draw = ImageDraw.Draw(image)
    person = (245, 240, 232)
    draw.ellipse((size * 0.32, size * 0.18, size * 0.68, size * 0.56), fill=person)
    draw.ellipse((size * 0.14, size * 0.6, size * 0.86, size * 1.25), fill=person)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()
