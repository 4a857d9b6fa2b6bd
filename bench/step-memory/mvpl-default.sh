#!/usr/bin/env bash
# The issue's reproduction at full size: 60 two-second clips, 2 labels per class, MvPL at the default
# 8×64×64 on wasm. Before micro-batches its 360-row step (~10 GiB of tensors) overran wasm's 4 GiB heap
# ("memory access out of bounds"); now the run's backend line says how its steps are split.
# Usage: npm run build:main && bash bench/step-memory/mvpl-default.sh [extra vssl train flags]
set -euo pipefail
here="$(cd "$(dirname "$0")/../.." && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/footage"
for i in $(seq 0 29); do
  for pattern in testsrc2 mandelbrot; do
    ffmpeg -hide_banner -loglevel error -y -f lavfi -i "$pattern=size=160x120:rate=25" -t 2 -metadata "title=$pattern$i" \
      -c:v libx264 -preset ultrafast -pix_fmt yuv420p "$tmp/footage/$pattern-$i.mp4"
  done
done
printf 'path,start,end,label\ntestsrc2-0.mp4,0,2,card\ntestsrc2-1.mp4,0,2,card\nmandelbrot-0.mp4,0,2,fractal\nmandelbrot-1.mp4,0,2,fractal\n' >"$tmp/footage/labels.csv"
vssl() { node "$here/bin/vssl.js" "$@"; }
vssl init "$tmp/project" >/dev/null
vssl import "$tmp/project" "$tmp/footage" >/dev/null
vssl labels import "$tmp/project" "$tmp/footage/labels.csv" --format csv >/dev/null
time VSSL_TF_BACKEND="${VSSL_TF_BACKEND:-wasm}" vssl train "$tmp/project" --method mvpl --epochs 1 "$@"
