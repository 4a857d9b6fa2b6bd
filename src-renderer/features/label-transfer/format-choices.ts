/** What the label dialogs say about each file format, and how they guess one from a file name. */
import type { LabelFormat } from '../../../src-main/shared/dto.js';

export interface FormatChoice {
  format: LabelFormat;
  title: string;
  /** One line on what the file holds. */
  shape: string;
  extension: string;
}

const CHOICES: Record<LabelFormat, Omit<FormatChoice, 'format'>> = {
  csv: { title: 'CSV (VSSL)', shape: 'path,start,end,label — times in seconds, empty label = unlabelled segment', extension: '.csv' },
  kinetics: { title: 'Kinetics CSV', shape: 'label,youtube_id,time_start,time_end,split — videos matched by file stem', extension: '.csv' },
  mmaction: { title: 'MMAction2 list', shape: '"rel/path.mp4 label_index" lines plus a classes file', extension: '.txt' },
  activitynet: { title: 'ActivityNet JSON', shape: 'database → annotations → segment [start, end] + label', extension: '.json' },
  labelstudio: { title: 'Label Studio JSON', shape: 'tasks with TimelineLabels ranges in frames (from 1, both ends included)', extension: '.json' },
};

// A Record keeps the list complete; the renderer imports only types from the contract (no zod in the bundle).
export const formatChoices: FormatChoice[] = (Object.keys(CHOICES) as LabelFormat[]).map((format) => ({
  format,
  ...CHOICES[format],
}));

export function formatChoice(format: LabelFormat): FormatChoice {
  return { format, ...CHOICES[format] };
}

function baseName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}

/** The likely format of a label file from its name; null when the name says nothing. */
export function guessFormat(path: string): LabelFormat | null {
  const name = baseName(path).toLowerCase();
  const dot = name.lastIndexOf('.');
  const ext = dot >= 0 ? name.slice(dot) : '';
  if (ext === '.csv') return name.includes('kinetics') ? 'kinetics' : 'csv';
  if (ext === '.txt' || ext === '.list') return 'mmaction';
  if (ext === '.json') return /activitynet|anet/.test(name) ? 'activitynet' : 'labelstudio';
  return null;
}

/** `name` with the format's extension in place of its own. */
export function withExtension(name: string, format: LabelFormat): string {
  const dot = name.lastIndexOf('.');
  const stem = dot > 0 ? name.slice(0, dot) : name;
  return `${stem || 'labels'}${CHOICES[format].extension}`;
}

/** A file name typed into a folder: joined with the folder's own separator. */
export function joinPath(folder: string, name: string): string {
  const separator = folder.includes('\\') && !folder.includes('/') ? '\\' : '/';
  return folder.endsWith(separator) ? `${folder}${name}` : `${folder}${separator}${name}`;
}

/** A frame rate typed by a person: undefined when blank, an error message when not usable. */
export function parseFrameRate(text: string): { fps?: number; error?: string } {
  const trimmed = text.trim();
  if (!trimmed) return {};
  const fps = Number(trimmed);
  if (!Number.isFinite(fps) || fps <= 0) return { error: `The frame rate must be a number above 0, not "${trimmed}".` };
  if (fps > 1000) return { error: 'The frame rate must be at most 1000.' };
  return { fps };
}
