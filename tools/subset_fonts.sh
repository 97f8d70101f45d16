#!/usr/bin/env bash
# Rebuilds the self-hosted Arabic web fonts from Debian's fonts-noto-core (SIL OFL 1.1).
# Keeps the Arabic language's letters, marks, digits and punctuation (U+0600-0670), the few letters
# Arabic writing borrows for foreign names and dialect (پ چ ژ ڤ ک گ ی and ۔), basic Latin and common
# punctuation, with every layout feature (Arabic shaping needs them). Left out: presentation forms
# (shaping does not need them), the Persian/Urdu/Sindhi letters of U+0671-06FF and the Arabic
# Supplement block (other languages' letters): 88 KB for the two files became 47 KB. A character
# left out still shows, in the fallback system font.
set -euo pipefail
src=/usr/share/fonts/truetype/noto
out="$(dirname "$0")/../murasil/static/murasil/fonts"
py="$(dirname "$0")/../.venv/bin/pyftsubset"
arabic="U+0600-0670,U+067E,U+0686,U+0698,U+06A4,U+06A9,U+06AF,U+06CC,U+06D4"
unicodes="U+0020-007E,U+00A0,U+00AB,U+00BB,U+00D7,$arabic,U+200C-200F,U+2013-2014,U+2018-201D,U+2026,U+2066-2069,U+25B2"
for f in NotoNaskhArabic-Regular NotoKufiArabic-Bold; do
  "$py" "$src/$f.ttf" --unicodes="$unicodes" --layout-features='*' --flavor=woff2 \
    --output-file="$out/$f.woff2"
done
ls -l "$out"
