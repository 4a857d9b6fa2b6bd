import { modelExportFormats, type ModelExportFormat } from '../../shared/run-dto.js';
import { UsageError } from '../usage.js';

/** --format of the model export commands: tfjs (default) or onnx. */
export function exportFormatOf(value: unknown, command: string): ModelExportFormat {
  if (value === undefined) return 'tfjs';
  const format = modelExportFormats.find((f) => f === value);
  if (format === undefined) throw new UsageError(`${command}: --format takes ${modelExportFormats.join(' or ')}, not ${JSON.stringify(value)}.`);
  return format;
}
