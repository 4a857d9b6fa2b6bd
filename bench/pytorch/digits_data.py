"""Loads the digit-motion benchmark (bench/digits/generate.mjs) as uint8 arrays [N, T, S, S, 3].

Frames are chosen like the app's clip cache with fps unset: T indices spread evenly over the
clip (the centre of T equal parts), so both sides train on the same pixels. Decoded once with
ffmpeg and cached next to the data as an .npz.
"""
import csv
import os
import shutil
import subprocess

import numpy as np

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def find_ffmpeg():
    """The ffmpeg the app uses (src-main/core/media/media-tools.ts): FFMPEG_PATH, the system's, the bundled one."""
    if os.environ.get("FFMPEG_PATH"):
        return os.environ["FFMPEG_PATH"]
    if shutil.which("ffmpeg"):
        return shutil.which("ffmpeg")
    script = "process.stdout.write(require('@ffmpeg-installer/ffmpeg').path)"
    return subprocess.run(["node", "-e", script], cwd=ROOT, check=True, capture_output=True, text=True).stdout


def frame_indices(frame_count, frames):
    return [min(frame_count - 1, int((k + 0.5) * frame_count / frames)) for k in range(frames)]


def decode(ffmpeg, path, frames, size):
    # Short side to `size`, centre crop: the app's "short-side-resize-centre-crop".
    vf = f"scale='if(lt(iw,ih),{size},-2)':'if(lt(iw,ih),-2,{size})',crop={size}:{size}"
    raw = subprocess.run(
        [ffmpeg, "-v", "error", "-i", path, "-vf", vf, "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1"],
        check=True, capture_output=True,
    ).stdout
    every = np.frombuffer(raw, dtype=np.uint8).reshape(-1, size, size, 3)
    if len(every) < 1:
        raise RuntimeError(f"{path}: no frames decoded")
    return every[frame_indices(len(every), frames)]


def read_truth(data_dir, split):
    with open(os.path.join(data_dir, f"{split}.csv"), newline="") as f:
        rows = list(csv.DictReader(f))
    return [os.path.join(data_dir, r["path"]) for r in rows], [r["label"] for r in rows]


def load_split(data_dir, split, frames=8, size=64, classes=None):
    """Returns (x uint8 [N, T, S, S, 3], y int64 [N], class names)."""
    paths, labels = read_truth(data_dir, split)
    classes = classes or sorted(set(labels))
    cache = os.path.join(data_dir, f".torch-{split}-{frames}x{size}.npz")
    if os.path.exists(cache):
        with np.load(cache) as z:
            x = z["x"]
    else:
        ffmpeg = find_ffmpeg()
        x = np.stack([decode(ffmpeg, p, frames, size) for p in paths])
        np.savez(cache, x=x)
    y = np.array([classes.index(label) for label in labels], dtype=np.int64)
    return x, y, classes
