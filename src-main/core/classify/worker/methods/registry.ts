/**
 * Every method's module, by name: the loop, the step and the thread split read a method from here alone.
 * Typed by the declared methods (shared/methods), so a declared method without a module does not compile.
 */
import type { TrainingMethod } from '../../../../shared/training.js';
import { fixMatchMethod } from './fixmatch.js';
import { flexMatchMethod } from './flexmatch.js';
import { freeMatchMethod } from './freematch.js';
import type { MethodModule } from './method-module.js';
import { mvplMethod } from './mvpl.js';
import { pseudoLabelMethod } from './pseudo-label.js';
import { supervisedMethod } from './supervised.js';
import { tclMethod } from './tcl.js';
import { upsMethod } from './ups.js';
import { videoSslMethod } from './videossl.js';

const METHOD_MODULES: Record<TrainingMethod, MethodModule> = {
  supervised: supervisedMethod,
  pseudolabel: pseudoLabelMethod,
  fixmatch: fixMatchMethod,
  flexmatch: flexMatchMethod,
  freematch: freeMatchMethod,
  mvpl: mvplMethod,
  ups: upsMethod,
  tcl: tclMethod,
  videossl: videoSslMethod,
};

export function methodModule(name: TrainingMethod): MethodModule {
  return METHOD_MODULES[name];
}
