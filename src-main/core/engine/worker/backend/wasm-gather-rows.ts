import * as tf from '@tensorflow/tfjs';

/** The parts of the wasm backend a kernel that copies memory itself needs (tfjs-backend-wasm's own kernels use the same). */
interface WasmBackendMemory {
  wasm: { HEAPU8: Uint8Array };
  dataIdMap: { get(dataId: tf.DataId): { memoryOffset: number } | undefined };
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  readSync(dataId: tf.DataId): tf.backend_util.BackendValues;
}

const BYTES: Partial<Record<tf.DataType, number>> = { float32: 4, int32: 4, bool: 1 };

/**
 * GatherV2 along the first axis as one memory copy per row: wasm's kernel computes every element's index,
 * which made building the anomaly tasks' samples (four gathers of whole frames) ~6% of a training step. Any
 * other gather (another axis, batch dims, strings) goes to the kernel wasm ships.
 */
export function fasterWasmGatherV2(shipped: tf.KernelConfig): tf.KernelConfig {
  return {
    kernelName: tf.GatherV2,
    backendName: 'wasm',
    // The shipped kernel's set-up, which its fallback needs when wasm initialises after this is registered.
    ...(shipped.setupFunc ? { setupFunc: shipped.setupFunc } : {}),
    kernelFunc: (args) => {
      const { inputs, attrs } = args;
      const { x, indices } = inputs as { x: tf.TensorInfo; indices: tf.TensorInfo };
      const { axis, batchDims } = attrs as unknown as tf.GatherV2Attrs;
      const rank = x.shape.length;
      const bytes = BYTES[x.dtype];
      if (rank === 0 || bytes === undefined || (batchDims ?? 0) !== 0 || tf.util.parseAxisParam(axis, x.shape)[0] !== 0) return shipped.kernelFunc(args);
      const backend = args.backend as unknown as WasmBackendMemory;
      const picked = backend.readSync(indices.dataId) as Int32Array;
      const rows = x.shape[0]!;
      for (const index of picked) {
        if (!(index >= 0 && index <= rows - 1)) throw new Error(`GatherV2: the index value ${index} is not in [0, ${rows - 1}]`);
      }
      const out = backend.makeOutput([...indices.shape, ...x.shape.slice(1)], x.dtype);
      const rowBytes = tf.util.sizeFromShape(x.shape.slice(1)) * bytes;
      if (rowBytes === 0 || picked.length === 0) return out;
      // After makeOutput: growing the wasm memory replaces the heap view.
      const heap = backend.wasm.HEAPU8;
      const from = backend.dataIdMap.get(x.dataId)?.memoryOffset;
      const to = backend.dataIdMap.get(out.dataId)?.memoryOffset;
      if (from === undefined || to === undefined) return shipped.kernelFunc(args);
      picked.forEach((index, i) => heap.copyWithin(to + i * rowBytes, from + index * rowBytes, from + (index + 1) * rowBytes));
      return out;
    },
  };
}
