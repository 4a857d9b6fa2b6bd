import type { ClassDto } from '../../../src-main/shared/dto.js';
import type { KeyHelpEntry } from '../common/key-help.js';
import type { KeyPress } from '../label/label-keys.js';

/** What a key does in the Review view. */
export type ReviewCommand =
  | { kind: 'accept' }
  | { kind: 'correct'; classId: number }
  | { kind: 'reject' }
  | { kind: 'skip' }
  | { kind: 'back' }
  | { kind: 'undo' }
  | { kind: 'play-pause' }
  | { kind: 'help' };

/** The Review view's keyboard map as the help line shows it (class hotkeys come from the classes). */
export const REVIEW_KEY_HELP: readonly KeyHelpEntry[] = [
  { keys: 'Enter', what: 'accept the prediction' },
  { keys: 'class key', what: 'correct to that class' },
  { keys: 'X', what: 'reject: not this class' },
  { keys: '→', what: 'skip' },
  { keys: '←', what: 'back' },
  { keys: 'Ctrl+Z', what: 'undo' },
  { keys: 'Space', what: 'play / pause' },
];

/**
 * What a key press does in the Review view: Enter accepts, X rejects, → skips, ← goes back,
 * Ctrl/Cmd+Z undoes, and a class hotkey corrects the clip to that class.
 */
export function reviewCommandForKey(press: KeyPress, classByHotkey: ReadonlyMap<string, ClassDto>): ReviewCommand | null {
  if (press.altKey) return null;
  const key = press.key.length === 1 ? press.key.toLowerCase() : press.key;
  if (press.ctrlKey || press.metaKey) return key === 'z' && !press.shiftKey ? { kind: 'undo' } : null;
  switch (key) {
    case 'Enter':
      return { kind: 'accept' };
    case 'x':
      return { kind: 'reject' };
    case 'ArrowRight':
      return { kind: 'skip' };
    case 'ArrowLeft':
      return { kind: 'back' };
    case ' ':
      return { kind: 'play-pause' };
    case '?':
      return { kind: 'help' };
  }
  const target = classByHotkey.get(key);
  return target ? { kind: 'correct', classId: target.id } : null;
}
