/** One entry of a view's key help line: the keys as written, and what they do. */
export interface KeyHelpEntry {
  keys: string;
  what: string;
}
