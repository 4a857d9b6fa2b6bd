/** Distinct colours (Tableau 10 and friends) handed to new classes in turn. */
export const CLASS_PALETTE: readonly string[] = [
  '#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7',
  '#9c755f', '#bab0ac', '#1f77b4', '#17becf', '#bcbd22', '#8c564b', '#d62728', '#2ca02c',
];
