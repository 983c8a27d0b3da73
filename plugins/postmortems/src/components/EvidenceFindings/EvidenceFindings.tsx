import { Box, makeStyles, Typography } from '@material-ui/core';
import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import type {
  EvidenceFinding,
  FindingKind,
} from '@postmortems-oss/backstage-plugin-postmortems-common';

const KIND_LABELS: Record<FindingKind, string> = {
  unsupported_timestamp: 'Time not in the evidence',
  unknown_person: 'Person not in the evidence',
  blame: 'Blaming language',
  // Empty, or holding only the template's questions or the skeleton's note.
  missing_section: 'Section not written yet',
};

const useStyles = makeStyles(theme => ({
  list: {
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(1),
  },
  excerpt: {
    fontFamily: 'monospace',
    fontSize: '0.8rem',
    margin: theme.spacing(0.5, 0),
    wordBreak: 'break-word',
  },
}));

/** What the evidence check found, each with what to do about it. */
export const EvidenceFindings = ({
  findings,
  label,
}: {
  findings: EvidenceFinding[];
  /** Names the list for assistive technology, e.g. the section's title. */
  label: string;
}) => {
  const classes = useStyles();
  if (!findings.length) return null;
  return (
    <Box className={classes.list} role="list" aria-label={label}>
      {findings.map(finding => (
        <Alert
          key={finding.id}
          severity={
            finding.kind === 'blame' || finding.kind === 'missing_section'
              ? 'warning'
              : 'info'
          }
          role="listitem"
        >
          <AlertTitle>{KIND_LABELS[finding.kind] ?? finding.kind}</AlertTitle>
          <Typography variant="body2">{finding.message}</Typography>
          {finding.excerpt && (
            <Typography className={classes.excerpt}>
              “{finding.excerpt}”
            </Typography>
          )}
          {finding.hint && (
            <Typography variant="body2">
              <strong>Suggestion:</strong> {finding.hint}
            </Typography>
          )}
        </Alert>
      ))}
    </Box>
  );
};
