export type ViewId = 'library' | 'label' | 'review' | 'train' | 'anomaly' | 'models';

export interface ViewDef {
  id: ViewId;
  label: string;
}

export const views: readonly ViewDef[] = [
  { id: 'library', label: 'Library' },
  { id: 'label', label: 'Label' },
  { id: 'review', label: 'Review' },
  { id: 'train', label: 'Train' },
  { id: 'anomaly', label: 'Anomaly' },
  { id: 'models', label: 'Models' },
];

/** Which view is showing and which video is open in the player. */
class NavigationState {
  view = $state<ViewId>('library');
  openVideoId = $state<number | null>(null);
}

export const navigation = new NavigationState();
