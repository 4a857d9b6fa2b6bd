/**
 * Saves and loads models in the standard TF.js layers format (model.json + weights.bin) with plain `fs`,
 * so no tfjs-node is needed. Importing this module registers the custom layers a saved model refers to.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import './layers/fast-batch-norm.js';
import { FastBatchNorm } from './layers/fast-batch-norm.js';
import './layers/mc-dropout.js';
import './layers/time-fold-layers.js';
import { MODEL_JSON, WEIGHTS_BIN } from '../model-files.js';


async function writeAtomically(file: string, data: string | Uint8Array): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  await fs.writeFile(tmp, data);
  await fs.rename(tmp, file);
}

/** FastBatchNorm has BatchNormalization's weights and config: save it as the standard layer. */
function withStandardBatchNorm(topology: object): object {
  const rewrite = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(rewrite);
    if (value === null || typeof value !== 'object') return value;
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) {
      out[key] = key === 'class_name' && inner === FastBatchNorm.className ? 'BatchNormalization' : rewrite(inner);
    }
    return out;
  };
  return rewrite(topology) as object;
}

function fileSaveHandler(dir: string): tf.io.IOHandler {
  return {
    save: async (artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> => {
      if (artifacts.modelTopology === undefined || artifacts.modelTopology instanceof ArrayBuffer) {
        throw new Error('saveModel: only layers models (JSON topology) can be saved');
      }
      const weights = artifacts.weightData === undefined ? new ArrayBuffer(0) : tf.io.CompositeArrayBuffer.join(artifacts.weightData);
      const modelJson: tf.io.ModelJSON = {
        modelTopology: withStandardBatchNorm(artifacts.modelTopology),
        format: artifacts.format ?? 'layers-model',
        generatedBy: artifacts.generatedBy ?? `TensorFlow.js tfjs-layers v${tf.version_layers}`,
        convertedBy: null,
        weightsManifest: [{ paths: [`./${WEIGHTS_BIN}`], weights: artifacts.weightSpecs ?? [] }],
      };
      if (artifacts.trainingConfig !== undefined) modelJson.trainingConfig = artifacts.trainingConfig;
      if (artifacts.userDefinedMetadata !== undefined) modelJson.userDefinedMetadata = artifacts.userDefinedMetadata;
      await fs.mkdir(dir, { recursive: true });
      // Weights first: a model.json that exists always has its weights beside it.
      await writeAtomically(path.join(dir, WEIGHTS_BIN), new Uint8Array(weights));
      await writeAtomically(path.join(dir, MODEL_JSON), JSON.stringify(modelJson));
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    },
  };
}

function isModelJson(value: unknown): value is tf.io.ModelJSON {
  const v = value as Partial<tf.io.ModelJSON> | null;
  return typeof v === 'object' && v !== null && typeof v.modelTopology === 'object' && v.modelTopology !== null && Array.isArray(v.weightsManifest);
}

function fileLoadHandler(dir: string): tf.io.IOHandler {
  return {
    load: async (): Promise<tf.io.ModelArtifacts> => {
      const jsonPath = path.join(dir, MODEL_JSON);
      let text: string;
      try {
        text = await fs.readFile(jsonPath, 'utf8');
      } catch (error) {
        throw new Error(`no model at ${dir}: cannot read ${MODEL_JSON} (${(error as Error).message})`);
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch (error) {
        throw new Error(`${jsonPath} is not valid JSON: ${(error as Error).message}`);
      }
      if (!isModelJson(parsed)) throw new Error(`${jsonPath} is not a TF.js layers model (no modelTopology / weightsManifest)`);
      return tf.io.getModelArtifactsForJSON(parsed, async (manifest) => {
        const buffers: ArrayBuffer[] = [];
        for (const group of manifest) {
          for (const relative of group.paths) {
            const file = path.resolve(dir, relative);
            if (path.relative(dir, file).startsWith('..')) throw new Error(`${jsonPath}: weights path ${relative} leaves the model folder`);
            const bytes = await fs.readFile(file).catch((error: Error) => {
              throw new Error(`model ${dir}: cannot read weights ${relative} (${error.message})`);
            });
            buffers.push(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
          }
        }
        const specs = manifest.flatMap((group) => group.weights);
        const expected = specs.reduce((sum, spec) => sum + spec.shape.reduce((a, b) => a * b, 1) * 4, 0);
        const data = tf.io.CompositeArrayBuffer.join(buffers);
        if (data.byteLength < expected) {
          throw new Error(`model ${dir}: weights are truncated (${data.byteLength} bytes, the manifest needs ${expected})`);
        }
        return [specs, data];
      });
    },
  };
}

/** Writes model.json and weights.bin into `dir` (created if missing); each file is replaced atomically. */
export async function saveModel(model: tf.LayersModel, dir: string): Promise<void> {
  await model.save(fileSaveHandler(dir), { includeOptimizer: false });
}

/** Loads a model saved by saveModel (or any TF.js layers model using only our custom layers). */
export async function loadModel(dir: string): Promise<tf.LayersModel> {
  return tf.loadLayersModel(fileLoadHandler(dir));
}
