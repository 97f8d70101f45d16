#!/usr/bin/env bash
# Rebuilds the self-hosted Arabic web fonts from Debian's fonts-noto-core (SIL OFL 1.1).
# Keeps Arabic, basic Latin and common punctuation with every layout feature (Arabic shaping
# needs them); presentation-form blocks are left out because shaping does not need them.
set -euo pipefail
src=/usr/share/fonts/truetype/noto
out="$(dirname "$0")/../murasil/static/murasil/fonts"
py="$(dirname "$0")/../.venv/bin/pyftsubset"
unicodes="U+0020-007E,U+00A0,U+00AB,U+00BB,U+00D7,U+0600-06FF,U+0750-077F,U+200C-200F,U+2013-2014,U+2018-201D,U+2026,U+2066-2069,U+25B2"
for f in NotoNaskhArabic-Regular NotoKufiArabic-Bold; do
  "$py" "$src/$f.ttf" --unicodes="$unicodes" --layout-features='*' --flavor=woff2 \
    --output-file="$out/$f.woff2"
done
ls -l "$out"
