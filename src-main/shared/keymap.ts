/**
 * The Label view's keyboard map: one list shared by the core (which keeps class hotkeys off
 * these keys) and the UI (which binds them and shows them in the `?` overlay).
 */
export interface KeyBinding {
  /** KeyboardEvent.key values that trigger it (lower-case letters). */
  keys: readonly string[];
  /** Needs Ctrl (or Cmd on macOS). */
  mod?: boolean;
  shift?: boolean;
  action: LabelAction;
  description: string;
}

export type LabelAction =
  | 'play-pause'
  | 'frame-back'
  | 'frame-forward'
  | 'clip-previous'
  | 'clip-next'
  | 'next-unlabelled'
  | 'loop'
  | 'slower'
  | 'faster'
  | 'remove-label'
  | 'draw-segment'
  | 'whole-video'
  | 'nudge-start-back'
  | 'nudge-start-forward'
  | 'nudge-end-back'
  | 'nudge-end-forward'
  | 'split'
  | 'merge-next'
  | 'delete-segment'
  | 'accept-prediction'
  | 'undo'
  | 'redo'
  | 'help';

export const LABEL_KEYMAP: readonly KeyBinding[] = [
  { keys: [' ', 'k'], action: 'play-pause', description: 'Play / pause' },
  { keys: [','], action: 'frame-back', description: 'One frame back' },
  { keys: ['.'], action: 'frame-forward', description: 'One frame forward' },
  { keys: ['ArrowLeft'], action: 'clip-previous', description: 'Previous clip' },
  { keys: ['ArrowRight'], action: 'clip-next', description: 'Next clip' },
  { keys: ['n'], action: 'next-unlabelled', description: 'Next unlabelled clip' },
  { keys: ['l'], action: 'loop', description: 'Loop the current clip on / off' },
  { keys: ['-', 'j'], action: 'slower', description: 'Slower (down to 0.25×)' },
  { keys: ['=', '+'], action: 'faster', description: 'Faster (up to 4×)' },
  { keys: ['0', 'Backspace'], action: 'remove-label', description: 'Remove the clip’s label' },
  { keys: ['d'], action: 'draw-segment', description: 'Start / end a segment at the playhead' },
  { keys: ['w'], action: 'whole-video', description: 'Make a segment covering the whole video' },
  { keys: ['['], action: 'nudge-start-back', description: 'Move the segment’s start one frame earlier' },
  { keys: [']'], action: 'nudge-start-forward', description: 'Move the segment’s start one frame later' },
  { keys: ['{'], shift: true, action: 'nudge-end-back', description: 'Move the segment’s end one frame earlier' },
  { keys: ['}'], shift: true, action: 'nudge-end-forward', description: 'Move the segment’s end one frame later' },
  { keys: ['s'], action: 'split', description: 'Split the clip at the playhead' },
  { keys: ['m'], action: 'merge-next', description: 'Merge the clip with the next one' },
  { keys: ['Delete'], action: 'delete-segment', description: 'Delete the clip' },
  { keys: ['Enter'], action: 'accept-prediction', description: 'Accept the model’s prediction for the clip (as in Review)' },
  { keys: ['z'], mod: true, action: 'undo', description: 'Undo' },
  { keys: ['z'], mod: true, shift: true, action: 'redo', description: 'Redo' },
  { keys: ['y'], mod: true, action: 'redo', description: 'Redo' },
  { keys: ['?'], shift: true, action: 'help', description: 'Show this keyboard map' },
];

/** Single letters the map uses without a modifier (and `x`, kept for Review's reject). */
export const RESERVED_LABEL_KEYS: ReadonlySet<string> = new Set([
  ...LABEL_KEYMAP.filter((b) => !b.mod)
    .flatMap((b) => b.keys)
    .filter((key) => /^[a-z]$/.test(key)),
  'x',
]);

/** Hotkeys handed to new classes in order: 1–9, then the letters no action uses. */
export const CLASS_HOTKEY_ORDER: readonly string[] = [
  ...'123456789',
  ...'abcdefghijklmnopqrstuvwxyz'.split('').filter((key) => !RESERVED_LABEL_KEYS.has(key)),
];
