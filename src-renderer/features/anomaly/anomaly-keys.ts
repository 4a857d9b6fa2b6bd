import type { KeyHelpEntry } from '../common/key-help.js';
import type { KeyPress } from '../label/label-keys.js';

/** What a key does in the Anomaly view. */
export type AnomalyCommand =
  | { kind: 'play-pause' }
  | { kind: 'step'; delta: number }
  | { kind: 'event'; delta: 1 | -1 }
  | { kind: 'mark-in' }
  | { kind: 'mark-out' }
  | { kind: 'clear-selection' }
  | { kind: 'mark'; as: 'anomaly' | 'normal' }
  | { kind: 'undo' }
  | { kind: 'redo' };

/** The Anomaly view's keyboard map as its help line shows it. */
export const ANOMALY_KEY_HELP: readonly KeyHelpEntry[] = [
  { keys: 'Space', what: 'play / pause' },
  { keys: ', .', what: 'frame step' },
  { keys: '← →', what: 'previous / next event' },
  { keys: 'I O', what: 'select from / to the playhead' },
  { keys: 'Shift+drag', what: 'select on the curve' },
  { keys: 'A N', what: 'mark the selection (or the event at the playhead) anomalous / normal' },
  { keys: 'Esc', what: 'clear the selection' },
  { keys: 'Ctrl+Z', what: 'undo (Ctrl+Shift+Z redo)' },
];

/**
 * What a key press does in the Anomaly view. Without Ctrl/Cmd, Shift is part of the character
 * typed, so only the key counts; with it, only Z (undo), Shift+Z and Y (redo) mean anything.
 */
export function anomalyCommandForKey(press: KeyPress): AnomalyCommand | null {
  if (press.altKey) return null;
  const key = press.key.length === 1 ? press.key.toLowerCase() : press.key;
  if (press.ctrlKey || press.metaKey) {
    if (key === 'z') return press.shiftKey ? { kind: 'redo' } : { kind: 'undo' };
    if (key === 'y' && !press.shiftKey) return { kind: 'redo' };
    return null;
  }
  switch (key) {
    case ' ':
    case 'k':
      return { kind: 'play-pause' };
    case ',':
      return { kind: 'step', delta: -1 };
    case '.':
      return { kind: 'step', delta: 1 };
    case 'ArrowLeft':
      return { kind: 'event', delta: -1 };
    case 'ArrowRight':
      return { kind: 'event', delta: 1 };
    case 'i':
      return { kind: 'mark-in' };
    case 'o':
      return { kind: 'mark-out' };
    case 'Escape':
      return { kind: 'clear-selection' };
    case 'a':
      return { kind: 'mark', as: 'anomaly' };
    case 'n':
      return { kind: 'mark', as: 'normal' };
  }
  return null;
}
