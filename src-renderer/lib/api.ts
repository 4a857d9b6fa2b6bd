import { pickTransport } from './transport/pick-transport.js';

/** The one transport this page uses, chosen once at start. */
export const api = pickTransport();
