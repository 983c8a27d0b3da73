import { InfoCard, Link } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  Box,
  List,
  ListItem,
  ListItemText,
  makeStyles,
} from '@material-ui/core';
import useAsync from 'react-use/esm/useAsync';
import { postmortemsApiRef } from '../../api';
import { formatDate, incidentDuration } from '../../domain/time';
import { SeverityChip } from '../IncidentChips';

const useStyles = makeStyles(theme => ({
  meta: {
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(1),
    marginTop: theme.spacing(0.5),
  },
}));

/**
 * Resolved incidents that have no post-mortem yet, newest first: where a
 * responder starts one. The backend filters them, so an old incident stays
 * listed however many newer ones there are; `total` counts all of them.
 */
export function useIncidentsAwaitingPostmortem(
  entityRef?: string,
  limit = 100,
) {
  const api = useApi(postmortemsApiRef);
  return useAsync(async () => {
    const page = await api.listIncidents({
      status: ['resolved'],
      hasPostmortem: false,
      entityRef,
      limit,
    });
    return { incidents: page.data, total: page.total };
  }, [api, entityRef, limit]);
}

/** A card of resolved incidents without a post-mortem; hidden when there are none. */
export const IncidentsAwaitingPostmortem = ({
  entityRef,
  linkTo,
  limit = 5,
}: {
  entityRef?: string;
  linkTo(incidentRef: string): string;
  limit?: number;
}) => {
  const classes = useStyles();
  const state = useIncidentsAwaitingPostmortem(entityRef, limit);
  const incidents = state.value?.incidents ?? [];
  const total = state.value?.total ?? 0;
  // Loading and failures stay quiet: this card is a shortcut, not the page.
  if (!incidents.length) return null;
  return (
    <InfoCard
      title="Incidents awaiting a post-mortem"
      subheader={`${total} resolved ${
        total === 1 ? 'incident has' : 'incidents have'
      } no post-mortem yet`}
    >
      <List dense disablePadding aria-label="Incidents awaiting a post-mortem">
        {incidents.map(incident => (
          <ListItem key={incident.id} disableGutters divider>
            <ListItemText
              primary={
                <Link to={linkTo(incident.reference)}>
                  {incident.reference}: {incident.title}
                </Link>
              }
              secondaryTypographyProps={{ component: 'div' }}
              secondary={
                <Box className={classes.meta}>
                  <SeverityChip severity={incident.severity} />
                  <span>
                    {formatDate(incident.triggered_at)} ·{' '}
                    {incidentDuration(incident)}
                  </span>
                </Box>
              }
            />
          </ListItem>
        ))}
      </List>
    </InfoCard>
  );
};
