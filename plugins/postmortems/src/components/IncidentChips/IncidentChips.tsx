import { Chip, makeStyles, Theme } from '@material-ui/core';
import type {
  IncidentSeverity,
  IncidentStatus,
  PostmortemStatus,
} from '@postmortems-oss/backstage-plugin-postmortems-common';

const useStyles = makeStyles((theme: Theme) => ({
  critical: {
    backgroundColor: theme.palette.error.main,
    color: theme.palette.error.contrastText,
  },
  high: {
    backgroundColor: theme.palette.warning.main,
    color: theme.palette.warning.contrastText,
  },
  medium: {
    backgroundColor: theme.palette.info.main,
    color: theme.palette.info.contrastText,
  },
  low: {},
  published: {
    backgroundColor: theme.palette.success.main,
    color: theme.palette.success.contrastText,
  },
  draft: {},
  chip: { margin: 0, fontWeight: theme.typography.fontWeightMedium as number },
}));

const SEVERITY_LABELS: Record<IncidentSeverity, string> = {
  critical: 'Critical',
  high: 'High',
  medium: 'Medium',
  low: 'Low',
};

/** The severity of an incident, coloured by urgency. */
export const SeverityChip = ({ severity }: { severity: IncidentSeverity }) => {
  const classes = useStyles();
  return (
    <Chip
      size="small"
      label={SEVERITY_LABELS[severity] ?? severity}
      className={`${classes.chip} ${classes[severity] ?? ''}`}
    />
  );
};

const INCIDENT_STATUS_LABELS: Record<IncidentStatus, string> = {
  triggered: 'Triggered',
  acknowledged: 'Acknowledged',
  resolved: 'Resolved',
  canceled: 'Canceled',
};

export const IncidentStatusChip = ({ status }: { status: IncidentStatus }) => {
  const classes = useStyles();
  return (
    <Chip
      size="small"
      variant="outlined"
      label={INCIDENT_STATUS_LABELS[status] ?? status}
      className={classes.chip}
    />
  );
};

/** Draft or published. */
export const PostmortemStatusChip = ({
  status,
}: {
  status: PostmortemStatus;
}) => {
  const classes = useStyles();
  return (
    <Chip
      size="small"
      label={status === 'published' ? 'Published' : 'Draft'}
      className={`${classes.chip} ${classes[status]}`}
    />
  );
};
