import type { ClipDto, VideoDto } from '../../../src-main/shared/dto.js';
import type { LabelAction } from '../../../src-main/shared/keymap.js';
import { api } from '../../lib/api.js';
import { clips } from '../../state/clips.svelte.js';
import { labelSession } from '../../state/label-session.svelte.js';
import { labelStats } from '../../state/label-stats.svelte.js';
import { navigation } from '../../state/navigation.svelte.js';
import { toasts } from '../../state/toasts.svelte.js';
import {
  clipToEdit,
  clipUnderPlayhead,
  contains,
  nextClip,
  nextInLane,
  nextUnlabelled,
  previousClip,
} from './clip-navigation.js';
import { PlayerControl } from './player-control.svelte.js';
import { predictionAt, type LanePrediction } from './prediction-lane.js';
import { predictionLane } from './prediction-lane.svelte.js';

/** A clip to show once its video is open in the player. */
interface PendingJump {
  videoId: number;
  clip: ClipDto;
  play: boolean;
}

/**
 * What the Label view's keys and buttons do: one object per view, over the player it drives and
 * the shared label states.
 */
export class LabelController {
  readonly player = new PlayerControl();
  /** The clip a class key labels now. */
  current = $derived(clipUnderPlayhead(clips.items, this.player.frame, labelSession.selectedClipId));
  /** The clip nudge, split, merge and delete act on. */
  editTarget = $derived(clipToEdit(clips.items, this.player.frame, labelSession.selectedClipId));
  /** The model's prediction for the clip under the playhead (unlabelled clips only). */
  prediction: LanePrediction | null = $derived(predictionAt(predictionLane.lane, this.player.frame, this.current?.id ?? null));
  /** A short line saying what the last key did when it did nothing visible (or why not). */
  notice = $state('');

  private pendingJump: PendingJump | null = null;

  constructor(private readonly labellable: () => readonly VideoDto[]) {}

  /** Called when the player has a video: carries out a jump asked for before it was open. */
  playerReady(videoId: number): void {
    const jump = this.pendingJump;
    if (!jump || jump.videoId !== videoId) return;
    this.pendingJump = null;
    this.goTo(jump.clip);
    if (jump.play) this.player.play();
  }

  run(action: LabelAction): void {
    this.notice = '';
    switch (action) {
      case 'play-pause':
        return this.player.toggle();
      case 'frame-back':
        return this.player.step(-1);
      case 'frame-forward':
        return this.player.step(1);
      case 'clip-previous':
        return this.goToOrSay(previousClip(clips.items, this.current, this.player.frame), 'This is the first clip.');
      case 'clip-next':
        return this.goToOrSay(nextClip(clips.items, this.current, this.player.frame), 'This is the last clip.');
      case 'next-unlabelled':
        return void this.nextUnlabelled();
      case 'loop':
        return this.toggleLoop();
      case 'slower':
        return this.player.slower();
      case 'faster':
        return this.player.faster();
      case 'remove-label':
        return this.removeLabel();
      case 'draw-segment':
        return this.drawAtPlayhead();
      case 'whole-video':
        return this.segmentWholeVideo();
      case 'nudge-start-back':
        return this.nudge('start', -1);
      case 'nudge-start-forward':
        return this.nudge('start', 1);
      case 'nudge-end-back':
        return this.nudge('end', -1);
      case 'nudge-end-forward':
        return this.nudge('end', 1);
      case 'split':
        return this.split();
      case 'merge-next':
        return this.mergeNext();
      case 'delete-segment':
        return this.deleteClip();
      case 'accept-prediction':
        return this.acceptPrediction();
      case 'undo':
        return void clips.undo();
      case 'redo':
        return void clips.redo();
      case 'help':
        labelSession.helpOpen = !labelSession.helpOpen;
        return;
    }
  }

  /** A class key: labels the clip under the playhead, or takes the label off if it has this class. */
  labelWith(classId: number, askedAt = performance.now()): void {
    this.notice = '';
    const clip = this.current;
    if (!clip) {
      this.notice = 'No clip under the playhead.';
      return;
    }
    void clips.toggleLabel(clip, classId, askedAt);
  }

  /** Enter (or the readout's button): the prediction under the playhead becomes the clip's label, as in Review. */
  acceptPrediction(): void {
    this.notice = '';
    const prediction = this.prediction;
    if (prediction) {
      void predictionLane.accept(prediction);
      return;
    }
    if (!predictionLane.run) this.notice = 'No finished run has predicted these clips yet: train one in the Train view.';
    else if (this.current && clips.labelOf(this.current) !== null) this.notice = 'This clip is labelled already.';
    else this.notice = 'No prediction under the playhead.';
  }

  select(clip: ClipDto | null): void {
    labelSession.selectedClipId = clip?.id ?? null;
  }

  /** Selects a clip and shows its first frame (playing goes on from there). */
  goTo(clip: ClipDto): void {
    this.select(clip);
    this.player.seek(clip.startFrame);
    if (this.player.loop) this.player.setLoop({ start: clip.startFrame, end: clip.endFrame });
  }

  /** Opens a clip of any video: now when its video is open, else once the player has it. */
  open(clip: ClipDto, play = false): void {
    if (clip.videoId === navigation.openVideoId && clips.videoId === clip.videoId) {
      this.goTo(clip);
      if (play) this.player.play();
      return;
    }
    this.pendingJump = { videoId: clip.videoId, clip, play };
    navigation.openVideoId = clip.videoId;
  }

