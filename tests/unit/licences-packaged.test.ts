import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import config from '../../electron.config.js';
import { Core } from '../../src-main/core/core.js';
import { licencesFolder, readLicenceNotices } from '../../src-main/core/licences/licence-notices.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const require = createRequire(import.meta.url);

/** The first line of `-version` of the binary npm installed (not one on the PATH). */
function bundledVersion(pkg: '@ffmpeg-installer/ffmpeg' | '@ffprobe-installer/ffprobe'): string {
  const bin = (require(pkg) as { path: string }).path;
  return execFileSync(bin, ['-version'], { encoding: 'utf8' }).split('\n')[0]!;
}

describe('licences in the packaged app', () => {
  it('copies resources/LICENSES into the package as LICENSES/ (electron-builder extraResources)', () => {
    expect(config.extraResources).toContainEqual(expect.objectContaining({ from: 'resources/LICENSES', to: 'LICENSES' }));
    const folder = path.join(ROOT, 'resources', 'LICENSES');
    expect(fs.readdirSync(folder).sort()).toEqual(['FFMPEG.txt', 'GPL-3.0.txt', 'LGPL-2.1.txt']);
    const gpl = fs.readFileSync(path.join(folder, 'GPL-3.0.txt'), 'utf8');
    expect(gpl).toContain('GNU GENERAL PUBLIC LICENSE');
    expect(gpl).toContain('Version 3, 29 June 2007');
    expect(gpl).toContain('END OF TERMS AND CONDITIONS');
  });

  it('the ffmpeg notice names the builds npm installed, where their source is, and the written offer', () => {
    const notice = fs.readFileSync(path.join(ROOT, 'resources', 'LICENSES', 'FFMPEG.txt'), 'utf8');
    for (const pkg of ['@ffmpeg-installer/linux-x64', '@ffprobe-installer/linux-x64']) {
      const { version } = require(`${pkg}/package.json`) as { version: string };
      expect(notice.replace(/\s+/g, ' '), pkg).toContain(`${pkg} ${version}`);
    }
    expect(notice).toContain('https://git.ffmpeg.org/ffmpeg.git');
    expect(notice).toContain('https://ffmpeg.org/releases/');
    expect(notice).toContain('Written offer');
    expect(notice).toContain('GNU GPL version 3, section 6');
  });

  it.skipIf(process.platform !== 'linux' || process.arch !== 'x64')(
    'quotes the exact version line the Linux x64 binaries print (so an upgrade without a new notice fails here)',
    () => {
      const notice = fs.readFileSync(path.join(ROOT, 'resources', 'LICENSES', 'FFMPEG.txt'), 'utf8').replace(/\s+/g, ' ');
      for (const pkg of ['@ffmpeg-installer/ffmpeg', '@ffprobe-installer/ffprobe'] as const) {
        const version = /^(ffmpeg|ffprobe) version (\S+)/.exec(bundledVersion(pkg));
        expect(version, pkg).not.toBeNull();
        expect(notice).toContain(`"${version![1]} version ${version![2]}"`);
      }
    },
  );

  it('finds the folder beside a packaged app first, else in the checkout, and serves it through app:notices', async () => {
    const resources = fs.mkdtempSync(path.join(os.tmpdir(), 'vssl-resources-'));
    try {
      fs.mkdirSync(path.join(resources, 'LICENSES'));
      fs.writeFileSync(path.join(resources, 'LICENSES', 'FFMPEG.txt'), 'Packaged notice\n');
      expect(licencesFolder(resources)).toBe(path.join(resources, 'LICENSES'));
      expect(licencesFolder(path.join(resources, 'elsewhere'))).toBe(path.join(ROOT, 'resources', 'LICENSES'));
      expect(() => readLicenceNotices(null)).toThrow('The LICENSES folder is missing');
    } finally {
      fs.rmSync(resources, { recursive: true, force: true });
    }
    const core = new Core({ mode: 'web', userDataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'vssl-user-')) });
    try {
      const { folder, notices } = await core.call('app:notices', {});
      expect(folder).toBe(path.join(ROOT, 'resources', 'LICENSES'));
      expect(notices.map((n) => [n.file, n.title])).toEqual([
        ['FFMPEG.txt', 'FFmpeg and FFprobe in VSSL Studio'],
        ['GPL-3.0.txt', 'GNU GENERAL PUBLIC LICENSE'],
        ['LGPL-2.1.txt', 'GNU LESSER GENERAL PUBLIC LICENSE'],
      ]);
    } finally {
      await core.close();
    }
  });
});
