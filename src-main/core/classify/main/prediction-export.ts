/**
 * Writes a run's predictions for other tools: csv (`path,start,end,label,confidence,uncertainty`,
 * seconds from each video's first frame) or ActivityNet results JSON (`{version, results:
 * {video: [{label, score, segment}]}}`).
 */
import type { PredictionFormat, RunClass } from '../../../shared/run-dto.js';
import { csvLine, formatSeconds } from '../../labels/formats/csv-text.js';
import { pathForFile } from '../../labels/formats/csv-table.js';
import { writeTextFiles } from '../../labels/formats/label-file-io.js';
import { stemOf } from '../../labels/formats/video-index.js';
import type { ExportedPrediction } from './prediction-repository.js';

function className(classes: readonly RunClass[], id: number): string {
  return classes.find((c) => c.id === id)?.name ?? `class ${id}`;
}

function csvText(rows: readonly ExportedPrediction[], classes: readonly RunClass[], file: string): string {
  const lines = [csvLine(['path', 'start', 'end', 'label', 'confidence', 'uncertainty'])];
  for (const row of rows) {
    lines.push(
      csvLine([
        pathForFile(row.videoPath, file),
        formatSeconds(row.startSec),
        formatSeconds(row.endSec),
        className(classes, row.classId),
        row.confidence.toFixed(6),
        row.uncertainty === null ? '' : row.uncertainty.toFixed(6),
      ]),
    );
  }
  return `${lines.join('\n')}\n`;
}

function activityNetText(rows: readonly ExportedPrediction[], classes: readonly RunClass[]): string {
  const results: Record<string, { label: string; score: number; segment: [number, number] }[]> = {};
  for (const row of rows) {
    const id = stemOf(row.videoPath);
    (results[id] ??= []).push({
      label: className(classes, row.classId),
      score: Number(row.confidence.toFixed(6)),
      segment: [Number(formatSeconds(row.startSec)), Number(formatSeconds(row.endSec))],
    });
  }
  return `${JSON.stringify({ version: 'VERSION 1.3', results, external_data: { used: false } }, null, 1)}\n`;
}

export function writePredictions(
  file: string,
  format: PredictionFormat,
  rows: readonly ExportedPrediction[],
  classes: readonly RunClass[],
): number {
  const text = format === 'csv' ? csvText(rows, classes, file) : activityNetText(rows, classes);
  writeTextFiles([{ path: file, text }]);
  return rows.length;
}
