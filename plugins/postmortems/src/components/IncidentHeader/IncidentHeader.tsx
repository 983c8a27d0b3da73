import { InfoCard } from '@backstage/core-components';
import { Box, Grid, makeStyles, Typography } from '@material-ui/core';
import type { Incident } from '@postmortems-oss/backstage-plugin-postmortems-common';
import { ReactNode } from 'react';
import { formatDateTime, incidentDuration } from '../../domain/time';
import { EntityRefOrText } from '../EntityRefOrText';
import { IncidentStatusChip, SeverityChip } from '../IncidentChips';

const useStyles = makeStyles(theme => ({
  chips: {
    display: 'flex',
    gap: theme.spacing(1),
    flexWrap: 'wrap',
    alignItems: 'center',
    marginBottom: theme.spacing(2),
  },
  label: {
    fontSize: '0.75rem',
    fontWeight: 'bold',
    letterSpacing: 0.5,
    textTransform: 'uppercase',
    color: theme.palette.text.secondary,
  },
  services: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(1.5),
  },
}));

const Field = ({ label, children }: { label: string; children: ReactNode }) => {
  const classes = useStyles();
  return (
    <Grid item xs={12} sm={6} md={3}>
      <Typography component="h3" className={classes.label}>
        {label}
      </Typography>
      <Typography component="div" variant="body2">
        {children}
      </Typography>
    </Grid>
  );
};

/** The incident a post-mortem is about: what, how bad, how long, who, where. */
export const IncidentHeader = ({
  incident,
  action,
}: {
  incident: Incident;
  action?: ReactNode;
}) => {
  const classes = useStyles();
  return (
    <InfoCard
      title={`${incident.reference}: ${incident.title}`}
      action={action}
      noPadding={false}
    >
      <Box className={classes.chips}>
        <SeverityChip severity={incident.severity} />
        <IncidentStatusChip status={incident.status} />
        <Typography variant="body2" color="textSecondary">
          Duration {incidentDuration(incident)}
        </Typography>
      </Box>
      {incident.summary && (
        <Typography variant="body1" paragraph>
          {incident.summary}
        </Typography>
      )}
      <Grid container spacing={2}>
        <Field label="Commander">
          <EntityRefOrText value={incident.commander} defaultKind="user" />
        </Field>
        <Field label="Affected services">
          {incident.services.length ? (
            <span className={classes.services}>
              {incident.services.map(ref => (
                <EntityRefOrText
                  key={ref}
                  value={ref}
                  defaultKind="component"
                />
              ))}
            </span>
          ) : (
            '—'
          )}
        </Field>
        <Field label="Triggered">{formatDateTime(incident.triggered_at)}</Field>
        <Field label={incident.canceled_at ? 'Canceled' : 'Resolved'}>
          {formatDateTime(incident.resolved_at ?? incident.canceled_at)}
        </Field>
      </Grid>
    </InfoCard>
  );
};
