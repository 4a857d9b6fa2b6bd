import type { ClassDto } from '../../../src-main/shared/dto.js';
import { LABEL_KEYMAP, type LabelAction } from '../../../src-main/shared/keymap.js';

export type KeyCommand = { kind: 'action'; action: LabelAction } | { kind: 'class'; classId: number };

export type KeyPress = Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey'>;

function normalise(key: string): string {
  return key.length === 1 ? key.toLowerCase() : key;
}

/**
 * What a key press does in the Label view: an action of the shared keymap, or a class hotkey.
 * Without Ctrl/Cmd, Shift is part of the character typed ('?', '{', '+'), so only the key counts.
 */
export function commandForKey(press: KeyPress, classByHotkey: ReadonlyMap<string, ClassDto>): KeyCommand | null {
  if (press.altKey) return null;
  const mod = press.ctrlKey || press.metaKey;
  const key = normalise(press.key);
  for (const binding of LABEL_KEYMAP) {
    if (!binding.keys.includes(key)) continue;
    if (mod !== (binding.mod ?? false)) continue;
    if (mod && press.shiftKey !== (binding.shift ?? false)) continue;
    return { kind: 'action', action: binding.action };
  }
  if (mod) return null;
  const target = classByHotkey.get(key);
  return target ? { kind: 'class', classId: target.id } : null;
}

const TEXT_INPUT_TYPES = new Set(['checkbox', 'radio', 'button', 'submit', 'reset', 'color', 'file', 'image']);

/** True while the person types into a field: the Label view's keys must then leave the keys alone. */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  if (target instanceof HTMLInputElement) return !TEXT_INPUT_TYPES.has(target.type);
  return false;
}

/** Space and Enter on a focused button press that button, as everywhere else. */
export function isButtonActivation(target: EventTarget | null, key: string): boolean {
  if (key !== ' ' && key !== 'Enter') return false;
  return (
    target instanceof HTMLButtonElement ||
    target instanceof HTMLAnchorElement ||
    (target instanceof HTMLElement && target.tagName === 'SUMMARY')
  );
}

/** How a binding is written in the keyboard map. */
export function keyLabel(key: string): string {
  switch (key) {
    case ' ':
      return 'Space';
    case 'ArrowLeft':
      return '←';
    case 'ArrowRight':
      return '→';
    case 'Backspace':
      return 'Backspace';
    default:
      return key;
  }
}
