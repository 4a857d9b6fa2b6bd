import { errorMessage } from '../lib/format.js';

export interface Toast {
  id: number;
  kind: 'error' | 'info';
  title: string;
  message: string;
  /** A button on the toast, e.g. Undo after removing videos. */
  action?: ToastAction;
}

export interface ToastAction {
  label: string;
  run: () => void;
}

const MAX_TOASTS = 5;
const INFO_LIFETIME_MS = 5_000;
/** Long enough to read the toast and reach its button (Undo is also in the history panel). */
const ACTION_LIFETIME_MS = 15_000;

/** Messages for the person: every API error ends up here or inline, never only in the console. */
class ToastsState {
  items = $state<Toast[]>([]);
  private nextId = 1;

  error(title: string, err: unknown): void {
    console.error(title, err);
    this.push({ kind: 'error', title, message: errorMessage(err) });
  }

  info(title: string, message = '', action?: ToastAction): void {
    const id = this.push({ kind: 'info', title, message, ...(action ? { action } : {}) });
    setTimeout(() => this.dismiss(id), action ? ACTION_LIFETIME_MS : INFO_LIFETIME_MS);
  }

  dismiss(id: number): void {
    this.items = this.items.filter((toast) => toast.id !== id);
  }

  private push(toast: Omit<Toast, 'id'>): number {
    const id = this.nextId++;
    this.items = [...this.items, { id, ...toast }].slice(-MAX_TOASTS);
    return id;
  }
}

export const toasts = new ToastsState();
