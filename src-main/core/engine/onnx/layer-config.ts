/** Typed reads of a Keras layer's config, each with an error that names the layer and the key. */
import type { KerasLayer } from './keras-model-files.js';

function fail(layer: KerasLayer, key: string, wanted: string): never {
  throw new Error(`layer ${layer.name} (${layer.className}): config ${key} should be ${wanted}, got ${JSON.stringify(layer.config[key])}`);
}

export function configNumber(layer: KerasLayer, key: string, fallback?: number): number {
  const value = layer.config[key];
  if (value === undefined && fallback !== undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value)) fail(layer, key, 'a number');
  return value;
}

export function configString(layer: KerasLayer, key: string, fallback?: string): string {
  const value = layer.config[key];
  if ((value === undefined || value === null) && fallback !== undefined) return fallback;
  if (typeof value !== 'string') fail(layer, key, 'a string');
  return value;
}

export function configBoolean(layer: KerasLayer, key: string, fallback: boolean): boolean {
  const value = layer.config[key];
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') fail(layer, key, 'true or false');
  return value;
}

/** A list of `length` integers; a single number stands for all of them (Keras allows both). */
export function configInts(layer: KerasLayer, key: string, length: number, fallback?: number): number[] {
  const value = layer.config[key];
  if (value === undefined && fallback !== undefined) return new Array<number>(length).fill(fallback);
  if (typeof value === 'number' && Number.isInteger(value)) return new Array<number>(length).fill(value);
  if (!Array.isArray(value) || value.length !== length || !value.every((v) => typeof v === 'number' && Number.isInteger(v))) {
    fail(layer, key, `${length} integer(s)`);
  }
  return value as number[];
}

/** Only channels-last layers are converted (what TF.js trains and the app builds). */
export function assertChannelsLast(layer: KerasLayer): void {
  const format = layer.config['data_format'];
  if (format !== undefined && format !== null && format !== 'channels_last') {
    throw new Error(`layer ${layer.name} (${layer.className}): data_format ${JSON.stringify(format)} is not supported (channels_last only)`);
  }
}
