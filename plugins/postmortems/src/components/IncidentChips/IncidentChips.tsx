import { Chip, makeStyles, Theme } from '@material-ui/core';
import type {
  IncidentSeverity,
  IncidentStatus,
  PostmortemStatus,
} from '@postmortems-oss/backstage-plugin-postmortems-common';
import { readableTextOn } from '../accessibility';

/**
 * A chip filled with `background` and labelled in black or white, whichever
 * reaches 4.5:1 on it. The fills are the theme's status colours; where the
 * main shade is too light for a white label (MUI's error and info) the dark
 * shade is used, so the hue still says how urgent it is.
 */
function filled(background: string) {
  return { backgroundColor: background, color: readableTextOn(background) };
}

const useStyles = makeStyles((theme: Theme) => ({
  critical: filled(theme.palette.error.dark),
  high: filled(theme.palette.warning.main),
  medium: filled(theme.palette.info.dark),
  low: {},
  published: filled(theme.palette.success.main),
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
