/**
 * Where each clip of an exported dataset goes, and the text files beside the clips: the lists in
 * MMAction2's VideoDataset format ("path label_index" per line, paths relative to the dataset
 * folder), the classes file, a csv saying where every clip came from, and the README.
 */
import path from 'node:path';
import type { DatasetFormat } from '../../../../shared/dataset-export.js';
import type { DatasetClip } from './dataset-clips.js';

export const TRAIN_LIST = 'train_list.txt';
export const VAL_LIST = 'val_list.txt';
export const CLASSES_FILE = 'classes.txt';
export const CLIPS_CSV = 'clips.csv';

/** A file or folder name with only [A-Za-z0-9._-]: the lists are split on spaces. */
export function safeName(text: string): string {
  const name = text.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._]+/, '');
  return name.length > 0 ? name.slice(0, 100) : 'x';
}

/** One folder name per class (kinetics-folders), distinct even when names differ only in symbols. */
export function classFolders(classes: readonly string[]): string[] {
  const used = new Set<string>();
  return classes.map((name, index) => {
    let folder = safeName(name);
    if (used.has(folder)) folder = `${folder}_${index}`;
    used.add(folder);
    return folder;
  });
}

/** The path of each clip relative to the dataset folder, in the order given. */
export function clipPaths(format: DatasetFormat, clips: readonly DatasetClip[], folders: readonly string[]): string[] {
  const used = new Set<string>();
  return clips.map(({ row, classIndex, split }) => {
    const stem = safeName(path.basename(row.video_path, path.extname(row.video_path)));
    let file = `${stem}_${row.start_frame}-${row.end_frame}.mp4`;
    const dir = format === 'mmaction' ? 'videos' : `${split}/${folders[classIndex] ?? String(classIndex)}`;
    if (used.has(`${dir}/${file}`)) file = `${stem}_${row.start_frame}-${row.end_frame}_clip${row.clip_id}.mp4`;
    used.add(`${dir}/${file}`);
    return `${dir}/${file}`;
  });
}

export interface WrittenClip {
  clip: DatasetClip;
  /** Relative to the dataset folder, always with '/'. */
  file: string;
}

export function listText(clips: readonly WrittenClip[], split: DatasetClip['split']): string {
  return clips
    .filter((c) => c.clip.split === split)
    .map((c) => `${c.file} ${c.clip.classIndex}\n`)
    .sort()
    .join('');
}

const csvField = (value: string | number): string => {
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

/** Per clip: its file, split, class, and the source video's frames [start, end) (0-based) and seconds. */
export function clipsCsv(clips: readonly WrittenClip[], classes: readonly string[]): string {
  const header = 'file,split,label_index,label,label_source,video,start_frame,end_frame,start_sec,end_sec\n';
  const rows = clips.map(({ clip, file }) =>
    [file, clip.split, clip.classIndex, classes[clip.classIndex] ?? '', clip.row.label_source ?? '', clip.row.video_path,
      clip.row.start_frame, clip.row.end_frame, clip.row.start_sec.toFixed(6), clip.row.end_sec.toFixed(6)]
      .map(csvField)
      .join(','),
  );
  return header + rows.map((r) => `${r}\n`).join('');
}

export interface ReadmeInput {
  name: string;
  /** The dataset folder's absolute path once written. */
  dir: string;
  format: DatasetFormat;
  config: string;
  classes: readonly string[];
  train: number;
  validation: number;
  frames: number;
  size: number;
  validationFraction: number;
  seed: number;
}

export function datasetReadme(input: ReadmeInput): string {
  const layout =
    input.format === 'mmaction'
      ? '- `videos/`: one mp4 per clip'
      : '- `train/<class>/` and `val/<class>/`: one mp4 per clip, a folder per class (Kinetics layout)';
  return `# Dataset "${input.name}" exported by VSSL Studio

${input.classes.length} classes, ${input.train} training clips and ${input.validation} validation clips, split per
class as the app splits them (validation fraction ${input.validationFraction}, seed ${input.seed}).

${layout}
- \`${TRAIN_LIST}\`, \`${VAL_LIST}\`: MMAction2 VideoDataset lists, \`path label_index\` per line, paths relative to this folder
- \`${CLASSES_FILE}\`: the class names, one per line, line n (from 0) is label index n
- \`${CLIPS_CSV}\`: where every clip came from (source video, frames [start, end) counted from 0, seconds)
- \`${input.config}\`: an MMAction2 1.x config, R(2+1)D on ${input.frames} frames of ${input.size}×${input.size}, pixels / 255 as the app

Each clip holds exactly the frames of the labelled clip (stream-copied where it starts and ends on
keyframes, otherwise re-encoded), video only.

## Train on a cluster

From an MMAction2 1.x checkout (with decord installed), on N GPUs:

    bash tools/dist_train.sh ${path.join(input.dir, input.config)} N

or on one GPU: \`python tools/train.py ${path.join(input.dir, input.config)}\`. The config holds this folder's
absolute path in \`data_root\`, \`ann_file_train\` and \`ann_file_val\` at its top: if you move the folder,
change those three lines. Checkpoints go to \`work_dirs/${input.name}_r2plus1d\` under the directory you start from.
`;
}
