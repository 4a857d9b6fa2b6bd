/**
 * The checkpoint of a run on disk: one file, `runDir/checkpoint/checkpoint.bin`, replaced atomically
 * (written beside it, flushed, renamed over it), so a kill at any moment leaves either the previous
 * checkpoint or the new one, never half of one.
 *
 * Layout: 8 bytes magic `VSSLCKP1`, u32 little-endian header length, the JSON header, then the raw
 * little-endian tensor bytes the header points at.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { EpochMetrics } from '../worker/messages.js';

const MAGIC = 'VSSLCKP1';
const FORMAT = 1;
export const CHECKPOINT_DIR = 'checkpoint';
const CHECKPOINT_FILE = 'checkpoint.bin';

export type CheckpointGroup = 'model' | 'ema' | 'optimizer';
export const CHECKPOINT_GROUPS: readonly CheckpointGroup[] = ['model', 'ema', 'optimizer'];

export interface CheckpointTensor {
  name: string;
  dtype: 'float32' | 'int32';
  shape: number[];
  data: Float32Array | Int32Array;
}

/** Everything of a run that is not a tensor. */
export interface CheckpointState {
  runId: number;
  /** Epochs completed; training resumes at epoch + 1. */
  epoch: number;
  /** Optimizer steps completed. */
  step: number;
  /** The run's random generator after the last completed epoch. */
  rng: number;
  /** EMA updates so far (its decay warms up with them). */
  emaUpdates: number;
  /** What the weights fit (architecture, input spec, classes): a resume with other settings is refused. */
  fingerprint: string;
  /** FlexMatch's per-clip pseudo-label state (JSON), null for other methods. */
  flex: unknown;
  /** The metrics of every completed epoch, so a resumed run can report its history and final result. */
  history: EpochMetrics[];
}

export interface Checkpoint {
  state: CheckpointState;
  tensors: Record<CheckpointGroup, CheckpointTensor[]>;
}

interface TensorEntry {
  group: CheckpointGroup;
  name: string;
  dtype: CheckpointTensor['dtype'];
  shape: number[];
  offset: number;
  byteLength: number;
}

interface Header {
  format: number;
  savedAt: string;
  state: CheckpointState;
  tensors: TensorEntry[];
}

export function checkpointPath(runDir: string): string {
  return path.join(runDir, CHECKPOINT_DIR, CHECKPOINT_FILE);
}

function elementCount(shape: number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

export async function writeCheckpoint(runDir: string, checkpoint: Checkpoint): Promise<void> {
  const entries: TensorEntry[] = [];
  const chunks: Uint8Array[] = [];
  let offset = 0;
  for (const group of CHECKPOINT_GROUPS) {
    for (const t of checkpoint.tensors[group]) {
      if (t.data.length !== elementCount(t.shape)) {
        throw new Error(`checkpoint tensor ${group}/${t.name} has ${t.data.length} values for shape [${t.shape.join(', ')}]`);
      }
      const bytes = new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
      entries.push({ group, name: t.name, dtype: t.dtype, shape: t.shape, offset, byteLength: bytes.byteLength });
      chunks.push(bytes);
      offset += bytes.byteLength;
    }
  }
  const header: Header = { format: FORMAT, savedAt: new Date().toISOString(), state: checkpoint.state, tensors: entries };
  const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
  const prefix = Buffer.alloc(MAGIC.length + 4);
  prefix.write(MAGIC, 0, 'latin1');
  prefix.writeUInt32LE(headerBytes.byteLength, MAGIC.length);

  const finalPath = checkpointPath(runDir);
  await fs.mkdir(path.dirname(finalPath), { recursive: true });
  await removeLeftoverPartials(path.dirname(finalPath));
  const tempPath = `${finalPath}.partial-${process.pid}-${randomBytes(4).toString('hex')}`;
  const file = await fs.open(tempPath, 'w');
  try {
    await file.writev([prefix, headerBytes, ...chunks]);
    await file.sync();
  } catch (error) {
    await file.close();
    await fs.rm(tempPath, { force: true });
    throw error;
  }
  await file.close();
  await fs.rename(tempPath, finalPath);
}

/** A write cut off by a kill leaves its temp file; the next write clears it. */
async function removeLeftoverPartials(dir: string): Promise<void> {
  for (const name of await fs.readdir(dir)) {
    if (name.startsWith(`${CHECKPOINT_FILE}.partial-`)) await fs.rm(path.join(dir, name), { force: true });
  }
}

function corrupt(file: string, why: string): Error {
  return new Error(`The checkpoint ${file} is damaged (${why}); start the run again instead of resuming it.`);
}

function parseHeader(file: string, bytes: Buffer): { header: Header; dataStart: number } {
  if (bytes.byteLength < MAGIC.length + 4 || bytes.toString('latin1', 0, MAGIC.length) !== MAGIC) {
    throw corrupt(file, 'not a VSSL checkpoint');
  }
  const headerLength = bytes.readUInt32LE(MAGIC.length);
  const dataStart = MAGIC.length + 4 + headerLength;
  if (dataStart > bytes.byteLength) throw corrupt(file, 'the header is cut short');
  let header: Header;
  try {
    header = JSON.parse(bytes.toString('utf8', MAGIC.length + 4, dataStart)) as Header;
  } catch {
    throw corrupt(file, 'the header is not JSON');
  }
  if (header.format !== FORMAT) throw corrupt(file, `format ${String(header.format)}, this version reads ${FORMAT}`);
  return { header, dataStart };
}

/** The run state in the checkpoint (without the weights), or null when the run has none. */
export async function readCheckpointState(runDir: string): Promise<CheckpointState | null> {
  const file = checkpointPath(runDir);
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  try {
    const prefix = Buffer.alloc(MAGIC.length + 4);
    await handle.read(prefix, 0, prefix.byteLength, 0);
    const headerLength = prefix.toString('latin1', 0, MAGIC.length) === MAGIC ? prefix.readUInt32LE(MAGIC.length) : 0;
    const head = Buffer.alloc(prefix.byteLength + headerLength);
    await handle.read(head, 0, head.byteLength, 0);
    return parseHeader(file, head).header.state;
  } finally {
    await handle.close();
  }
}

/** The whole checkpoint, or null when the run has none. */
export async function readCheckpoint(runDir: string): Promise<Checkpoint | null> {
  const file = checkpointPath(runDir);
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  const { header, dataStart } = parseHeader(file, bytes);
  const tensors: Record<CheckpointGroup, CheckpointTensor[]> = { model: [], ema: [], optimizer: [] };
  for (const entry of header.tensors) {
    const start = dataStart + entry.offset;
    if (start + entry.byteLength > bytes.byteLength) throw corrupt(file, `tensor ${entry.group}/${entry.name} is cut short`);
    // A copy: the typed array needs its own aligned buffer.
    const raw = bytes.buffer.slice(bytes.byteOffset + start, bytes.byteOffset + start + entry.byteLength);
    const data = entry.dtype === 'int32' ? new Int32Array(raw) : new Float32Array(raw);
    if (data.length !== elementCount(entry.shape)) throw corrupt(file, `tensor ${entry.group}/${entry.name} has the wrong size`);
    tensors[entry.group].push({ name: entry.name, dtype: entry.dtype, shape: entry.shape, data });
  }
  return { state: header.state, tensors };
}
