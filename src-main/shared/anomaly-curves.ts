/**
 * The zod-free part of the anomaly contract (re-exported by anomaly.ts): the tasks a score is made
 * of, and how curves cross the API. The renderer imports these without pulling zod into its bundle.
 */

/** The tasks whose errors make a region's score, in the order scores list them (every run has these). */
export const anomalyTasks = ['middle-frame-mae', 'p-backward', 'p-irregular'] as const;
export type AnomalyTask = (typeof anomalyTasks)[number];

/** The fourth task, present when a run distils a teacher image model. */
export const TEACHER_TASK = 'teacher-gap';
export type AnomalyTaskName = AnomalyTask | typeof TEACHER_TASK;

/** Per task, one value or curve; the teacher's only when the run has a teacher. */
export type PerTask<T> = Record<AnomalyTask, T> & { [TEACHER_TASK]?: T };

export const anomalyTaskInfo: Record<AnomalyTaskName, { name: string; idea: string }> = {
  'middle-frame-mae': { name: 'Middle frame', idea: 'How badly the middle frame is predicted from the frames around it.' },
  'p-backward': { name: 'Arrow of time', idea: 'How sure the model is that the region plays backwards.' },
  'p-irregular': { name: 'Motion irregularity', idea: 'How sure the model is that the motion skips or stalls.' },
  'teacher-gap': { name: 'Teacher', idea: 'How far the student strays from the teacher image model on the middle frame.' },
};

/** Little-endian float32 bytes as base64 (what AnomalyScoresDto carries). */
export function encodeFloat32(values: Float32Array): string {
  const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

export function decodeFloat32(base64: string): Float32Array {
  const binary = atob(base64);
  if (binary.length % 4 !== 0) throw new Error(`A float32 array has a multiple of 4 bytes; this one has ${binary.length}.`);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return new Float32Array(bytes.buffer);
}
