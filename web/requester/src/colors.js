// Distinct colours for taskers' boxes; `ink` is the text colour readable on each.
export const PALETTE = [
  { fill: '#d62728', ink: '#fff' }, { fill: '#1f77b4', ink: '#fff' }, { fill: '#2ca02c', ink: '#000' },
  { fill: '#ff7f0e', ink: '#000' }, { fill: '#9467bd', ink: '#000' }, { fill: '#17becf', ink: '#000' },
  { fill: '#e377c2', ink: '#000' }, { fill: '#8c564b', ink: '#fff' }, { fill: '#bcbd22', ink: '#000' },
  { fill: '#7f7f7f', ink: '#000' },
];

// taskerIds -> Map(taskerId -> {fill, ink, index}), in ascending id order so colours are stable.
export function colourMap(taskerIds) {
  const ids = [...new Set(taskerIds)].sort((a, b) => a - b);
  return new Map(ids.map((id, i) => [id, { ...PALETTE[i % PALETTE.length], index: i }]));
}
