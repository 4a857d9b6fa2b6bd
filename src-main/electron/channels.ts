/** Names shared by the Electron main process and the preload. Imports nothing, so both may use it. */
export const EVENT_CHANNEL = 'vssl:event';
export const MEDIA_SCHEME = 'vssl-media';
