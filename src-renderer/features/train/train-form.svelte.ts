import type { MethodInfo, TrainingMethod, TrainSettings } from '../../../src-main/shared/training.js';
import { runs } from '../../state/runs.svelte.js';
import { buildSettings, emptyChoices, type BuiltSettings, type FormChoices, type NumberField } from './settings-form.js';

/**
 * The new-run form of the Train view. It lives outside the component, so what a person set
 * survives a visit to another view; a different project starts it afresh.
 */
class TrainForm {
  method = $state<TrainingMethod>('fixmatch');
  choices = $state<FormChoices>(emptyChoices());
  /** The method Start was pressed for while a required field was blank: from then on the form says what is missing. */
  missingShownFor = $state<TrainingMethod | null>(null);

  info = $derived<MethodInfo | null>(runs.options?.methods.find((m) => m.name === this.method) ?? null);
  defaults = $derived<TrainSettings | null>(runs.options?.defaults[this.method] ?? null);
  /** The flip choice the project remembers from its last run. */
  rememberedFlip = $derived(runs.options?.flip ?? true);
  flip = $derived(this.choices.flip ?? this.rememberedFlip);
  built = $derived<BuiltSettings | null>(
    this.defaults ? buildSettings(this.method, this.defaults, this.choices, this.rememberedFlip) : null,
  );
  /** What a run started now would use (the defaults while a typed value is not valid). */
  effective = $derived<TrainSettings | null>(this.built?.ok ? this.built.settings : this.defaults);
  /** A blank required field is not an error until Start is pressed: the method has just been picked. */
  showsErrors = $derived(this.built !== null && !this.built.ok && (!this.built.onlyMissing || this.missingShownFor === this.method));

  text(field: NumberField): string {
    return this.choices.numbers[field.key] ?? '';
  }

  setText(field: NumberField, text: string): void {
    this.choices.numbers[field.key] = text;
  }

  /** Back to the method's published defaults (the remembered flip choice stays). */
  reset(): void {
    this.choices = emptyChoices();
    this.missingShownFor = null;
  }

  /** Start pressed with required fields blank: show what they need. */
  showMissing(): void {
    this.missingShownFor = this.method;
  }

  error(key: keyof TrainSettings): string | null {
    const built = this.built;
    return built && !built.ok && this.showsErrors ? (built.errors[key] ?? null) : null;
  }
}

export const trainForm = new TrainForm();
