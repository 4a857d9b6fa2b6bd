/** What the Label view is pointing at, beyond the open video (navigation.openVideoId). */
class LabelSession {
  /** The clip picked on the timeline or with ←/→; keys act on it while the playhead is inside. */
  selectedClipId = $state<number | null>(null);
  /** Where `d` started a segment, until it is pressed again. */
  drawAnchor = $state<number | null>(null);
  /** A segment being drawn or an edge being dragged on the timeline: the frames it would get. */
  draft = $state<{ clipId: number | null; start: number; end: number } | null>(null);
  helpOpen = $state(false);

  reset(): void {
    this.selectedClipId = null;
    this.drawAnchor = null;
    this.draft = null;
  }
}

export const labelSession = new LabelSession();
