import type { RevisionDiff } from '../api';

/** One row of a side-by-side diff; a missing side is an empty cell. */
export interface DiffRow {
  left?: string;
  right?: string;
  kind: 'unchanged' | 'changed' | 'removed' | 'added';
}

function linesOf(text: string): string[] {
  const lines = text.split('\n');
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/**
 * Lays out line changes side by side: removed lines on the left, added lines
 * on the right, paired up where a block was replaced.
 */
export function sideBySide(changes: RevisionDiff['changes']): DiffRow[] {
  const rows: DiffRow[] = [];
  for (let i = 0; i < changes.length; i++) {
    const change = changes[i];
    if (change.kind === 'unchanged') {
      for (const line of linesOf(change.text)) {
        rows.push({ left: line, right: line, kind: 'unchanged' });
      }
      continue;
    }
    if (change.kind === 'removed' && changes[i + 1]?.kind === 'added') {
      const removed = linesOf(change.text);
      const added = linesOf(changes[i + 1].text);
      for (let j = 0; j < Math.max(removed.length, added.length); j++) {
        const left = removed[j];
        const right = added[j];
        let kind: DiffRow['kind'] = 'changed';
        if (left === undefined) kind = 'added';
        else if (right === undefined) kind = 'removed';
        rows.push({ left, right, kind });
      }
      i++;
      continue;
    }
    for (const line of linesOf(change.text)) {
      rows.push(
        change.kind === 'removed'
          ? { left: line, kind: 'removed' }
          : { right: line, kind: 'added' },
      );
    }
  }
  return rows;
}
