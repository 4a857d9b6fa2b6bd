/**
 * Frame/time maths live in src-main/shared/frame-time.ts alone; import them from there.
 *
 * This bridge is left only for core/runs/standalone-predict.ts, which is being moved by another
 * part of issue 17 and must not be edited here meanwhile: when its move lands importing
 * shared/frame-time.ts, delete this file.
 */
export { timeOfFrame } from '../../shared/frame-time.js';
