import { isButtonActivation, isTypingTarget } from '../label/label-keys.js';

/**
 * True when a key press is not the view's to handle: already handled, part of a composition, typed
 * into a field (Escape there leaves the field), meant for an open dialog, or a focused button's own
 * Space / Enter. The Review and Anomaly views' keyboard maps run only when this is false.
 */
export function keyBelongsElsewhere(event: KeyboardEvent): boolean {
  if (event.defaultPrevented || event.isComposing) return true;
  if (isTypingTarget(event.target)) {
    if (event.key === 'Escape' && !document.querySelector('dialog[open]')) (event.target as HTMLElement).blur();
    return true;
  }
  if (document.querySelector('dialog[open]')) return true;
  return isButtonActivation(event.target, event.key);
}
