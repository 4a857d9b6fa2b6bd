/** A numeric setting as a form shows and checks it (the bounds mirror the setting's zod schema). */
export interface NumberFieldSpec {
  label: string;
  /** One line under the field. */
  hint: string;
  min: number;
  max: number;
  /** The value must be above min, not equal to it. */
  above?: boolean;
  integer?: boolean;
}

/** Why a typed number does not fit the field, or null when it does. */
export function checkNumber(field: NumberFieldSpec, value: number, text: string): string | null {
  if (!Number.isFinite(value)) return `“${text}” is not a number.`;
  if (field.integer && !Number.isInteger(value)) return 'a whole number is needed.';
  if (field.above ? value <= field.min : value < field.min) return `${field.above ? 'above' : 'at least'} ${field.min}.`;
  if (value > field.max) return `at most ${field.max}.`;
  return null;
}
