import type { AnomalySettings } from '../../../src-main/shared/anomaly.js';
import { anomalyRuns } from '../../state/anomaly-runs.svelte.js';
import {
  buildAnomalySettings,
  emptyAnomalyChoices,
  type AnomalyChoices,
  type AnomalyField,
  type BuiltAnomalySettings,
} from './anomaly-settings-form.js';

/** The anomaly training form; outside the component so what was typed survives a visit elsewhere. */
class AnomalyForm {
  choices = $state<AnomalyChoices>(emptyAnomalyChoices());

  defaults = $derived<AnomalySettings | null>(anomalyRuns.options?.defaults ?? null);
  built = $derived<BuiltAnomalySettings | null>(this.defaults ? buildAnomalySettings(this.defaults, this.choices) : null);

  text(field: AnomalyField): string {
    return this.choices.numbers[field.key] ?? '';
  }

  setText(field: AnomalyField, text: string): void {
    this.choices.numbers[field.key] = text;
  }

  error(key: keyof AnomalySettings): string | null {
    const built = this.built;
    return built && !built.ok ? (built.errors[key] ?? null) : null;
  }

  reset(): void {
    this.choices = emptyAnomalyChoices();
  }
}

export const anomalyForm = new AnomalyForm();
