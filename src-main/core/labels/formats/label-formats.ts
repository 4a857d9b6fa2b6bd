import type { LabelFormat } from '../../../shared/dto.js';
import { activitynetFormat } from './activitynet-format.js';
import { csvFormat } from './csv-format.js';
import type { LabelFormatModule } from './format-types.js';
import { kineticsFormat } from './kinetics-format.js';
import { labelstudioFormat } from './labelstudio-format.js';
import { mmactionFormat } from './mmaction-format.js';

/** Every label file format, by the name `--format` and the API use. */
export const LABEL_FORMAT_MODULES: Readonly<Record<LabelFormat, LabelFormatModule>> = {
  csv: csvFormat,
  kinetics: kineticsFormat,
  mmaction: mmactionFormat,
  activitynet: activitynetFormat,
  labelstudio: labelstudioFormat,
};
