import { spawn } from 'node:child_process';
import net from 'node:net';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureCliBuilt, runCli, startServe, type CliRun, ROOT as root, CLI_BIN as bin } from '../../tests/fixtures/run-cli.js';
import { makeFakeVideo, makeVideo } from '../../tests/fixtures/make-videos.js';
import type { ImportSummary, VideoDto } from '../shared/dto.js';
import { latestSchemaVersion } from '../core/db/migrations.js';

let tmp: string;

/** Runs the compiled CLI in a fresh process, with this test's folder as its working directory. */
function vssl(...args: string[]): Promise<CliRun> {
  return runCli(tmp, ...args);
}

beforeAll(() => {
  ensureCliBuilt();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vssl-cli-'));
});

afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('vssl CLI', () => {
  it('init creates a project, and refuses to create it twice', async () => {
    const created = await vssl('init', 'bees', '--name', 'Bee hive');
    expect(created).toMatchObject({ code: 0, stderr: '' });
    expect(created.stdout).toBe(`Created project "Bee hive" in ${path.join(tmp, 'bees')}\n`);
    expect(fs.existsSync(path.join(tmp, 'bees', 'project.vssl'))).toBe(true);
    const again = await vssl('init', 'bees');
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^vssl: .*already holds a VSSL project.*\n$/);
  });

  it('init --json and videos --json print machine-readable results', async () => {
    const created = await vssl('init', 'json-project', '--json');
    expect(created.code).toBe(0);
    expect(JSON.parse(created.stdout)).toMatchObject({ name: 'json-project', videoCount: 0, schemaVersion: latestSchemaVersion });
    const listed = await vssl('videos', 'json-project', '--json');
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.stdout)).toEqual([]);
    const table = await vssl('videos', 'json-project');
    expect(table.stdout).toContain('No videos yet');
  });

  it('exits 2 with one line on stderr for bad usage', async () => {
    const cases = [[], ['frobnicate'], ['videos'], ['videos', 'a', 'b'], ['init', 'x', '--bogus'], ['serve', '--port', 'many'],
      ['serve', '--public-url', 'ftp://example.org/'], ['serve', '--public-url', 'https://example.org/api'], ['serve', '--allowed-host', 'a/b']];
    const runs = await Promise.all(cases.map((args) => vssl(...args)));
    for (const [i, run] of runs.entries()) {
      const args = cases[i]!;
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stdout, args.join(' ')).toBe('');
      expect(run.stderr, args.join(' ')).toMatch(/^vssl: [^\n]+\n$/);
    }
  });

  it('exits 1 with a clear line when the project folder does not exist or holds no project', async () => {
    const missing = await vssl('videos', 'no-such-folder');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe(`vssl: The folder ${path.join(tmp, 'no-such-folder')} does not exist.\n`);
    fs.mkdirSync(path.join(tmp, 'empty'));
    const empty = await vssl('videos', 'empty', '--json');
    expect(empty.code).toBe(1);
    expect(empty.stdout).toBe('');
    expect(empty.stderr).toMatch(/^vssl: .*is not a VSSL project.*\n$/);
  });

  it('prints help and the version', async () => {
    const help = await vssl('--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('vssl import DIR PATH...');
    const commandHelp = await vssl('import', '--help');
    expect(commandHelp.stdout).toContain('--no-recursive');
    const version = await vssl('--version');
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string };
    expect(version.stdout).toBe(`${pkg.version}\n`);
  });

  it('serve --json prints one JSON line, serves the API with the token and stops cleanly on SIGTERM', async () => {
    const child = spawn(process.execPath, [bin, 'serve', 'served', '--port', '0', '--json'], {
      cwd: tmp,
      env: { ...process.env, VSSL_USER_DATA: path.join(tmp, 'user') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const firstLine = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        if (stdout.includes('\n')) resolve(stdout.split('\n')[0]!);
      });
      child.on('exit', () => reject(new Error(`serve exited early: ${stderr}`)));
    });
    const info = JSON.parse(firstLine) as { url: string; port: number; token: string; host: string };
    expect(info.host).toBe('127.0.0.1');
    expect(info.url).toBe(`http://127.0.0.1:${info.port}/?token=${info.token}`);
    expect(info.token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    const refused = await fetch(`http://127.0.0.1:${info.port}/api/project:current`, { method: 'POST' });
    expect(refused.status).toBe(401);
    const answer = await fetch(`http://127.0.0.1:${info.port}/api/project:current`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${info.token}` },
    });
    expect(await answer.json()).toMatchObject({ result: { path: path.join(tmp, 'served') } });
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(stdout).toBe(`${firstLine}\n`);
    expect(fs.existsSync(path.join(tmp, 'served', 'project.vssl'))).toBe(true);
    // A clean close leaves no write-ahead log behind.
    expect(fs.existsSync(path.join(tmp, 'served', 'project.vssl-wal'))).toBe(false);
  });

  it('serve logs one line, not a stack trace, for each aborted upload', async () => {
    const { child, info, stderr, exited } = await startServe(tmp, 'aborted');
    for (let i = 0; i < 2; i++) {
      // Declares a 1 MB body, sends 1 KB of it, then hangs up.
      await new Promise<void>((resolve, reject) => {
        const socket = net.connect(info.port, '127.0.0.1', () => {
          socket.write(
            `POST /api/fs:list HTTP/1.1\r\nHost: 127.0.0.1:${info.port}\r\nAuthorization: Bearer ${info.token}\r\n` +
              `Content-Type: application/json\r\nContent-Length: 1048576\r\n\r\n${' '.repeat(1024)}`,
            () => setTimeout(() => socket.destroy(), 100),
          );
        });
        socket.on('close', () => resolve());
        socket.on('error', reject);
      });
    }
    const deadline = Date.now() + 5000;
    while (stderr().split('\n').filter(Boolean).length < 2 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    const line = 'vssl serve: the upload to /api/fs:list was aborted by the client.';
    expect(stderr()).toBe(`${line}\n${line}\n`);
  });

  it('import brings in videos (recursively unless told not to), reports failures and skips duplicates', async () => {
    const footage = path.join(tmp, 'footage');
    await makeVideo(path.join(footage, 'walk.mp4'), { seconds: 1 });
    await makeVideo(path.join(footage, 'old.avi'), { codec: 'mpeg4', seconds: 1 });
    await makeVideo(path.join(footage, 'deeper', 'run.webm'), { codec: 'vp9', seconds: 1 });
    makeFakeVideo(path.join(footage, 'notes.mp4'));
    expect((await vssl('init', 'library')).code).toBe(0);

    const shallow = await vssl('import', 'library', footage, '--no-recursive', '--json');
    expect(shallow.stderr).toBe('');
    expect(shallow.code).toBe(0);
    type Report = { state: string; import: ImportSummary; proxies: { made: number; failed: unknown[] } };
    const first = JSON.parse(shallow.stdout) as Report;
    expect(first.state).toBe('succeeded');
    expect(first.import).toMatchObject({ scanned: 3, imported: 2, duplicates: 0 });
    expect(first.import.failed).toEqual([{ path: path.join(footage, 'notes.mp4'), reason: expect.stringMatching(/not a video/) }]);
    // MPEG-4 part 2 in AVI does not play in the app's player: a proxy is made before import returns.
    expect(first.proxies).toEqual({ made: 1, failed: [] });

    const deep = await vssl('import', 'library', footage);
    expect(deep.code).toBe(0);
    expect(deep.stdout).toContain('Imported 1 video from 4 files: 2 duplicates skipped, 0 relinked, 1 failed.');
    expect(deep.stdout).toContain(`failed: ${path.join(footage, 'notes.mp4')}: not a video`);

    const listed = JSON.parse((await vssl('videos', 'library', '--json')).stdout) as VideoDto[];
    expect(listed.map((v) => [v.name, v.status]).sort()).toEqual([
      ['notes.mp4', 'failed'],
      ['old.avi', 'ready'],
      ['run.webm', 'ready'],
      ['walk.mp4', 'ready'],
    ]);
    const table = (await vssl('videos', 'library')).stdout;
    expect(table).toMatch(/walk\.mp4\s+1\.00s\s+25\s+160x120\s+h264\s+ready/);
  });

  it('import of a path that does not exist is bad usage (exit 2) and records nothing', async () => {
    expect((await vssl('init', 'empty-library')).code).toBe(0);
    const missing = path.join(tmp, 'nowhere', 'gone.mp4');
    const run = await vssl('import', 'empty-library', missing, '--json');
    expect(run).toMatchObject({ code: 2, stdout: '' });
    expect(run.stderr).toBe(`vssl: import: there is no file or folder ${JSON.stringify(missing)} (see "vssl import --help").\n`);
    expect(JSON.parse((await vssl('videos', 'empty-library', '--json')).stdout)).toEqual([]);
  });

  it('import exits 1 when every file failed, after printing what failed', async () => {
    expect((await vssl('init', 'failing-library')).code).toBe(0);
    const fake = path.join(tmp, 'fakes', 'bad.mp4');
    makeFakeVideo(fake);
    const run = await vssl('import', 'failing-library', fake);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`failed: ${fake}: not a video`);
    expect(run.stderr).toBe('vssl: nothing was imported: 1 file failed.\n');
  });

  it('videos marks a video whose file was renamed as missing', async () => {
    expect((await vssl('init', 'moved-library')).code).toBe(0);
    const file = await makeVideo(path.join(tmp, 'moved', 'before.mp4'), { seconds: 1, title: 'moved' });
    expect((await vssl('import', 'moved-library', file)).code).toBe(0);
    fs.renameSync(file, path.join(tmp, 'moved', 'after.mp4'));
    const listed = JSON.parse((await vssl('videos', 'moved-library', '--json')).stdout) as VideoDto[];
    expect(listed.map((v) => [v.name, v.status])).toEqual([['before.mp4', 'missing']]);
    expect((await vssl('videos', 'moved-library')).stdout).toMatch(/before\.mp4 .*missing\n$/);
  });
});
