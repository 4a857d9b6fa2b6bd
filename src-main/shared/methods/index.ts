/**
 * Every training method, in the order the method picker lists them. Adding a method: declare it in a
 * module of this folder and list it here; the engine's registry (core/classify/worker/methods/registry.ts)
 * then asks for its loss by name.
 */
import { fixMatch } from './fixmatch.js';
import { flexMatch } from './flexmatch.js';
import { freeMatch } from './freematch.js';
import { mvpl } from './mvpl.js';
import { pseudoLabel } from './pseudo-label.js';
import { supervised } from './supervised.js';
import { tcl } from './tcl.js';
import { ups } from './ups.js';
import { videoSsl } from './videossl.js';

export const METHOD_DECLARATIONS = [supervised, pseudoLabel, fixMatch, flexMatch, freeMatch, mvpl, ups, tcl, videoSsl] as const;
