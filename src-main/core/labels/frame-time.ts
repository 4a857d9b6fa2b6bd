/**
 * Frame/time maths live in the shared contract so the renderer's player and timeline use the
 * very functions that cut and store clips; the core imports them from here as before.
 */
export * from '../../shared/frame-time.js';
