/**
 * The worker_threads side of a gradient thread, whatever the pipeline: builds the pipeline's model state from
 * the `init` message, then answers each `shard` job with its gradients. A pipeline's gradient-worker entry
 * calls this once with how to start and how to compute.
 */
import { parentPort } from 'node:worker_threads';
import { isToGradientThread, type FromGradientThread, type GradientsResult, type WeightsJob } from './gradient-messages.js';

export interface GradientThreadRole<Init, Job extends WeightsJob, Result extends GradientsResult, State> {
  /** The script's name, for the messages. */
  name: string;
  /** Whether a message of type 'init' carries this pipeline's init. */
  isInit(value: object): boolean;
  start(init: Init): Promise<State>;
  /** One shard's gradients at `job.weights`. */
  compute(state: State, job: Job): Promise<Result>;
}

const describe = (error: unknown): string => (error instanceof Error ? error.message : String(error));

export function serveGradientThread<Init, Job extends WeightsJob, Result extends GradientsResult, State>(role: GradientThreadRole<Init, Job, Result, State>): void {
  const port = parentPort;
  if (port === null) throw new Error(`${role.name} runs only as a worker thread (see GradientThreads).`);
  const post = (message: FromGradientThread<Result>, transfer: ArrayBuffer[] = []): void => port.postMessage(message, transfer);
  let ready: Promise<State> | null = null;

  port.on('message', (raw: unknown) => {
    if (!isToGradientThread<Init, Job>(raw, (value) => role.isInit(value))) {
      post({ type: 'error', id: null, message: 'A gradient thread got a message it does not understand.' });
      return;
    }
    if (raw.type === 'init') {
      const { type: _type, ...init } = raw;
      ready = role.start(init as Init);
      ready.then(
        () => post({ type: 'ready' }),
        (error: unknown) => post({ type: 'error', id: null, message: `A gradient thread could not start: ${describe(error)}` }),
      );
      return;
    }
    const { type: _type, id, ...job } = raw;
    if (ready === null) {
      post({ type: 'error', id, message: 'A gradient thread got a step before its model.' });
      return;
    }
    ready
      .then((state) => role.compute(state, job as unknown as Job))
      .then(
        (result) => post({ type: 'gradients', id, ...result }, [result.grads.buffer as ArrayBuffer]),
        (error: unknown) => post({ type: 'error', id, message: describe(error) }),
      );
  });
}
