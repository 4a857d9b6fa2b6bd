import { describe, expect, it } from 'vitest';
import { projectArgument } from './launch-args.js';

describe('a project given on the command line', () => {
  it('is the first argument that is not a switch, resolved from where the app started', () => {
    expect(projectArgument(['/opt/VSSL Studio/vssl-studio', '/data/birds'], true, '/home/me')).toBe('/data/birds');
    expect(projectArgument(['/opt/VSSL Studio/vssl-studio', '--no-sandbox', 'birds'], true, '/home/me')).toBe('/home/me/birds');
    expect(projectArgument(['/usr/bin/electron', '/src/vssl', '--inspect', 'P'], false, '/work')).toBe('/work/P');
  });

  it('is none when only the app (and switches) were given', () => {
    expect(projectArgument(['/opt/VSSL Studio/vssl-studio'], true, '/')).toBeNull();
    expect(projectArgument(['/usr/bin/electron', '/src/vssl', '--enable-logging'], false, '/')).toBeNull();
  });
});
