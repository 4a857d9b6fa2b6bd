import type { ClassDto } from '../../../src-main/shared/dto.js';
import { CLASS_HOTKEY_ORDER } from '../../../src-main/shared/keymap.js';

/** The keys a class may take: the ones no other class holds (archived ones keep theirs). */
export function freeHotkeys(all: readonly ClassDto[], forId: number | null): string[] {
  const taken = new Set(all.filter((c) => c.id !== forId && c.hotkey !== null).map((c) => c.hotkey));
  return CLASS_HOTKEY_ORDER.filter((key) => !taken.has(key));
}
