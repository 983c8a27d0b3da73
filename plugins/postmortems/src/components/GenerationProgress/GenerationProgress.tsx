import {
  Box,
  LinearProgress,
  List,
  ListItem,
  ListItemIcon,
  ListItemText,
  makeStyles,
  Typography,
} from '@material-ui/core';
import CheckCircleIcon from '@material-ui/icons/CheckCircle';
import RadioButtonUncheckedIcon from '@material-ui/icons/RadioButtonUnchecked';
import type { GenerationJob } from '@postmortems-oss/backstage-plugin-postmortems-common';
import { GeneratedSection } from '../../api';
import { PostmortemMarkdown } from '../PostmortemMarkdown';

const useStyles = makeStyles(theme => ({
  done: { color: theme.palette.success.main },
  pending: { color: theme.palette.text.disabled },
  preview: {
    borderLeft: `3px solid ${theme.palette.divider}`,
    paddingLeft: theme.spacing(2),
    marginBottom: theme.spacing(2),
  },
}));

function statusText(
  job: GenerationJob | undefined,
  done: number,
  expected: number,
): string {
  if (!job || job.status === 'queued')
    return 'Waiting for the generator to start…';
  if (job.status === 'succeeded') return 'Draft written.';
  if (job.status === 'failed') return 'Generation failed.';
  return expected
    ? `Writing the draft: ${done} of ${expected} sections done…`
    : `Writing the draft: ${done} sections done…`;
}

/**
 * A running generation: overall progress, each expected section ticked off as
 * it completes, and the text of sections as the stream delivers them. The
 * section list is laid out from the start so nothing jumps while it fills.
 */
export const GenerationProgress = ({
  job,
  sections,
  expected = [],
}: {
  job?: GenerationJob;
  sections: GeneratedSection[];
  /** The template's sections, when known. */
  expected?: Array<{ key: string; title: string }>;
}) => {
  const classes = useStyles();
  // A section still being written shows its text but is not ticked off.
  const doneKeys = new Set([
    ...(job?.sections_done ?? []),
    ...sections.filter(s => s.done !== false).map(s => s.key),
  ]);
  const rows = [
    ...expected,
    ...sections
      .filter(s => !expected.some(e => e.key === s.key))
      .map(s => ({ key: s.key, title: s.title })),
  ];
  const done = rows.filter(r => doneKeys.has(r.key)).length || doneKeys.size;
  const determinate = expected.length > 0;
  return (
    <Box>
      <LinearProgress
        variant={determinate ? 'determinate' : 'indeterminate'}
        value={determinate ? (done / expected.length) * 100 : undefined}
        aria-label="Generation progress"
      />
      <Typography
        variant="body2"
        role="status"
        aria-live="polite"
        style={{ marginTop: 8 }}
      >
        {statusText(job, done, expected.length)}
      </Typography>
      {rows.length > 0 && (
        <List dense aria-label="Sections">
          {rows.map(row => {
            const isDone = doneKeys.has(row.key);
            const streamed = sections.find(s => s.key === row.key);
            return (
              <ListItem key={row.key} alignItems="flex-start">
                <ListItemIcon>
                  {isDone ? (
                    <CheckCircleIcon
                      className={classes.done}
                      titleAccess="Done"
                    />
                  ) : (
                    <RadioButtonUncheckedIcon
                      className={classes.pending}
                      titleAccess="Pending"
                    />
                  )}
                </ListItemIcon>
                <ListItemText
                  primary={row.title}
                  secondaryTypographyProps={{ component: 'div' }}
                  secondary={
                    streamed ? (
                      <Box className={classes.preview}>
                        <PostmortemMarkdown content={streamed.markdown} />
                      </Box>
                    ) : undefined
                  }
                />
              </ListItem>
            );
          })}
        </List>
      )}
    </Box>
  );
};
