/**
 * tfjs-backend-cpu's Transform (4.22) returns from inside its loop over images: only the first image of a
 * batch is warped, every other one comes back as the fill value. The strong augmentation warps all frames
 * of a step in one batch, so on the cpu backend all but one frame turned grey. Here the shipped kernel
 * runs once per image.
 */
import * as tf from '@tensorflow/tfjs';

export function cpuTransformConfig(shipped: tf.KernelConfig): tf.KernelConfig {
  return {
    kernelName: tf.Transform,
    backendName: 'cpu',
    kernelFunc: (args) => {
      const { inputs, backend: anyBackend, attrs } = args;
      const backend = anyBackend as tf.KernelBackend; // registered for cpu only
      const { image, transforms } = inputs as { image: tf.TensorInfo; transforms: tf.TensorInfo };
      const [batch = 0, ...rest] = image.shape;
      if (batch <= 1) return shipped.kernelFunc(args);
      const imageValues = backend.readSync(image.dataId) as tf.TypedArray;
      const transformValues = backend.readSync(transforms.dataId) as tf.TypedArray;
      const shared = transforms.shape[0] === 1;
      const imageSize = imageValues.length / batch;
      let out: tf.TypedArray | null = null;
      let outShape: number[] = [];
      for (let b = 0; b < batch; b++) {
        const one: tf.TensorInfo = {
          dataId: backend.write(imageValues.subarray(b * imageSize, (b + 1) * imageSize), [1, ...rest], image.dtype),
          shape: [1, ...rest],
          dtype: image.dtype,
        };
        const row = shared ? transformValues : transformValues.subarray(b * 8, (b + 1) * 8);
        const transform: tf.TensorInfo = { dataId: backend.write(row, [1, 8], transforms.dtype), shape: [1, 8], dtype: transforms.dtype };
        try {
          const warped = shipped.kernelFunc({ inputs: { image: one, transforms: transform }, backend, attrs }) as tf.TensorInfo;
          const values = backend.readSync(warped.dataId) as tf.TypedArray;
          backend.disposeData(warped.dataId);
          if (out === null) {
            outShape = [batch, ...warped.shape.slice(1)];
            out = tf.util.getTypedArrayFromDType(image.dtype as 'float32', batch * values.length);
          }
          out.set(values, b * values.length);
        } finally {
          backend.disposeData(one.dataId);
          backend.disposeData(transform.dataId);
        }
      }
      return { dataId: backend.write(out as tf.TypedArray, outShape, image.dtype), shape: outShape, dtype: image.dtype };
    },
  };
}
