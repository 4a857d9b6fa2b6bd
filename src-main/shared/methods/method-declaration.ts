/**
 * What a training method is to the Train view, the CLI and the engine: its name and one-line idea, the
 * settings it reads (and the ones only it has, with their published defaults, see
 * shared/design/METHODS.md), and what a step's batch needs for it. Each method declares itself in one
 * module of this folder; the engine's worker pairs the declaration with the method's loss.
 */
import type { z } from 'zod';

/** What a step forwards of each unlabelled clip: nothing, a weak view, a weak and a strong view, or a weak view and the clip at double speed. */
export type UnlabelledViews = 'none' | 'weak' | 'weak+strong' | 'weak+double-speed';

/** A method as the UI sees it over the API: plain values only. */
export interface MethodInfo<Name extends string = string> {
  name: Name;
  title: string;
  /** One line a person reads in the method picker. */
  summary: string;
  /** Settings this method reads beyond the shared ones (the settings form shows them). */
  settings: readonly string[];
  usesUnlabelled: boolean;
  unlabelledViews: UnlabelledViews;
  /** Views each clip arrives in: 1 (colour), or MvPL's colour, temporal gradient and flow. */
  clipViews: 1 | 3;
  /** It distils an image model the person supplies (a teacher folder is required). */
  teacher: boolean;
  /** Its pseudo-label threshold is per class and moves during training (charted per epoch). */
  perClassThresholds: boolean;
}

export interface MethodDeclaration<Name extends string, Own extends z.ZodRawShape> extends MethodInfo<Name> {
  /** The settings only this method has, with their defaults. */
  own: Own;
  /** Rounds of `epochs` epochs a run trains, each from fresh weights (UPS); one when absent. */
  rounds?: (own: z.output<z.ZodObject<Own>>) => number;
}

/** Declares a method; the defaults say what most methods are (colour clips, one weak view, no teacher, one threshold). */
export function declareMethod<const Name extends string, Own extends z.ZodRawShape = Record<never, never>>(
  declaration: Pick<MethodDeclaration<Name, Own>, 'name' | 'title' | 'summary' | 'unlabelledViews'> & Partial<MethodDeclaration<Name, Own>>,
): MethodDeclaration<Name, Own> {
  return {
    settings: [],
    usesUnlabelled: declaration.unlabelledViews !== 'none',
    clipViews: 1,
    teacher: false,
    perClassThresholds: false,
    own: {} as Own,
    ...declaration,
  };
}
