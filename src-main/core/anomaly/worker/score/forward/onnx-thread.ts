/**
 * The worker_threads entry of scoring's ONNX Runtime thread: holds one inference session and runs each batch
 * of tubes it is sent, so the scoring thread cuts the next batch (decoding, region finding, cropping) while
 * the model runs. Started by threadedOnnxRunner, never imported.
 */
import { parentPort } from 'node:worker_threads';
import type { InferenceSession } from 'onnxruntime-node';
import { isToOnnxThread, type FromOnnxThread } from './onnx-thread-messages.js';
import { createOnnxSession, floatOutputs, type Ort } from './onnx-session.js';
import { ANOMALY_ONNX_INPUT } from '../../../main/export/anomaly-onnx.js';

const port = parentPort;
if (port === null) throw new Error('onnx-thread.js runs as a worker thread only');

const post = (message: FromOnnxThread, transfer: ArrayBuffer[] = []): void => port.postMessage(message, transfer);
const describe = (error: unknown): string => (error instanceof Error ? error.message : String(error));

let session: { ort: Ort; session: InferenceSession } | null = null;

port.on('message', (raw: unknown) => {
  if (!isToOnnxThread(raw)) {
    post({ type: 'error', id: null, message: 'onnx-thread.js got a message this app does not know' });
    return;
  }
  if (raw.type === 'init') {
    createOnnxSession(raw.graph, raw.intraOpThreads).then(
      (created) => {
        session = created;
        post({ type: 'ready' });
      },
      (error: unknown) => post({ type: 'error', id: null, message: describe(error) }),
    );
    return;
  }
  const held = session;
  if (held === null) {
    post({ type: 'error', id: raw.id, message: 'the ONNX Runtime thread was sent a batch before its model' });
    return;
  }
  held.session.run({ [ANOMALY_ONNX_INPUT]: new held.ort.Tensor('float32', raw.tubes, raw.shape) }).then(
    (outputs) => {
      const floats = floatOutputs(outputs);
      post({ type: 'outputs', id: raw.id, outputs: floats }, Object.values(floats).map((f) => f.buffer as ArrayBuffer));
    },
    (error: unknown) => post({ type: 'error', id: raw.id, message: describe(error) }),
  );
});
