/**
 * ResizeNearestNeighborGrad for the cpu backend. tfjs-backend-cpu 4.22's kernel reads `dy` at the images'
 * batch offset instead of dy's, so every image but the first of a batch gets another image's gradient
 * (the gradient through upSampling2d, i.e. the anomaly model's middle-frame decoder, is wrong on cpu; wasm
 * and webgpu get it right). This is the same kernel with dy's own batch offset.
 */
import * as tf from '@tensorflow/tfjs';

export const cpuResizeNearestGradConfig: tf.KernelConfig = {
  kernelName: tf.ResizeNearestNeighborGrad,
  backendName: 'cpu',
  kernelFunc: ({ inputs, backend: anyBackend, attrs }) => {
    const backend = anyBackend as tf.KernelBackend;
    const { images, dy } = inputs as { images: tf.TensorInfo; dy: tf.TensorInfo };
    const alignCorners = (attrs as { alignCorners?: boolean } | undefined)?.alignCorners === true;
    const [batch = 0, xHeight = 0, xWidth = 0, depth = 0] = images.shape;
    const [, yHeight = 0, yWidth = 0] = dy.shape;
    const dyValues = backend.readSync(dy.dataId) as Float32Array;
    const output = new Float32Array(batch * xHeight * xWidth * depth);
    const effective = (x: number, y: number): [number, number] => (alignCorners && y > 1 ? [x - 1, y - 1] : [x, y]);
    const [xEffH, yEffH] = effective(xHeight, yHeight);
    const [xEffW, yEffW] = effective(xWidth, yWidth);
    const heightScale = xEffH / yEffH;
    const widthScale = xEffW / yEffW;
    // The output rows and columns around r / scale that may take their value from input pixel (r, c).
    const winHeight = Math.ceil(1 / heightScale) * 2 + 2;
    const winWidth = Math.ceil(1 / widthScale) * 2 + 2;
    const nearest = (frac: number, last: number) => Math.min(last, alignCorners ? Math.round(frac) : Math.floor(frac));
    for (let b = 0; b < batch; b++) {
      for (let r = 0; r < xHeight; r++) {
        const startDyR = Math.floor(Math.floor(r / heightScale) - winHeight / 2);
        for (let c = 0; c < xWidth; c++) {
          const startDyC = Math.floor(Math.floor(c / widthScale) - winWidth / 2);
          for (let d = 0; d < depth; d++) {
            let sum = 0;
            for (let dyR = Math.max(0, startDyR); dyR < Math.min(yHeight, startDyR + winHeight); dyR++) {
              if (nearest(dyR * heightScale, xHeight - 1) !== r) continue;
              for (let dyC = Math.max(0, startDyC); dyC < Math.min(yWidth, startDyC + winWidth); dyC++) {
                if (nearest(dyC * widthScale, xWidth - 1) === c) sum += dyValues[((b * yHeight + dyR) * yWidth + dyC) * depth + d] ?? 0;
              }
            }
            output[((b * xHeight + r) * xWidth + c) * depth + d] = sum;
          }
        }
      }
    }
    return { dataId: backend.write(output, [...images.shape], 'float32'), shape: [...images.shape], dtype: 'float32' };
  },
};
