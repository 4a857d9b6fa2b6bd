/**
 * Keys the Label view uses for its own actions; class hotkeys must not take them.
 * One list shared by the core (which validates hotkeys) and the UI (which binds them).
 */
export const RESERVED_LABEL_KEYS: ReadonlySet<string> = new Set([
  'n', // next unlabelled clip
  'l', // loop the current clip
  's', // split at the playhead
  'm', // merge with the next clip
  'x', // reject (review)
  'j', // slower
  'k', // play / pause
  'd', // draw a segment
]);

/** Hotkeys handed to new classes in order: 1–9, then the letters no action uses. */
export const CLASS_HOTKEY_ORDER: readonly string[] = [
  ...'123456789',
  ...'abcdefghijklmnopqrstuvwxyz'.split('').filter((key) => !RESERVED_LABEL_KEYS.has(key)),
];
