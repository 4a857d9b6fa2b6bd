import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AnomalyMarkDto, AnomalyRunDto, AnomalyScoresDto } from '../../src-main/shared/anomaly.js';
import { boxAt, decodeFrameBoxes } from '../../src-main/shared/anomaly-boxes.js';
import type { VideoDto } from '../../src-main/shared/dto.js';
import { ANOMALY_FOOTAGE, expect, test } from '../fixtures/anomaly-view-project.js';
import { callApi } from './fixtures/label-project.js';
import { AnomalyPage } from './pages/anomaly-page.js';

/** A tiny SSMTL run (16×16 tubes, width 4, depth 2, one epoch on 64 tubes of 80-pixel frames): seconds on wasm. */
const TINY = {
  Epochs: '1',
  'Training tubes (at most)': '64',
  'Tube size (px)': '16',
  'Frame long side (px)': '80',
  Width: '4',
  Depth: '2',
  'Batch size': '8',
};

test('train on normal footage, score a video, follow playback on the curve, and mark an event that survives a reload', async ({
  app,
  vssl,
}) => {
  test.setTimeout(120_000);
  const page = app.page;
  const anomaly = new AnomalyPage(page);
  const { normal, reversed, fps } = ANOMALY_FOOTAGE;

  await app.goTo('Anomaly');
  await test.step('with no normal footage and no run, the view says what to do first', async () => {
    await expect(anomaly.heading()).toBeVisible();
    await expect(anomaly.noRun()).toContainText('No anomaly run yet');
    await expect(anomaly.normalFootage()).toHaveText('No footage is marked normal yet.');
    await expect(anomaly.startBlocker()).toContainText('Mark footage normal first');
  });

  await test.step('mark the normal video normal from its row', async () => {
    await anomaly.videoRow(normal.file).getByRole('button', { name: `Mark ${normal.file} normal` }).click();
    await expect(anomaly.normalFootage()).toHaveText(`${normal.frames} frames marked normal in 1 video (1 interval).`);
    await expect(anomaly.videoRow(normal.file)).toContainText('1 normal');
  });

  await anomaly.train(TINY);
  const run = await test.step('the run trains in the background and finishes with a loss chart', async () => {
    await expect(anomaly.runRow().getByTestId('anomaly-run-status')).toHaveText('Finished', { timeout: 90_000 });
    await expect(anomaly.lossChart()).not.toHaveAttribute('data-points', '0');
    const runs = await callApi<AnomalyRunDto[]>(page.request, vssl, 'anomaly:runs', {});
    expect(runs).toHaveLength(1);
    expect(runs[0]?.normal.frames).toBe(normal.frames);
    return runs[0] as AnomalyRunDto;
  });

  await test.step('export the trained detector as ONNX from its run row: model.onnx, README and metadata', async () => {
    const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'vssl-e2e-anomaly-export-'));
    try {
      await page.getByRole('button', { name: `Export the model of anomaly run ${run.id}`, exact: true }).click();
      const dialog = page.getByRole('dialog', { name: 'Export model' });
      await dialog.getByRole('radio', { name: 'A folder on the server' }).check();
      await dialog.getByRole('radio', { name: /^ONNX/ }).check();
      await dialog.getByRole('button', { name: 'Browse for parent folder' }).click();
      const picker = page.getByRole('dialog', { name: 'Parent folder' });
      const pathBox = picker.getByRole('textbox', { name: 'Folder path' });
      await pathBox.fill(parent);
      await pathBox.press('Enter');
      await expect(pathBox).toHaveValue(parent);
      await picker.getByRole('button', { name: 'Choose this folder' }).click();
      await dialog.getByRole('button', { name: 'Export', exact: true }).click();
      const target = path.join(parent, `anomaly-model-run-${run.id}`);
      await expect(dialog.getByTestId('model-export-summary')).toContainText(target);
      expect(fs.readdirSync(target).sort()).toEqual(['README.md', 'metadata.json', 'model.onnx']);
      const metadata = JSON.parse(fs.readFileSync(path.join(target, 'metadata.json'), 'utf8')) as { format: string; onnx: { inputs: { name: string }[] } };
      expect(metadata).toMatchObject({ format: 'vssl-anomaly-model', onnx: { inputs: [{ name: 'tubes' }] } });
      await dialog.getByRole('button', { name: 'Close', exact: true }).last().click();
      await expect(dialog).toBeHidden();
    } finally {
      fs.rmSync(parent, { recursive: true, force: true });
    }
  });

  const videos = await callApi<VideoDto[]>(page.request, vssl, 'videos:list', {});
  const reversedId = videos.find((video) => video.name === reversed.file)?.id ?? 0;

  await test.step('score the video with a reversed stretch: its curve and events appear', async () => {
    await anomaly.openVideo(reversed.file);
    await expect(anomaly.notScored()).toContainText(`Run #${run.id} has not scored this video yet`);
    await anomaly.notScored().getByRole('button', { name: 'Score this video' }).click();
    await expect(anomaly.curve()).toHaveAttribute('data-frame-count', String(reversed.frames), { timeout: 60_000 });
    // The frame count comes from the video's timing before the curve does: the sampling line shows once the curve is loaded.
    await expect(page.getByTestId('anomaly-sampling')).toBeVisible({ timeout: 60_000 });
    await expect(anomaly.events().first()).toBeVisible();
    // Each event names the region that made its peak's score.
    await expect(anomaly.events().first().getByTestId('anomaly-event-box')).toHaveText(/^region \d+×\d+ at \(\d+, \d+\)$/);
    await expect(anomaly.videoRow(reversed.file)).toHaveAttribute('data-scored', 'true');
    await expect(anomaly.breakdown()).toContainText('Arrow of time');
  });

  await test.step('the curve and its events read in time: a seconds axis, start–end and length, and what the model saw', async () => {
    const ticks = page.getByTestId('anomaly-curve-axis').locator('.tick');
    // 200 frames at 25 fps: 8 s, labelled from 0 s at a round step.
    await expect(ticks.first()).toHaveText('0 s');
    const labels = await ticks.allTextContents();
    expect(labels.length).toBeGreaterThanOrEqual(3);
    for (const label of labels) expect(label).toMatch(/^\d+(\.\d)? s$/);
    const seconds = labels.map((label) => Number.parseFloat(label));
    expect(seconds.at(-1)).toBeLessThanOrEqual(reversed.frames / fps);
    expect(new Set(seconds.slice(1).map((t, i) => (t - seconds[i]!).toFixed(3))).size).toBe(1);
    const eventTime = anomaly.events().first().getByTestId('anomaly-event-time');
    await expect(eventTime).toHaveText(/^0:\d\d\.\d–0:\d\d\.\d\s+·\s+\d+(\.\d)? s\s+·\s+frames\s+\d+–\d+$/);
    // 25 fps footage: every 3rd frame is scored (8.33 a second), windows 0.6 s apart, σ 0.8 s.
    await expect(page.getByTestId('anomaly-sampling')).toHaveText('Model saw 8.33 fps (1 frame in 3 of 25 fps) · windows every 0.6 s · smoothed σ 0.8 s');
    await expect(page.locator('#anomaly-merge-gap')).toHaveAttribute('placeholder', '0.5');
  });

  await test.step('the playhead on the curve follows seeks: clicking the curve seeks the video to that frame', async () => {
    await expect.poll(() => anomaly.video().evaluate((element) => (element as HTMLVideoElement).readyState)).toBeGreaterThanOrEqual(2);
    await anomaly.clickCurveAt(0.75);
    const target = Math.floor(0.75 * reversed.frames);
    await expect.poll(() => anomaly.curveFrame()).toBeGreaterThanOrEqual(target - 1);
    await expect.poll(() => anomaly.curveFrame()).toBeLessThanOrEqual(target + 1);
    const shown = await anomaly.curveFrame();
    await expect.poll(() => anomaly.videoFrame(fps)).toBe(shown);
    await expect(anomaly.breakdown()).toHaveAttribute('data-frame', String(shown));
  });

  await test.step('the playhead follows playback without repainting the curve', async () => {
    await anomaly.clickCurveAt(0.02);
    await expect.poll(() => anomaly.curveFrame()).toBeLessThan(10);
    const paints = await anomaly.curvePaints();
    const start = await anomaly.curveFrame();
    const regionBox = page.getByTestId('anomaly-region-box');
    const drawn = new Set<string>();
    await page.keyboard.press('Space');
    // The region box moves with playback: the street's boxes drive right, so the top region changes.
    await expect
      .poll(async () => {
        drawn.add((await regionBox.getAttribute('data-box')) ?? '');
        return drawn.size;
      }, { timeout: 15_000 })
      .toBeGreaterThan(2);
    await expect.poll(() => anomaly.curveFrame(), { timeout: 15_000 }).toBeGreaterThan(start + 10);
    await page.keyboard.press('Space');
    // Paused: the curve's frame and the video's frame settle on the same frame.
    await expect.poll(async () => (await anomaly.curveFrame()) === (await anomaly.videoFrame(fps))).toBe(true);
    const frame = await anomaly.curveFrame();
    const box = await anomaly.curve().boundingBox();
    const transform = await anomaly.playhead().evaluate((element) => getComputedStyle(element).transform);
    const x = Number(/matrix\(([^)]+)\)/.exec(transform)?.[1]?.split(',')[4] ?? NaN);
    expect(Math.abs(x - ((frame + 0.5) * (box?.width ?? 0)) / reversed.frames)).toBeLessThan(2);
    expect(await anomaly.curvePaints()).toBe(paints);
  });

  await test.step('the box of the region behind the frame’s score is drawn over the picture, scaled to it, and can be hidden', async () => {
    const overlay = page.getByTestId('anomaly-region-overlay');
    await expect(overlay).toHaveAttribute('data-frame', String(await anomaly.curveFrame()));
    const scores = await callApi<AnomalyScoresDto>(page.request, vssl, 'anomaly:scores', { runId: run.id, videoId: reversedId });
    const frames = decodeFrameBoxes(scores.boxes?.frames ?? '');
    const expected = boxAt(frames, await anomaly.curveFrame());
    const [x, y, w, h] = ((await page.getByTestId('anomaly-region-box').getAttribute('data-box')) ?? '').split(',').map(Number);
    expect({ x, y, w, h }).toEqual(expected);
    // On screen: inside the shown picture, at the picture's scale (160×120 street, letterboxed in the pane).
    const video = await anomaly.video().boundingBox();
    const rect = await page.getByTestId('anomaly-region-box').boundingBox();
    const scale = Math.min((video?.width ?? 0) / 160, (video?.height ?? 0) / 120);
    const left = (video?.x ?? 0) + ((video?.width ?? 0) - 160 * scale) / 2;
    const top = (video?.y ?? 0) + ((video?.height ?? 0) - 120 * scale) / 2;
    expect(Math.abs((rect?.x ?? 0) - (left + (x ?? 0) * scale))).toBeLessThan(3);
    expect(Math.abs((rect?.y ?? 0) - (top + (y ?? 0) * scale))).toBeLessThan(3);
    expect(Math.abs((rect?.width ?? 0) - (w ?? 0) * scale)).toBeLessThan(4);
    await page.getByTestId('anomaly-region-toggle').uncheck();
    await expect(overlay).toHaveCount(0);
    await page.getByTestId('anomaly-region-toggle').check();
    await expect(overlay).toHaveCount(1);
  });

  const event = anomaly.events().first();
  const startFrame = Number(await event.getAttribute('data-start-frame'));
  const endFrame = Number(await event.getAttribute('data-end-frame'));
  const peakFrame = Number(await event.getAttribute('data-peak-frame'));

  await test.step('→ jumps to the first event’s peak; clicking an event seeks there too', async () => {
    await anomaly.clickCurveAt(0.001);
    await expect.poll(() => anomaly.curveFrame()).toBe(0);
    if (peakFrame > 0) {
      await page.keyboard.press('ArrowRight');
      await expect.poll(() => anomaly.curveFrame()).toBe(peakFrame);
    }
    await anomaly.clickCurveAt(0.99);
    await event.getByRole('button', { name: /^Go to event 1/ }).click();
    await expect.poll(() => anomaly.curveFrame()).toBe(peakFrame);
    await expect.poll(() => anomaly.videoFrame(fps)).toBe(peakFrame);
  });

  await test.step('mark the event anomalous; Ctrl+Z takes it back and Ctrl+Shift+Z brings it again', async () => {
    await event.getByRole('button', { name: 'Mark event 1 anomalous' }).click();
    await expect(event.getByTestId('anomaly-event-mark')).toHaveText('Marked anomaly');
    await expect(anomaly.marks()).toHaveCount(1);
    await expect(anomaly.curve()).toHaveAttribute('data-marks', '1');
    await page.keyboard.press('Control+z');
    await expect(anomaly.marks()).toHaveCount(0);
    await expect(anomaly.notice()).toContainText('Undone');
    await page.keyboard.press('Control+Shift+z');
    await expect(anomaly.marks()).toHaveCount(1);
  });

  await test.step('with ground truth from the mark, the AUC panel shows micro and macro AUC, AUC-PR and the best-F1 threshold', async () => {
    await expect(anomaly.auc().getByTestId('anomaly-auc-micro')).toHaveText(/^[01]\.\d{3}$/);
    await expect(anomaly.auc().getByTestId('anomaly-auc-macro')).toHaveText(/^[01]\.\d{3}$/);
    await expect(anomaly.auc().getByTestId('anomaly-auc-pr')).toHaveText(/^[01]\.\d{3}$/);
    await expect(anomaly.auc().getByTestId('anomaly-best-f1')).toHaveText(
      /^[01]\.\d{3} at score ≥ -?[\d.e+-]+ \(precision [01]\.\d{3}, recall [01]\.\d{3}\)$/,
    );
    // "Use on the curve" moves the video's threshold there (clamped to the curve's range).
    const best = Number((await anomaly.auc().getByTestId('anomaly-best-f1').textContent())?.match(/≥ (\S+)/)?.[1]);
    const slider = page.locator('#anomaly-threshold');
    const [low, high] = [Number(await slider.getAttribute('min')), Number(await slider.getAttribute('max'))];
    await anomaly.auc().getByRole('button', { name: 'Use on the curve' }).click();
    // The text shows 3 significant digits and the slider moves in steps of 1/1000 of the range.
    const tolerance = Math.abs(best) * 0.005 + (high - low) / 500;
    const target = Math.min(high, Math.max(low, best));
    await expect.poll(async () => Math.abs(Number(await slider.inputValue()) - target)).toBeLessThanOrEqual(tolerance);
  });

  await test.step('after a reload the mark is still listed, drawn and returned by the API', async () => {
    await page.reload();
    await app.goTo('Anomaly');
    await anomaly.openVideo(reversed.file);
    const mark = anomaly.marks().first();
    await expect(mark).toHaveAttribute('data-kind', 'anomaly');
    await expect(mark).toHaveAttribute('data-start-frame', String(startFrame));
    await expect(mark).toHaveAttribute('data-end-frame', String(endFrame + 1));
    await expect(anomaly.curve()).toHaveAttribute('data-marks', '1');
    await expect(anomaly.events().first().getByTestId('anomaly-event-mark')).toHaveText('Marked anomaly');
    const stored = await callApi<AnomalyMarkDto[]>(page.request, vssl, 'anomaly:marks:list', { videoId: reversedId });
    expect(stored.map(({ startFrame: s, endFrame: e, kind }) => ({ s, e, kind }))).toEqual([{ s: startFrame, e: endFrame + 1, kind: 'anomaly' }]);
  });

  await test.step('I and O select frames at the playhead; N marks them normal', async () => {
    await anomaly.clickCurveAt(0.01);
    const from = await anomaly.curveFrame();
    await page.keyboard.press('i');
    for (let i = 0; i < 5; i++) await page.keyboard.press('.');
    await expect.poll(() => anomaly.curveFrame()).toBe(from + 5);
    await page.keyboard.press('o');
    await expect(page.getByTestId('anomaly-selection')).toHaveText(`frames ${from}–${from + 5}`);
    await page.keyboard.press('n');
    await expect(page.locator('[data-testid="anomaly-mark"][data-kind="normal"]')).toHaveCount(1);
    const stored = await callApi<AnomalyMarkDto[]>(page.request, vssl, 'anomaly:marks:list', { videoId: reversedId, kind: 'normal' });
    expect(stored.map((m) => [m.startFrame, m.endFrame])).toEqual([[from, from + 6]]);
  });

  expect(app.pageErrors).toEqual([]);
});
