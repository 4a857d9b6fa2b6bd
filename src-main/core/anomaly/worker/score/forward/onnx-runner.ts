/**
 * Where scoring's ONNX Runtime session runs: in the scoring thread, or on a thread of its own
 * (onnx-thread.ts), so the scoring thread decodes, finds regions and cuts the next batch while the model
 * runs on this one. Both give the graph's scored outputs for a batch of tubes.
 */
import { Worker } from 'node:worker_threads';
import { builtScriptPath } from '../../../../engine/built-script-path.js';
import type { HostTubes } from '../../regions/host-tube-crop.js';
import { isFromOnnxThread, type ToOnnxThread } from './onnx-thread-messages.js';
import { createOnnxSession, floatOutputs } from './onnx-session.js';
import { ANOMALY_ONNX_INPUT } from '../../../main/export/anomaly-onnx.js';

export interface OnnxRunner {
  readonly where: 'scoring thread' | 'own thread';
  /** The scored outputs of the graph on these tubes (the tubes' array may be moved to another thread: do not use it after). */
  run(tubes: HostTubes): Promise<Record<string, Float32Array>>;
  close(): Promise<void>;
}

const shapeOf = (tubes: HostTubes): number[] => [tubes.regions, tubes.frames, tubes.size, tubes.size, tubes.channels];

/** The session in this thread. Rejects where ONNX Runtime does not load or the graph does not open. */
export async function inThreadOnnxRunner(graph: Uint8Array, intraOpThreads: number): Promise<OnnxRunner> {
  const { ort, session } = await createOnnxSession(graph, intraOpThreads);
  return {
    where: 'scoring thread',
    run: async (tubes) => floatOutputs(await session.run({ [ANOMALY_ONNX_INPUT]: new ort.Tensor('float32', tubes.data, shapeOf(tubes)) })),
    close: () => session.release(),
  };
}

interface Pending {
  resolve(outputs: Record<string, Float32Array>): void;
  reject(error: Error): void;
}

class ThreadedOnnxRunner implements OnnxRunner {
  readonly where = 'own thread';
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private starting: { resolve(): void; reject(error: Error): void } | null = null;
  private gone: Error | null = null;
  private closing = false;

  constructor(private readonly worker: Worker) {
    worker.on('message', (raw: unknown) => this.onMessage(raw));
    worker.on('error', (error: Error) => this.fail(`the ONNX Runtime thread crashed: ${error.message}`));
    worker.on('exit', (code: number) => {
      if (!this.closing) this.fail(`the ONNX Runtime thread exited unexpectedly (exit code ${code})`);
    });
  }

  start(graph: Uint8Array, intraOpThreads: number): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.starting = { resolve, reject };
      this.post({ type: 'init', graph, intraOpThreads });
    });
  }

  run(tubes: HostTubes): Promise<Record<string, Float32Array>> {
    if (this.gone !== null) return Promise.reject(this.gone);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.post({ type: 'run', id, tubes: tubes.data, shape: shapeOf(tubes) }, [tubes.data.buffer as ArrayBuffer]);
    });
  }

  async close(): Promise<void> {
    this.closing = true;
    await this.worker.terminate();
  }

  private post(message: ToOnnxThread, transfer: ArrayBuffer[] = []): void {
    this.worker.postMessage(message, transfer);
  }

  private onMessage(raw: unknown): void {
    if (!isFromOnnxThread(raw)) return this.fail('the ONNX Runtime thread sent a message this app does not know');
    if (raw.type === 'ready') {
      this.starting?.resolve();
      this.starting = null;
    } else if (raw.type === 'error') {
      if (raw.id === null) this.fail(raw.message);
      else this.settle(raw.id, (p) => p.reject(new Error(`ONNX Runtime: ${raw.message}`)));
    } else {
      const outputs = raw.outputs;
      this.settle(raw.id, (p) => p.resolve(outputs));
    }
  }

  private settle(id: number, action: (pending: Pending) => void): void {
    const pending = this.pending.get(id);
    if (pending === undefined) return;
    this.pending.delete(id);
    action(pending);
  }

  private fail(message: string): void {
    const error = new Error(message);
    this.gone ??= error;
    this.starting?.reject(error);
    this.starting = null;
    for (const pending of this.pending.values()) pending.reject(error);
    this.pending.clear();
  }
}

/** The session on a thread of its own. Rejects, saying why, where ONNX Runtime does not load there or the graph does not open. */
export async function threadedOnnxRunner(graph: Uint8Array, intraOpThreads: number, scriptPath: string = builtScriptPath('onnx-thread.js', import.meta.url)): Promise<OnnxRunner> {
  const runner = new ThreadedOnnxRunner(new Worker(scriptPath));
  try {
    await runner.start(graph, intraOpThreads);
  } catch (error) {
    await runner.close();
    throw error;
  }
  return runner;
}
