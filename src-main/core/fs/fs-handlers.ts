import type { HandlerGroup } from '../api/handler-types.js';
import { listDirectory } from './list-directory.js';

export function fsHandlers(): HandlerGroup<'fs:list'> {
  return { 'fs:list': ({ path }) => listDirectory(path) };
}