  /** Draws a segment from the timeline or `d`: frames [start, end). */
  async createSegment(start: number, end: number): Promise<void> {
    const videoId = clips.videoId;
    if (videoId === null) return;
    const created = await clips.create(videoId, start, end);
    if (created) this.select(created);
  }

  /** A whole-video label is a segment covering every frame; `w` makes and selects it. */
  private segmentWholeVideo(): void {
    const frameCount = this.frameCount();
    if (frameCount === null) return;
    const existing = clips.items.find((c) => c.origin === 'user' && c.startFrame === 0 && c.endFrame === frameCount);
    if (existing) {
      this.select(existing);
      return;
    }
    void this.createSegment(0, frameCount);
  }

  async moveEdges(clip: ClipDto, start: number, end: number): Promise<void> {
    if (end <= start) {
      this.notice = 'A clip must keep at least one frame.';
      return;
    }
    const moved = await clips.update(clip, start, end);
    if (moved) this.select(moved);
  }

  private goToOrSay(clip: ClipDto | null, otherwise: string): void {
    if (clip) this.goTo(clip);
    else this.notice = otherwise;
  }

  private async nextUnlabelled(): Promise<void> {
    const here = nextUnlabelled(clips.items, this.current, this.player.frame, (clip) => clips.labelOf(clip));
    if (here) return this.goTo(here);
    const videoId = clips.videoId;
    const list = this.labellable();
    const start = list.findIndex((video) => video.id === videoId);
    for (let k = 1; k <= list.length; k++) {
      const video = list[(start + k) % list.length];
      if (!video || video.id === videoId) continue;
      const counts = labelStats.perVideo.get(video.id);
      if (counts && counts.labelled >= counts.clips) continue;
      try {
        const page = await api.invoke('clips:query', { videoId: video.id, filter: 'unlabelled', limit: 1 });
        const first = page.items[0];
        if (!first) continue;
        this.open(first, this.player.playing);
        this.notice = `Every clip of the last video is labelled: on to ${video.name}.`;
        return;
      } catch (err) {
        toasts.error('Could not find the next unlabelled clip', err);
        return;
      }
    }
    this.notice = 'Every clip of every video is labelled.';
  }

  private toggleLoop(): void {
    if (this.player.loop) {
      this.player.setLoop(null);
      return;
    }
    const clip = this.current;
    if (!clip) {
      this.notice = 'No clip under the playhead to loop.';
      return;
    }
    this.player.setLoop({ start: clip.startFrame, end: clip.endFrame });
  }

  private removeLabel(): void {
    const clip = this.current;
    if (!clip) {
      this.notice = 'No clip under the playhead.';
      return;
    }
    if (clips.labelOf(clip) === null) {
      this.notice = `Clip ${clip.id} has no label.`;
      return;
    }
    void clips.removeLabel(clip);
  }

  private drawAtPlayhead(): void {
    const frame = this.player.frame;
    const anchor = labelSession.drawAnchor;
    if (anchor === null) {
      labelSession.drawAnchor = frame;
      this.notice = `Segment starts at frame ${frame}: move to its last frame and press d again.`;
      return;
    }
    labelSession.drawAnchor = null;
    void this.createSegment(Math.min(anchor, frame), Math.max(anchor, frame) + 1);
  }

  private nudge(edge: 'start' | 'end', by: -1 | 1): void {
    const clip = this.editTarget;
    if (!clip) {
      this.notice = 'No clip to move: select one first.';
      return;
    }
    const start = edge === 'start' ? clip.startFrame + by : clip.startFrame;
    const end = edge === 'end' ? clip.endFrame + by : clip.endFrame;
    const frameCount = this.frameCount();
    if (start < 0 || (frameCount !== null && end > frameCount)) {
      this.notice = 'The clip is already at the edge of the video.';
      return;
    }
    if (end <= start) {
      this.notice = 'A clip must keep at least one frame.';
      return;
    }
    this.select(clip);
    void clips.nudge(clip, edge, by).then((moved) => {
      if (moved) this.select(moved);
    });
  }

  private split(): void {
    const frame = this.player.frame;
    const clip = this.editTarget && contains(this.editTarget, frame) ? this.editTarget : this.current;
    if (!clip) {
      this.notice = 'No clip under the playhead to split.';
      return;
    }
    if (frame <= clip.startFrame) {
      this.notice = 'The playhead is on the clip’s first frame: move inside it to split.';
      return;
    }
    void clips.split(clip, frame);
  }

  private mergeNext(): void {
    const clip = this.editTarget;
    const next = clip ? nextInLane(clips.items, clip) : null;
    if (!clip || !next) {
      this.notice = clip ? 'There is no next clip in this lane to merge with.' : 'No clip to merge.';
      return;
    }
    void clips.merge(clip, next).then((merged) => {
      if (merged) this.select(merged);
    });
  }

  private deleteClip(): void {
    const clip = this.editTarget;
    if (!clip) {
      this.notice = 'No clip to delete.';
      return;
    }
    if (labelSession.selectedClipId === clip.id) this.select(null);
    void clips.delete(clip);
  }

  private frameCount(): number | null {
    return clips.timing?.frameCount ?? null;
  }
}
