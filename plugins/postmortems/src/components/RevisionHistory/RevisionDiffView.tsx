import { Button, makeStyles, Theme, Typography } from '@material-ui/core';
import { useState } from 'react';
import { RevisionDiff } from '../../api';
import { DiffRow, sideBySide } from '../../domain/revisionDiff';
import { visuallyHidden } from '../accessibility';

const useStyles = makeStyles((theme: Theme) => ({
  table: {
    width: '100%',
    borderCollapse: 'collapse',
    tableLayout: 'fixed',
    fontFamily: 'monospace',
    fontSize: '0.8rem',
  },
  cell: {
    verticalAlign: 'top',
    whiteSpace: 'pre-wrap',
    wordBreak: 'break-word',
    padding: theme.spacing(0.25, 1),
    borderRight: `1px solid ${theme.palette.divider}`,
  },
  removed: {
    backgroundColor:
      theme.palette.type === 'dark'
        ? 'rgba(244,67,54,0.25)'
        : 'rgba(244,67,54,0.12)',
  },
  added: {
    backgroundColor:
      theme.palette.type === 'dark'
        ? 'rgba(76,175,80,0.25)'
        : 'rgba(76,175,80,0.14)',
  },
  // The sign column: the change is shown by "−"/"+" as well as the colour,
  // for people who do not tell red from green.
  marker: {
    display: 'inline-block',
    width: '1.5ch',
    marginLeft: '-0.5ch',
    fontWeight: 700,
    userSelect: 'none',
  },
  legend: {
    captionSide: 'top',
    textAlign: 'left',
    padding: theme.spacing(0.5, 1),
    fontFamily: theme.typography.fontFamily,
    color: theme.palette.text.primary,
  },
  fold: {
    textAlign: 'center',
    backgroundColor: theme.palette.action.hover,
  },
  head: {
    textAlign: 'left',
    padding: theme.spacing(1),
    borderBottom: `1px solid ${theme.palette.divider}`,
    fontFamily: theme.typography.fontFamily,
  },
}));

/**
 * One side of a row. A changed line starts with a visible sign and, for
 * screen readers, the word: "removed" or "added" is heard before the text.
 */
const DiffCell = ({
  text,
  change,
  className,
  markerClassName,
}: {
  text?: string;
  change?: 'added' | 'removed';
  className: string;
  markerClassName: string;
}) => {
  const marked = change && text !== undefined;
  return (
    <td className={className} data-change={marked ? change : undefined}>
      {marked && (
        <>
          <span aria-hidden="true" className={markerClassName}>
            {change === 'added' ? '+' : '−'}
          </span>
          <span style={visuallyHidden}>{change}: </span>
        </>
      )}
      {text ?? ''}
    </td>
  );
};

const CONTEXT = 3;

/**
 * Two revisions side by side; removed lines on the left, added on the right.
 * Long runs of unchanged lines fold away, keeping a few lines of context.
 */
export const RevisionDiffView = ({ diff }: { diff: RevisionDiff }) => {
  const classes = useStyles();
  const rows = sideBySide(diff.changes);
  const [unfolded, setUnfolded] = useState<Set<number>>(new Set());
  if (rows.every(row => row.kind === 'unchanged')) {
    return (
      <Typography variant="body2" role="status">
        The content of version {diff.from} and version {diff.to} is the same;
        only the status or the metadata changed.
      </Typography>
    );
  }

  const segments = foldUnchanged(rows, unfolded);
  return (
    <table
      className={classes.table}
      aria-label={`Changes from version ${diff.from} to version ${diff.to}`}
    >
      <caption className={classes.legend}>
        <Typography variant="caption" component="span">
          <span aria-hidden="true">−</span> removed line ·{' '}
          <span aria-hidden="true">+</span> added line
        </Typography>
      </caption>
      <thead>
        <tr>
          <th className={classes.head} scope="col">
            Version {diff.from}
          </th>
          <th className={classes.head} scope="col">
            Version {diff.to}
          </th>
        </tr>
      </thead>
      <tbody>
        {segments.map(segment =>
          segment.type === 'fold' ? (
            <tr key={`fold-${segment.start}`}>
              <td colSpan={2} className={classes.fold}>
                <Button
                  size="small"
                  onClick={() =>
                    setUnfolded(previous =>
                      new Set(previous).add(segment.start),
                    )
                  }
                >
                  Show {segment.fold} unchanged lines
                </Button>
              </td>
            </tr>
          ) : (
            <tr key={segment.start}>
              <DiffCell
                text={segment.row.left}
                change={
                  segment.row.kind === 'removed' ||
                  segment.row.kind === 'changed'
                    ? 'removed'
                    : undefined
                }
                className={`${classes.cell} ${
                  segment.row.kind === 'removed' ||
                  segment.row.kind === 'changed'
                    ? classes.removed
                    : ''
                }`}
                markerClassName={classes.marker}
              />
              <DiffCell
                text={segment.row.right}
                change={
                  segment.row.kind === 'added' || segment.row.kind === 'changed'
                    ? 'added'
                    : undefined
                }
                className={`${classes.cell} ${
                  segment.row.kind === 'added' || segment.row.kind === 'changed'
                    ? classes.added
                    : ''
                }`}
                markerClassName={classes.marker}
              />
            </tr>
          ),
        )}
      </tbody>
    </table>
  );
};

type Segment =
  | { type: 'row'; start: number; row: DiffRow }
  | { type: 'fold'; start: number; fold: number };

/** Rows to show, with runs of unchanged lines beyond the context folded. */
function foldUnchanged(rows: DiffRow[], unfolded: Set<number>): Segment[] {
  const segments: Segment[] = [];
  let i = 0;
  while (i < rows.length) {
    if (rows[i].kind !== 'unchanged') {
      segments.push({ type: 'row', start: i, row: rows[i] });
      i++;
      continue;
    }
    let end = i;
    while (end < rows.length && rows[end].kind === 'unchanged') end++;
    const head = i === 0 ? 0 : CONTEXT;
    const tail = end === rows.length ? 0 : CONTEXT;
    const hidden = end - i - head - tail;
    if (hidden > 2 && !unfolded.has(i + head)) {
      for (let j = i; j < i + head; j++) {
        segments.push({ type: 'row', start: j, row: rows[j] });
      }
      segments.push({ type: 'fold', start: i + head, fold: hidden });
      for (let j = end - tail; j < end; j++) {
        segments.push({ type: 'row', start: j, row: rows[j] });
      }
    } else {
      for (let j = i; j < end; j++) {
        segments.push({ type: 'row', start: j, row: rows[j] });
      }
    }
    i = end;
  }
  return segments;
}
